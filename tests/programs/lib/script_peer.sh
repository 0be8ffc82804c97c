# shellcheck shell=bash
# For a small TLS client and server written in a scripting language (tests/programs/scripts/
# tls_echo.*), run under test against a native `openssl s_server` / `s_client`, with the evidence
# relay between them. Sourced after common.sh, once programs_init has run.
#
# Every script answers the same command lines and prints one line, "ok VERSION CIPHER" or
# "error MESSAGE":
#   SCRIPT client PORT CA_FILE HOST_NAME SEND_FILE RECEIVE_FILE RECEIVE_BYTES
#     verifies the chain against CA_FILE and the name HOST_NAME (also its SNI), sends SEND_FILE,
#     then reads RECEIVE_BYTES into RECEIVE_FILE and closes with close_notify;
#   SCRIPT server PORT_FILE CERT KEY SEND_FILE RECEIVE_FILE RECEIVE_BYTES
#     one connection on a free 127.0.0.1 port (written to PORT_FILE): reads RECEIVE_BYTES, then
#     sends SEND_FILE and closes with close_notify.
# SCRIPT_CMD (an array: interpreter and script) runs it; SCRIPT_LABEL names it in messages.

script_payload_mib=1
script_payload_bytes=$((script_payload_mib << 20))

# start_s_server NAME PORT SEND_FILE RECEIVE_FILE [s_server options]: a native s_server for one
# connection, writing what it receives to RECEIVE_FILE and, once all of the client's payload is
# there, sending SEND_FILE. Its standard input gets SEND_FILE only then: s_server reads its input
# and the socket in one loop, and with both ready at once it goes on to a blocking read of a socket
# that has nothing more (a race the relay's timing makes likely); and the input stays open after
# SEND_FILE, since s_server ends the connection at the end of its input.
start_s_server() {
  local name=$1 port=$2 send=$3 receive=$4
  shift 4
  start_bg "$name" "${NATIVE[@]}" bash -c '
    send=$1 receive=$2 port=$3 pki=$4 want=$5
    shift 5
    {
      for _ in $(seq 1 600); do
        [ "$(stat -c %s "$receive" 2>/dev/null || echo 0)" -ge "$want" ] && break
        sleep 0.1
      done
      cat "$send"
      sleep 60
    } | exec timeout 60 openssl s_server -accept "127.0.0.1:$port" \
      -naccept 1 -cert "$pki/server.pem" -key "$pki/server.key" -quiet "$@" >"$receive"' \
    _ "$send" "$receive" "$port" "$WORK/pki" "$script_payload_bytes" "$@"
}

# The TLS version a script's "ok" line names (TLSv1.3, TLSv1_3) as 1.3.
script_version() { echo "$1" | awk '{ print $2 }' | sed 's/^TLSv//; s/_/./'; }

# script_client_role TLS: the script as client (through the shim in the shim modes) against a
# native s_server limited to TLS version TLS (1.2 or 1.3).
script_client_role() {
  local tls=$1 d=$WORK/client-$1
  mkdir -p "$d"
  make_payload "$d/c2s.bin" "$script_payload_mib"
  make_payload "$d/s2c.bin" "$script_payload_mib"
  local port
  port=$(free_port)
  start_s_server "s_server-$tls" "$port" "$d/s2c.bin" "$d/at-server.bin" "-tls${tls/./_}"
  wait_port "$port" 10 || { fail "client, TLS $tls: s_server did not listen: $(cat "$WORK/s_server-$tls.err")"; return; }
  start_relay "relay-client-$tls" "$port"
  local rc=0
  timeout 60 "${SHIMMED[@]}" "${SCRIPT_CMD[@]}" client "$RELAY_PORT" "$WORK/pki/ca.pem" localhost \
    "$d/c2s.bin" "$d/at-client.bin" "$script_payload_bytes" \
    >"$WORK/client-$tls.out" 2>"$WORK/client-$tls.err" || rc=$?
  local out
  out=$(head -1 "$WORK/client-$tls.out")
  check_two_way_copy "$SCRIPT_LABEL client, TLS $tls (verified chain and host name; $out)" \
    "$script_payload_mib MiB" "$rc" "$d" "$WORK/client-$tls.err" "$WORK/s_server-$tls.err"
  [ "$(script_version "$out")" = "$tls" ] && [[ "$out" == ok* ]] ||
    fail "client, TLS $tls: the script said '$out' $(errors_of "$WORK/client-$tls.err")"
  sleep 0.2
  check_evidence "$WORK/relay-client-$tls.evidence" client 1
}

