#!/usr/bin/env bash
# nginx with `ssl_early_data on;`, through the shim or natively: a native openssl
# s_client takes a TLS 1.3 ticket (-sess_out), then resumes with it and sends its whole HTTP
# request as early data (-sess_in -early_data). Proof that the request was early data: the client
# says "Early data was accepted", and nginx answers the request, which the client sent only as
# early data; nginx's $ssl_early_data (in the body and in a header) is 1 when nginx handled it
# before the handshake ended, which is a race (the client's Finished follows at once). A third
# connection resumes without early data: $ssl_early_data is empty there. tls_sniff_relay proves
# from each ServerHello who built it.
# usage: run_nginx_early_data.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/nginx.sh"
programs_init nginx_early_data "${1:-}"
require nginx nginx-light
require openssl openssl

make_pki "$WORK/pki"
tls_port=$(free_port)
plain_port=$(free_port)
early_directives='ssl_early_data on;
    add_header X-Early-Data "[$ssl_early_data]" always;
    location = /early {
      default_type text/plain;
      return 200 "early=[$ssl_early_data] tls=$ssl_protocol reused=$ssl_session_reused\n";
    }'
write_nginx_conf "$WORK/nginx" "$tls_port" "$plain_port" "$WORK/pki" "$early_directives"

start_bg nginx "${SHIMMED[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
if ! wait_port "$tls_port" 10; then
  fail "nginx did not start listening: $(errors_of "$WORK/nginx.err") $(tail -3 "$WORK/nginx/error.log" 2>/dev/null)"
  programs_finish "$WORK/nginx.err" "$WORK/nginx/error.log"
fi
start_relay relay "$tls_port"

printf 'GET /early HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >"$WORK/request.txt"
client=(timeout 20 "${NATIVE[@]}" openssl s_client -connect "127.0.0.1:$RELAY_PORT"
  -servername localhost -CAfile "$WORK/pki/ca.pem" -verify_return_error -tls1_3 -ign_eof)

# 1. A full handshake: the ticket (nginx's max_early_data makes it allow early data).
"${client[@]}" -sess_out "$WORK/session.pem" <"$WORK/request.txt" >"$WORK/first.out" 2>&1 ||
  fail "first connection: s_client failed: $(tail -3 "$WORK/first.out")"
if grep -q 'early=\[\]' "$WORK/first.out" && [ -s "$WORK/session.pem" ]; then
  pass "first connection: answered without early data, ticket saved"
else
  fail "first connection: no answer or no ticket: $(grep -a 'early=' "$WORK/first.out")"
fi
max=$("${NATIVE[@]}" openssl sess_id -in "$WORK/session.pem" -text -noout 2>/dev/null |
  sed -n 's/.*Max Early Data: *//p')
if [ -n "$max" ] && [ "$max" -gt 0 ]; then
  pass "the ticket allows $max bytes of early data"
else
  fail "the ticket allows no early data ('$max')"
fi

# 2. Resumption with the request as early data.
"${client[@]}" -sess_in "$WORK/session.pem" -early_data "$WORK/request.txt" </dev/null \
  >"$WORK/early.out" 2>&1 || fail "early-data connection: s_client failed: $(tail -3 "$WORK/early.out")"
if grep -q 'Early data was accepted' "$WORK/early.out"; then
  pass "client: Early data was accepted"
else
  fail "client: early data not accepted: $(grep -ai 'early data' "$WORK/early.out" | head -2)"
fi
# The request existed only as early data (stdin is empty), so an answer to it proves nginx read
# the early data. Whether nginx still counts it as early ($ssl_early_data=1) depends on whether it
# handled the request before the client's Finished arrived: a race natively too, so both count,
# and the line says which it was.
if grep -q 'early=\[1\] tls=TLSv1.3 reused=r' "$WORK/early.out" &&
  grep -qi '^X-Early-Data: \[1\]' "$WORK/early.out"; then
  pass "nginx answered the request sent as early data, before the handshake ended (\$ssl_early_data=1, resumed)"
elif grep -q 'early=\[\] tls=TLSv1.3 reused=r' "$WORK/early.out"; then
  pass "nginx answered the request sent as early data, after the client's Finished had arrived (\$ssl_early_data empty, resumed)"
else
  fail "nginx did not answer the request sent as early data: $(grep -ai 'early' "$WORK/early.out" | head -4)"
fi
if [ "$(grep -c '^HTTP/1.1 200' "$WORK/early.out")" -eq 1 ]; then
  pass "exactly one response (the request was not also replayed as 1-RTT data)"
else
  fail "responses on the early-data connection: $(grep -c '^HTTP/1.1' "$WORK/early.out")"
fi

# 3. Resumption with the request after the handshake: not early data.
"${client[@]}" -sess_in "$WORK/session.pem" <"$WORK/request.txt" >"$WORK/late.out" 2>&1 ||
  fail "third connection: s_client failed: $(tail -3 "$WORK/late.out")"
if grep -q 'early=\[\] tls=TLSv1.3 reused=r' "$WORK/late.out"; then
  pass "a resumed request after the handshake: \$ssl_early_data empty"
else
  fail "third connection: $(grep -a 'early=' "$WORK/late.out")"
fi

sleep 0.2
check_evidence "$WORK/relay.evidence" server 3
programs_finish "$WORK/nginx.err" "$WORK/nginx/error.log"
