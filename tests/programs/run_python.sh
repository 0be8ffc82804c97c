#!/usr/bin/env bash
# Debian's /usr/bin/python3 and its ssl module, through the shim or natively: as client
# (create_default_context with host-name checking; a blocking socket, a non-blocking SSLSocket, an
# SSLObject over MemoryBIOs; a wrong host name refused) against a native python server, and as
# server (SSLContext.wrap_socket) for native clients on TLS 1.2 and 1.3. 4 MiB each way per
# connection, checked by SHA-256 on both sides; tls_sniff_relay between them as witness. Then the
# ssl module behaviours python's own test_ssl relies on (python_ssl_semantics.py).
# usage: run_python.sh native|preload|standin|lazy
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init python "${1:-}"
python=/usr/bin/python3
require "$python" python3
script=$here/python_tls.py
make_pki "$WORK/pki"
pki=$WORK/pki

# start_server NAME PREFIX CONNECTIONS: a python TLS server run with PREFIX (an array name).
start_server() {
  local name=$1 connections=$3
  local -n prefix=$2
  start_bg "$name" timeout 90 "${prefix[@]}" "$python" "$script" server "$WORK/$name.port" \
    "$pki/server.pem" "$pki/server.key" "$connections"
  for _ in $(seq 1 100); do
    [ -s "$WORK/$name.port" ] && return 0
    sleep 0.1
  done
  fail "$name did not start: $(errors_of "$WORK/$name.err")"
  return 1
}

# client NAME PREFIX PORT HOSTNAME STYLE [MAX_TLS]: sets out to the client's answer line.
client() {
  local name=$1 port=$3
  local -n prefix=$2
  shift 3
  timeout 60 "${prefix[@]}" "$python" "$script" client "$port" "$pki/ca.pem" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" || true
  out=$(head -1 "$WORK/$name.out")
}

# The shimmed client against a native server: three styles and a wrong host name.
if start_server server-native NATIVE 4; then
  start_relay relay-client "$(cat "$WORK/server-native.port")"
  for style in blocking nonblocking memorybio; do
    client "client-$style" SHIMMED "$RELAY_PORT" localhost "$style"
    [[ "$out" == ok* ]] && pass "client, $style: 4 MiB each way byte-exact ($out)" ||
      fail "client, $style: $out $(errors_of "$WORK/client-$style.err")"
  done
  client client-wronghost SHIMMED "$RELAY_PORT" wronghost.test blocking
  expected="error SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'wronghost.test'."
  [[ "$out" == "$expected"* ]] && pass "client, wrong host name refused: $out" ||
    fail "client, wrong host name: expected '$expected', got '$out' $(errors_of "$WORK/client-wronghost.err")"
  sleep 0.2
  check_evidence "$WORK/relay-client.evidence" client 4
fi

# The shimmed server (wrap_socket) for native clients, TLS 1.2 and 1.3.
if start_server server-shimmed SHIMMED 2; then
  start_relay relay-server "$(cat "$WORK/server-shimmed.port")"
  for tls in 1.2 1.3; do
    client "native-client-$tls" NATIVE "$RELAY_PORT" localhost blocking "$tls"
    [[ "$out" == "ok TLSv$tls "* ]] && pass "server, TLS $tls: 4 MiB each way byte-exact ($out)" ||
      fail "server, TLS $tls: the native client said '$out' $(errors_of "$WORK/native-client-$tls.err"); server: $(tail -1 "$WORK/server-shimmed.out") $(errors_of "$WORK/server-shimmed.err")"
  done
  sleep 0.2
  check_evidence "$WORK/relay-server.evidence" server 2
fi
# What python's own test_ssl relies on (python_ssl_semantics.py), client and server in one
# shimmed process: each check's line becomes a result here.
timeout 120 "${SHIMMED[@]}" "$python" "$here/python_ssl_semantics.py" "$pki/ca.pem" \
  "$pki/server.pem" "$pki/server.key" >"$WORK/semantics.out" 2>"$WORK/semantics.err" || true
while read -r verdict check; do
  case "$verdict" in
    pass) pass "ssl module semantics: $check" ;;
    *) fail "ssl module semantics: $check $(errors_of "$WORK/semantics.err")" ;;
  esac
done <"$WORK/semantics.out"
[ "$(grep -c '^pass ' "$WORK/semantics.out")" -eq 7 ] ||
  fail "ssl module semantics: not all 7 checks passed ($(wc -l <"$WORK/semantics.out") reported)"
programs_finish "$WORK"/*.err
