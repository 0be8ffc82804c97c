#!/usr/bin/env bash
# ncat (nmap's netcat) with --ssl as TLS client (--ssl-verify --ssl-trustfile: chain and host name
# checked) and as TLS server (--ssl-cert/--ssl-key), through the shim or natively, with a native
# ncat on the other end and tls_sniff_relay between them as witness. Each role moves 8 MiB in both
# directions at once over one connection, byte-exact; the client, given an unrelated CA, refuses
# the server with ncat's own verification message.
# ncat never sends close_notify: at the end of its input it half-closes the TCP connection, and
# it quits when the other side's stream ends. So the ending is ordered: the shimmed ncat runs with
# --no-shutdown (its input's end does not end the stream), and the native ncat's input ends only once
# it has received the whole payload; it half-closes, the shimmed ncat reads that end (the end of
# the transport without close_notify: 0, as OpenSSL 3 answers) and quits, and the native one reads
# the end. (The other order, where the native side answers the shimmed side's half-close with
# OpenSSL's fatal decode_error alert, fails under the shim: its SSL_read answers that alert with -1
# where OpenSSL 3 answers 0, and ncat, which takes 0 for the end, reports an I/O error.)
# usage: run_ncat.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init ncat "${1:-}"
require ncat ncat

make_pki "$WORK/pki"
pki=$WORK/pki
mib=8

# feed FILE [RECEIVED]: one side's input: FILE, then (the native side's) held open until RECEIVED
# holds the other side's whole payload. Exported for the server's pipe, which runs in bash -c.
feed() {
  cat "$1"
  [ -z "${2:-}" ] || wait_for_size "$2" $((mib << 20)) || true
}
export -f feed wait_for_size size_of
export mib

# run_role ROLE: ROLE=client puts the shimmed ncat on the client side, server on the server side.
run_role() {
  local role=$1 d=$WORK/$1
  mkdir -p "$d"
  make_payload "$d/c2s.bin" $mib
  make_payload "$d/s2c.bin" $mib
  local server=("${NATIVE[@]}") client=("${NATIVE[@]}")
  [ "$role" = server ] && server=("${SHIMMED[@]}") || client=("${SHIMMED[@]}")
  local port server_in=("$d/s2c.bin") server_opts=() client_in=("$d/c2s.bin") client_opts=()
  if [ "$role" = server ]; then
    server_opts=(--no-shutdown)
    client_in+=("$d/at-client.bin")
  else
    client_opts=(--no-shutdown)
    server_in+=("$d/at-server.bin")
  fi
  port=$(free_port)
  # As start_bg does, in its own process group, which holds the feeding half of the pipe too.
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid bash -c 'feed "$1" "$2" | exec "${@:3}"' feed "${server_in[0]}" "${server_in[1]:-}" \
    timeout 60 "${server[@]}" ncat -v "${server_opts[@]}" --ssl --ssl-cert "$pki/server.pem" \
    --ssl-key "$pki/server.key" -l 127.0.0.1 "$port" \
    >"$d/at-server.bin" 2>"$WORK/ncat-server-$role.err" </dev/null &
  PROGRAMS_PIDS+=($!)
  wait_port "$port" 10 || {
    fail "$role: the ncat server did not listen: $(cat "$WORK/ncat-server-$role.err")"
    return
  }
  start_relay "relay-$role" "$port"
  local rc=0
  feed "${client_in[@]}" | timeout 60 "${client[@]}" ncat -v "${client_opts[@]}" --ssl --ssl-verify \
    --ssl-trustfile "$pki/ca.pem" localhost "$RELAY_PORT" >"$d/at-client.bin" \
    2>"$WORK/ncat-client-$role.err" || rc=$?
  # The server quits once it has read the client's end.
  [ $rc -ne 0 ] || wait_for_size "$d/at-server.bin" $((mib << 20)) || true
  local label="ncat as $role through the shim"
  [ "$MODE" = native ] && label="ncat as $role (native)"
  check_two_way_copy "$label" "$mib MiB" "$rc" "$d" "$WORK/ncat-client-$role.err" \
    "$WORK/ncat-server-$role.err"
  check_evidence "$WORK/relay-$role.evidence" "$role" 1
}

# The shimmed client given a CA the server's certificate does not chain to: ncat's own message.
run_unknown_ca() {
  local port rc=0
  port=$(free_port)
  start_bg ncat-server-unknown-ca timeout 30 "${NATIVE[@]}" ncat -v --ssl \
    --ssl-cert "$pki/server.pem" --ssl-key "$pki/server.key" -l 127.0.0.1 "$port"
  wait_port "$port" 10 || { fail "unknown CA: the ncat server did not listen"; return; }
  echo payload | timeout 30 "${SHIMMED[@]}" ncat -v --ssl --ssl-verify \
    --ssl-trustfile "$pki/other-ca.pem" localhost "$port" >"$WORK/unknown-ca.out" \
    2>"$WORK/ncat-client-unknown-ca.err" || rc=$?
  if [ $rc -ne 0 ] && [ ! -s "$WORK/unknown-ca.out" ] &&
    grep -aq 'Certificate verification failed (unable to get local issuer certificate)' \
      "$WORK/ncat-client-unknown-ca.err"; then
    pass "unknown CA: ncat refused the server (exit $rc, \"Certificate verification failed\")"
  else
    fail "unknown CA: ncat exit $rc, $(size_of "$WORK/unknown-ca.out") bytes received:" \
      "$(errors_of "$WORK/ncat-client-unknown-ca.err")"
  fi
}

run_role client
run_role server
run_unknown_ca
programs_finish "$WORK"/*.err
