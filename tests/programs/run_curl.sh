#!/usr/bin/env bash
# curl (libcurl) as a TLS client, through the shim or natively: HTTPS GET and POST of
# 12 MiB against a native nginx with a private CA; verification failures (wrong host name, unknown
# CA) with curl's own errors; ALPN h2 and http/1.1; session resumption across two transfers of one
# invocation (TLS 1.3 and 1.2); a key log that decrypts the handshake; a client certificate; TLS-SRP
# refused clearly through the shim.
# tls_sniff_relay sits between curl and nginx and proves who built each ClientHello.
# usage: run_curl.sh native|preload|standin|lazy
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/nginx.sh"
programs_init curl "${1:-}"
require curl curl
require nginx nginx-light

make_pki "$WORK/pki"
tls_port=$(free_port)
plain_port=$(free_port)
write_nginx_conf "$WORK/nginx" "$tls_port" "$plain_port" "$WORK/pki"
make_payload "$WORK/nginx/www/big.bin" 12
make_payload "$WORK/upload.bin" 12
start_bg nginx "${NATIVE[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
wait_port "$tls_port" 10 || { cat "$WORK/nginx.err" "$WORK/nginx/error.log"; exit 1; }
start_relay relay "$tls_port"
port=$RELAY_PORT
url="https://localhost:$port"
ca=(--cacert "$WORK/pki/ca.pem")

# run_curl NAME ARGS...: curl in the mode under test; stdout/stderr in $WORK/NAME.{out,err};
# sets rc. -sS: no progress meter, but curl's own error message.
run_curl() {
  local name=$1
  shift
  rc=0
  timeout 30 "${SHIMMED[@]}" curl -sS --max-time 25 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
    rc=$?
}
last_relay_line() { tail -n 1 "$WORK/relay.evidence"; }
relay_lines() { grep -c . "$WORK/relay.evidence" 2>/dev/null || echo 0; }

# 1. GET of 12 MiB, byte-exact.
run_curl get "${ca[@]}" --http1.1 -o "$WORK/got.bin" "$url/big.bin"
if [ $rc -eq 0 ] && [ "$(sha256_of "$WORK/got.bin")" = "$(sha256_of "$WORK/nginx/www/big.bin")" ]; then
  pass "GET 12 MiB: SHA-256 matches"
else
  fail "GET 12 MiB: curl exit $rc, $(errors_of "$WORK/get.err")"
fi

# 2. POST of 12 MiB: nginx keeps the body in a file and answers its path.
run_curl post "${ca[@]}" --http1.1 -H 'Expect:' --data-binary "@$WORK/upload.bin" "$url/upload"
stored=$(head -1 "$WORK/post.out" 2>/dev/null || true)
if [ $rc -eq 0 ] && [ -f "$stored" ] &&
  [ "$(sha256_of "$stored")" = "$(sha256_of "$WORK/upload.bin")" ]; then
  pass "POST 12 MiB: the body nginx stored has the sent SHA-256"
else
  fail "POST 12 MiB: curl exit $rc, answer '$stored', $(errors_of "$WORK/post.err")"
fi

# 3. Verification failures: curl's exit code 60 and its own message, as natively.
run_curl wronghost "${ca[@]}" --resolve "wronghost.test:$port:127.0.0.1" \
  "https://wronghost.test:$port/whoami"
if [ $rc -eq 60 ] && grep -q "no alternative certificate subject name matches target host name 'wronghost.test'" "$WORK/wronghost.err"; then
  pass "wrong host name refused: exit 60, $(head -1 "$WORK/wronghost.err")"
else
  fail "wrong host name: expected exit 60 and curl's host-name message, got exit $rc: $(errors_of "$WORK/wronghost.err")"
fi
run_curl unknownca --cacert "$WORK/pki/other-ca.pem" "$url/whoami"
if [ $rc -eq 60 ] && grep -q "SSL certificate problem: unable to get local issuer certificate" "$WORK/unknownca.err"; then
  pass "unknown CA refused: exit 60, $(head -1 "$WORK/unknownca.err")"
else
  fail "unknown CA: expected exit 60 and 'SSL certificate problem: unable to get local issuer certificate', got exit $rc: $(errors_of "$WORK/unknownca.err")"
fi

# 4. ALPN: h2 and http/1.1, as offered on the wire and as nginx negotiated it.
run_curl alpn_h2 "${ca[@]}" --http2 "$url/whoami"
if [ $rc -eq 0 ] && grep -q "proto=HTTP/2.0 .*alpn=h2 " "$WORK/alpn_h2.out" &&
  [ "$(json_field "$(last_relay_line)" alpn_offered)" = '["h2","http/1.1"]' ]; then
  pass "ALPN h2: offered [h2,http/1.1], nginx answered over HTTP/2"
else
  fail "ALPN h2: exit $rc, nginx saw '$(cat "$WORK/alpn_h2.out")', offered $(json_field "$(last_relay_line)" alpn_offered), $(errors_of "$WORK/alpn_h2.err")"
