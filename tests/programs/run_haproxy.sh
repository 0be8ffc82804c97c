#!/usr/bin/env bash
# haproxy's TLS frontend (a `bind ... ssl crt` with two certificates), through the shim or
# natively, in front of a plain-HTTP python3 server; a native curl fetches through tls_sniff_relay.
# haproxy picks the certificate in its client hello callback (SSL_CTX_set_client_hello_cb, the
# SNI read with SSL_client_hello_get0_ext, then SSL_set_SSL_CTX to the certificate's context), so
# the name a client sends decides which certificate it gets. Checked: a 1 MiB answer byte-exact
# over TLS 1.3 and TLS 1.2, without SNI (the default certificate), with SNI for the second
# certificate (its subject seen by the client), and a resumed TLS 1.2 session.
# usage: run_haproxy.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init haproxy "${1:-}"
require /usr/sbin/haproxy haproxy
require curl curl
require python3 python3

make_pki "$WORK/pki"
pki=$WORK/pki
# The second certificate, for other.test only: served only when the callback switches to it.
{
  "${NATIVE[@]}" openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$pki/other.key" -out "$pki/other.csr" -subj "/CN=other.test"
  printf '%s\n' "subjectAltName=DNS:other.test" "basicConstraints=CA:FALSE" \
    "extendedKeyUsage=serverAuth" >"$pki/other.ext"
  "${NATIVE[@]}" openssl x509 -req -in "$pki/other.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
    -CAcreateserial -out "$pki/other.pem" -days 2 -extfile "$pki/other.ext"
} >"$pki/other.log" 2>&1 || fail "could not make the second certificate: $(cat "$pki/other.log")"
cat "$pki/server.pem" "$pki/server.key" >"$pki/haproxy-default.pem"
cat "$pki/other.pem" "$pki/other.key" >"$pki/haproxy-other.pem"

start_http_files
http_port=$HTTP_PORT

tls_port=$(free_port)
cat >"$WORK/haproxy.cfg" <<EOF
global
  log stderr format raw local0 err
  tune.ssl.default-dh-param 2048
defaults
  mode http
  log global
  timeout connect 5s
  timeout client 20s
  timeout server 20s
frontend tls
  bind 127.0.0.1:$tls_port ssl crt $pki/haproxy-default.pem crt $pki/haproxy-other.pem
  default_backend files
backend files
  server py 127.0.0.1:$http_port
EOF
"${NATIVE[@]}" /usr/sbin/haproxy -c -q -f "$WORK/haproxy.cfg" >"$WORK/check.out" 2>&1 ||
  fail "haproxy -c: $(cat "$WORK/check.out")"
start_bg haproxy timeout 100 "${SHIMMED[@]}" /usr/sbin/haproxy -db -f "$WORK/haproxy.cfg"
wait_port "$tls_port" 10 || fail "haproxy did not listen: $(cat "$WORK/haproxy.err")"
start_relay relay "$tls_port"

# fetch LABEL HOST [curl options]: GET /payload.bin from HOST (resolved to the relay); passes when
# curl succeeds and the body is byte-exact. The certificate's subject goes to $WORK/LABEL.subject.
fetch() {
  local label=$1 host=$2
  shift 2
  local rc=0
  "${NATIVE[@]}" curl -sS -v --max-time 30 --cacert "$pki/ca.pem" \
    --resolve "$host:$RELAY_PORT:127.0.0.1" "$@" \
    -o "$WORK/$label.bin" "https://$host:$RELAY_PORT/payload.bin" \
    >"$WORK/curl-$label.out" 2>"$WORK/curl-$label.err" || rc=$?
  grep -a '^\* *subject:' "$WORK/curl-$label.err" | head -1 >"$WORK/$label.subject" || true
  if [ $rc -eq 0 ] && cmp -s "$WORK/$label.bin" "$WORK/www/payload.bin"; then
    pass "$label: 1 MiB through haproxy's TLS frontend, byte-exact ($(grep -ao 'SSL connection using [^ ]*' "$WORK/curl-$label.err" | head -1 | cut -d' ' -f4))"
  else
    fail "$label: curl exit $rc, $(size_of "$WORK/$label.bin") bytes; curl:" \
      "$(grep -a '^curl:' "$WORK/curl-$label.err" | head -c 300); haproxy: $(errors_of "$WORK/haproxy.err")"
  fi
}