# script_wrong_host EXPECTED [SED]: the script as client, asking for a name the certificate does
# not carry, must fail the handshake with the line EXPECTED ("error ..."), having received nothing.
# SED, if given, edits the line before it is compared (a part that differs by design).
script_wrong_host() {
  local expected=$1 edit=${2:-} d=$WORK/client-wronghost
  mkdir -p "$d"
  make_payload "$d/c2s.bin" 1
  make_payload "$d/s2c.bin" 1
  local port
  port=$(free_port)
  start_s_server s_server-wronghost "$port" "$d/s2c.bin" "$d/at-server.bin"
  wait_port "$port" 10 || { fail "wrong host: s_server did not listen: $(cat "$WORK/s_server-wronghost.err")"; return; }
  start_relay relay-wronghost "$port"
  local rc=0
  timeout 60 "${SHIMMED[@]}" "${SCRIPT_CMD[@]}" client "$RELAY_PORT" "$WORK/pki/ca.pem" \
    wronghost.test "$d/c2s.bin" "$d/at-client.bin" "$script_payload_bytes" \
    >"$WORK/client-wronghost.out" 2>"$WORK/client-wronghost.err" || rc=$?
  local out
  out=$(head -1 "$WORK/client-wronghost.out")
  local compared=$out
  [ -z "$edit" ] || compared=$(printf '%s\n' "$out" | sed "$edit")
  if [ $rc -ne 0 ] && [ "$compared" = "$expected" ] && [ "$(size_of "$d/at-client.bin")" -eq 0 ]; then
    pass "$SCRIPT_LABEL client, wrong host name refused: $out"
  else
    fail "$SCRIPT_LABEL client, wrong host name: exit $rc, said '$out', expected '$expected';" \
      "received $(size_of "$d/at-client.bin") bytes $(errors_of "$WORK/client-wronghost.err")"
  fi
  sleep 0.2
  check_evidence "$WORK/relay-wronghost.evidence" client 1
}

# script_server_role TLS: the script as server (through the shim in the shim modes) for a native
# s_client limited to TLS version TLS, which verifies the chain and the host name.
script_server_role() {
  local tls=$1 d=$WORK/server-$1
  mkdir -p "$d"
  make_payload "$d/c2s.bin" "$script_payload_mib"
  make_payload "$d/s2c.bin" "$script_payload_mib"
  start_bg "server-$tls" timeout 60 "${SHIMMED[@]}" "${SCRIPT_CMD[@]}" server "$d/port" \
    "$WORK/pki/server.pem" "$WORK/pki/server.key" "$d/s2c.bin" "$d/at-server.bin" \
    "$script_payload_bytes"
  for _ in $(seq 1 100); do
    [ -s "$d/port" ] && break
    sleep 0.1
  done
  [ -s "$d/port" ] || { fail "server, TLS $tls: the script did not listen: $(errors_of "$WORK/server-$tls.out") $(errors_of "$WORK/server-$tls.err")"; return; }
  start_relay "relay-server-$tls" "$(cat "$d/port")"
  local rc=0
  timeout 60 "${NATIVE[@]}" openssl s_client -connect "127.0.0.1:$RELAY_PORT" -servername localhost \
    -CAfile "$WORK/pki/ca.pem" -verify_return_error -verify_hostname localhost "-tls${tls/./_}" \
    -quiet <"$d/c2s.bin" >"$d/at-client.bin" 2>"$WORK/s_client-$tls.err" || rc=$?
  # The script prints its line once its close_notify is sent.
  for _ in $(seq 1 100); do
    [ -s "$WORK/server-$tls.out" ] && break
    sleep 0.1
  done
  local out
  out=$(head -1 "$WORK/server-$tls.out")
  check_two_way_copy "$SCRIPT_LABEL server, TLS $tls ($out)" "$script_payload_mib MiB" "$rc" "$d" \
    "$WORK/s_client-$tls.err" "$WORK/server-$tls.err"
  [ "$(script_version "$out")" = "$tls" ] && [[ "$out" == ok* ]] ||
    fail "server, TLS $tls: the script said '$out' $(errors_of "$WORK/server-$tls.err")"
  sleep 0.2
  check_evidence "$WORK/relay-server-$tls.evidence" server 1
}

# run_script_scenario WRONG_HOST_LINE [SED]: both roles on TLS 1.2 and 1.3, and the wrong host
# name (script_wrong_host's arguments).
run_script_scenario() {
  make_pki "$WORK/pki"
  local tls
  for tls in 1.2 1.3; do script_client_role "$tls"; done
  script_wrong_host "$@"
  for tls in 1.2 1.3; do script_server_role "$tls"; done
  programs_finish "$WORK"/*.err
}