fi
run_curl alpn_h1 "${ca[@]}" --http1.1 "$url/whoami"
if [ $rc -eq 0 ] && grep -q "proto=HTTP/1.1 .*alpn=http/1.1 " "$WORK/alpn_h1.out" &&
  [ "$(json_field "$(last_relay_line)" alpn_offered)" = '["http/1.1"]' ]; then
  pass "ALPN http/1.1: offered [http/1.1], nginx answered over HTTP/1.1"
else
  fail "ALPN http/1.1: exit $rc, nginx saw '$(cat "$WORK/alpn_h1.out")', $(errors_of "$WORK/alpn_h1.err")"
fi

# 5. Session resumption across two transfers of one invocation: nginx closes the connection
# after each answer, so the second transfer makes a new one and offers the first's session.
for tls in 1.3 1.2; do
  before=$(relay_lines)
  run_curl "resume$tls" "${ca[@]}" --http1.1 --tlsv1.2 --tls-max "$tls" \
    "$url/close/one" "$url/close/two"
  sleep 0.2  # the relay logs a connection once both hellos are through
  second=$(sed -n "$((before + 2))p" "$WORK/relay.evidence")
  if [ $rc -eq 0 ] && [ "$(sed -n 2p "$WORK/resume$tls.out")" = "reused=r" ] &&
    [ "$(json_field "$second" version)" = "$tls" ] &&
    [[ "$(json_field "$second" handshake)" =~ ^(psk|abbreviated)$ ]]; then
    pass "TLS $tls session resumed by the second transfer (nginx: reused=r; wire: $(json_field "$second" handshake) handshake)"
  else
    fail "TLS $tls resumption: exit $rc, nginx answered '$(tr '\n' ' ' <"$WORK/resume$tls.out")', second connection: version $(json_field "$second" version), handshake '$(json_field "$second" handshake)'; $(errors_of "$WORK/resume$tls.err")"
  fi
done

# 6. SSLKEYLOGFILE: the log must hold the secret that decrypts this connection's handshake.
rc=0
SSLKEYLOGFILE="$WORK/keys.log" timeout 30 "${SHIMMED[@]}" SSLKEYLOGFILE="$WORK/keys.log" \
  curl -sS "${ca[@]}" --tlsv1.3 "$url/whoami" >"$WORK/keylog.out" 2>"$WORK/keylog.err" || rc=$?
sleep 0.2
line=$(last_relay_line)
if [ $rc -eq 0 ] && check_out=$("${NATIVE[@]}" "$PROGRAMS_KEYLOG_CHECK" "$WORK/keys.log" \
  "$(json_field "$line" client_random)" "$(json_field "$line" cipher)" \
  "$(json_field "$line" first_encrypted_record)" 2>&1); then
  pass "SSLKEYLOGFILE: $check_out"
else
  fail "SSLKEYLOGFILE: curl exit $rc; ${check_out:-}; $(errors_of "$WORK/keylog.err")"
fi

# 7. Client certificate: nginx verified it against the test CA.
run_curl clientcert "${ca[@]}" --cert "$WORK/pki/client.pem" --key "$WORK/pki/client.key" \
  "$url/whoami"
if [ $rc -eq 0 ] && grep -q "verify=SUCCESS dn=CN=sslshim-client" "$WORK/clientcert.out"; then
  pass "client certificate: nginx verified CN=sslshim-client"
else
  fail "client certificate: exit $rc, nginx saw '$(cat "$WORK/clientcert.out")', $(errors_of "$WORK/clientcert.err")"
fi

# 8. TLS-SRP (--tlsauthtype SRP): BoringSSL has no SRP, so through the shim curl must stop with its
# own message and the shim's reason, never fall back silently to certificate authentication.
# Natively the same command succeeds without SRP: curl's cipher list "SRP" restricts TLS 1.2 only,
# and OpenSSL 3 negotiates TLS 1.3 with nginx, where the SRP credentials go unused. Straight to
# nginx, not through the relay, whose evidence counts ClientHellos.
run_curl srp "${ca[@]}" --tlsauthtype SRP --tlsuser alice --tlspassword secret \
  "https://localhost:$tls_port/whoami"
if [ "$MODE" = native ]; then
  if [ $rc -eq 0 ]; then
    pass "TLS-SRP natively: TLS 1.3 with the certificate, SRP credentials unused (exit 0)"
  else
    fail "TLS-SRP natively: expected exit 0 (TLS 1.3 ignores the SRP cipher list), got $rc: $(errors_of "$WORK/srp.err")"
  fi
elif [ $rc -eq 43 ] && grep -q "Unable to set SRP user name" "$WORK/srp.err" &&
  grep -q "SSL_CTX_set_srp_username: refused by design for sslshim's objects: SRP" "$WORK/srp.err"; then
  pass "TLS-SRP through the shim: refused with curl's message and the shim's reason (exit 43)"
else
  fail "TLS-SRP through the shim: expected exit 43 with the refusal, got $rc: $(cat "$WORK/srp.err")"
fi

check_evidence "$WORK/relay.evidence" client 10
programs_finish "$WORK"/*.err