fetch tls13-sni localhost --tlsv1.3
fetch tls12-sni localhost --tlsv1.2 --tls-max 1.2
# No SNI for an address: haproxy's callback keeps the default certificate (its SAN has the IP).
fetch tls13-no-sni 127.0.0.1 --tlsv1.3
fetch other-name other.test --tlsv1.3
if grep -q 'CN=other.test' "$WORK/other-name.subject"; then
  pass "SNI other.test: the client hello callback switched to the second certificate"
else
  fail "SNI other.test: the client saw $(cat "$WORK/other-name.subject")"
fi
if grep -q 'CN=localhost' "$WORK/tls13-sni.subject"; then
  pass "SNI localhost: the default certificate"
else
  fail "SNI localhost: the client saw $(cat "$WORK/tls13-sni.subject")"
fi

# Resumption over TLS 1.2 (haproxy's shared session cache: its new-session callback blanks and
# restores the session ID around i2d_SSL_SESSION): a native openssl s_client saves the session,
# then offers it again.
sess_rc=0
for i in 1 2; do
  opts=(-sess_out "$WORK/tls12.sess")
  [ $i = 2 ] && opts=(-sess_in "$WORK/tls12.sess")
  printf 'GET /payload.bin HTTP/1.0\r\nHost: localhost\r\n\r\n' |
    "${NATIVE[@]}" timeout 20 openssl s_client -connect "127.0.0.1:$RELAY_PORT" \
      -servername localhost -CAfile "$pki/ca.pem" -verify_return_error -tls1_2 -ign_eof \
      "${opts[@]}" >"$WORK/s_client-$i.out" 2>"$WORK/s_client-$i.err" || sess_rc=$?
done
if [ $sess_rc -eq 0 ] && grep -aq '^Reused, TLSv1.2' "$WORK/s_client-2.out"; then
  pass "TLS 1.2 session resumed by haproxy"
else
  fail "TLS 1.2 resumption: s_client exit $sess_rc; second connection:" \
    "$(grep -a -m1 -E '^(New|Reused),' "$WORK/s_client-2.out")"
fi

check_evidence "$WORK/relay.evidence" server 6

# Preloaded, the same frontend with the shim on its other backend (the real libssl, whose own
# client hello callback hands the shim the ClientHello): the callback still picks the certificate.
if [ "$MODE" = preload ]; then
  sed "s/127.0.0.1:$tls_port /127.0.0.1:__PORT__ /" "$WORK/haproxy.cfg" >"$WORK/haproxy-openssl.cfg"
  tls_port=$(free_port)
  sed -i "s/__PORT__/$tls_port/" "$WORK/haproxy-openssl.cfg"
  start_bg haproxy-openssl timeout 60 "${NATIVE[@]}" LD_PRELOAD="$PROGRAMS_SHIM" \
    SSLSHIM_BACKEND=openssl /usr/sbin/haproxy -db -f "$WORK/haproxy-openssl.cfg"
  wait_port "$tls_port" 10 || fail "haproxy (openssl backend) did not listen"
  RELAY_PORT=$tls_port
  fetch openssl-backend-other other.test --tlsv1.3
  fetch openssl-backend-tls12 localhost --tlsv1.2 --tls-max 1.2
  if grep -q 'CN=other.test' "$WORK/openssl-backend-other.subject"; then
    pass "openssl backend, SNI other.test: the second certificate"
  else
    fail "openssl backend, SNI other.test: the client saw $(cat "$WORK/openssl-backend-other.subject")"
  fi
fi
programs_finish "$WORK"/*.err
