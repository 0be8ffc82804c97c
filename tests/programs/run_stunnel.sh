#!/usr/bin/env bash
# stunnel4 in both roles, through the shim or natively, with a native stunnel4 on the other end
# and tls_sniff_relay between them as witness; a plain-HTTP python3 server behind, a native curl
# in front. stunnel makes its contexts with SSL_CTX_new_ex(NULL, "provider!=fips", ...) and sets
# its default groups list, "X25519:P-256:X448:P-521:P-384" (X448: a group BoringSSL lacks).
# Checked: a 1 MiB answer byte-exact with the shimmed stunnel as TLS server and as TLS client
# (verifying the server's chain and name), each twice (the second connection resumes).
# usage: run_stunnel.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init stunnel "${1:-}"
require stunnel4 stunnel4
require curl curl
require python3 python3

make_pki "$WORK/pki"
pki=$WORK/pki
start_http_files
http_port=$HTTP_PORT

# stunnel_conf NAME ROLE ACCEPT_PORT CONNECT_PORT: a foreground stunnel configuration.
stunnel_conf() {
  local name=$1 role=$2 accept=$3 connect=$4
  {
    printf '%s\n' "foreground = yes" "pid =" "debug = 5" "[$name]" \
      "accept = 127.0.0.1:$accept" "connect = 127.0.0.1:$connect"
    if [ "$role" = server ]; then
      printf '%s\n' "cert = $pki/server.pem" "key = $pki/server.key"
    else
      printf '%s\n' "client = yes" "CAfile = $pki/ca.pem" "verifyChain = yes" \
        "checkHost = localhost" "sni = localhost"
    fi
  } >"$WORK/$name.conf"
}

# fetch LABEL PORT SCHEME: GET /payload.bin; passes when the body is byte-exact.
fetch() {
  local label=$1 port=$2 scheme=$3 rc=0
  "${NATIVE[@]}" curl -sS --max-time 30 --cacert "$pki/ca.pem" \
    --resolve "localhost:$port:127.0.0.1" -o "$WORK/$label.bin" \
    "$scheme://localhost:$port/payload.bin" 2>"$WORK/curl-$label.err" || rc=$?
  if [ $rc -eq 0 ] && cmp -s "$WORK/$label.bin" "$WORK/www/payload.bin"; then
    pass "$label: 1 MiB through stunnel, byte-exact"
  else
    fail "$label: curl exit $rc, $(size_of "$WORK/$label.bin") bytes: $(head -c 300 "$WORK/curl-$label.err")"
  fi
}

# run_role ROLE: the shimmed stunnel is the TLS server (curl speaks TLS to it) or the TLS client
# (curl speaks plain HTTP to it, and it speaks TLS to a native stunnel server).
run_role() {
  local role=$1 tls_port plain_port
  tls_port=$(free_port)
  if [ "$role" = server ]; then
    stunnel_conf "server-$role" server "$tls_port" "$http_port"
    start_bg "stunnel-server-$role" timeout 100 "${SHIMMED[@]}" stunnel4 "$WORK/server-$role.conf"
    wait_port "$tls_port" 10 || fail "$role: stunnel did not listen: $(cat "$WORK/stunnel-server-$role.err")"
    start_relay "relay-$role" "$tls_port"
    fetch "$role-1" "$RELAY_PORT" https
    fetch "$role-2" "$RELAY_PORT" https
  else
    stunnel_conf "server-$role" server "$tls_port" "$http_port"
    start_bg "stunnel-server-$role" timeout 100 "${NATIVE[@]}" stunnel4 "$WORK/server-$role.conf"
    wait_port "$tls_port" 10 || fail "$role: the native stunnel did not listen"
    start_relay "relay-$role" "$tls_port"
    plain_port=$(free_port)
    stunnel_conf "client-$role" client "$plain_port" "$RELAY_PORT"
    start_bg "stunnel-client-$role" timeout 100 "${SHIMMED[@]}" stunnel4 "$WORK/client-$role.conf"
    wait_port "$plain_port" 10 || fail "$role: stunnel did not listen: $(cat "$WORK/stunnel-client-$role.err")"
    fetch "$role-1" "$plain_port" http
    fetch "$role-2" "$plain_port" http
  fi
  check_evidence "$WORK/relay-$role.evidence" "$role" 2
}

run_role server
run_role client
# stunnel logs a connection that ended badly ("Connection reset", an SSL_* error) where a clean
# one says "Connection closed"; the shim's refusals would show here too. One refusal is expected
# under the shim: stunnel's ticket callbacks (they put application data into session tickets,
# which BoringSSL's do not carry; refused by design, and stunnel goes on without them).
expected_refusal='^sslshim: SSL_CTX_set_session_ticket_cb: refused by design'
# stunnel logs "Connection closed" once both sides of a connection have ended, which can be after
# curl has its answer and exited: up to 10 s for each log's second line (a loaded machine was seen
# counting one before stunnel had written the other).
wait_for_closes() {
  for _ in $(seq 1 100); do
    [ "$(grep -ac 'Connection closed' "$1" || true)" -ge 2 ] && return 0
    sleep 0.1
  done
  return 1
}
for log in "$WORK"/stunnel-*.err; do
  wait_for_closes "$log" || true
  bad=$(grep -aE 'LOG[0-3]\[[0-9]+\]|Connection reset|^sslshim: ' "$log" |
    grep -avE "No trusted certificates|$expected_refusal" | head -3 || true)
  closed=$(grep -ac 'Connection closed' "$log" || true)
  if [ -n "$bad" ]; then
    fail "$(basename "$log" .err): $bad"
  elif [ "$closed" -lt 2 ]; then
    fail "$(basename "$log" .err): $closed connection(s) closed cleanly, expected 2"
  else
    pass "$(basename "$log" .err): $closed connections closed cleanly, nothing else refused"
  fi
done
programs_finish "$WORK"/*.err
