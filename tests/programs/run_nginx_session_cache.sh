#!/usr/bin/env bash
# nginx's shared session cache (`ssl_session_cache shared:`, tickets off), through the shim or
# natively; the clients are native openssl s_client. nginx keeps sessions in shared memory through
# its new-session callback and finds them again through its get-session callback, with the
# library's own cache off (SSL_SESS_CACHE_NO_INTERNAL), so that any of its two workers resumes a
# session either made. TLS 1.2: a full handshake saves the session (-sess_out, no ticket), then
# eight connections resume it by session ID (-sess_in), whichever worker takes them.
# tls_sniff_relay proves from each ServerHello who built it.
# usage: run_nginx_session_cache.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/nginx.sh"
programs_init nginx_session_cache "${1:-}"
require nginx nginx-light
require openssl openssl

make_pki "$WORK/pki"
tls_port=$(free_port)
plain_port=$(free_port)
# The common configuration has the shared cache; here without tickets, so that only it resumes.
write_nginx_conf "$WORK/nginx" "$tls_port" "$plain_port" "$WORK/pki"
sed -i 's/ssl_session_tickets on;/ssl_session_tickets off;/' "$WORK/nginx/nginx.conf"
grep -q 'ssl_session_cache shared:' "$WORK/nginx/nginx.conf" || fail "no shared cache in the configuration"
start_nginx_under_test "$WORK/nginx" "$tls_port"
start_relay relay "$tls_port"
printf 'GET /close/x HTTP/1.1\r\nHost: localhost\r\n\r\n' >"$WORK/request.txt"
client=(timeout 20 "${NATIVE[@]}" openssl s_client -connect "127.0.0.1:$RELAY_PORT"
  -servername localhost -CAfile "$WORK/pki/ca.pem" -verify_return_error -ign_eof -tls1_2
  -no_ticket)

"${client[@]}" -sess_out "$WORK/session.pem" <"$WORK/request.txt" >"$WORK/first.out" 2>&1 ||
  fail "first connection: s_client failed: $(tail -3 "$WORK/first.out")"
if grep -q '^New, TLSv1.2' "$WORK/first.out" && grep -q 'Session-ID: [0-9A-F]\{64\}' "$WORK/first.out"; then
  pass "TLS 1.2: full handshake, a session ID and no ticket saved"
else
  fail "TLS 1.2: first connection: $(grep -a '^New\|^Reused\|Session-ID:' "$WORK/first.out")"
fi
grep -q 'TLS session ticket:' "$WORK/first.out" && fail "a ticket was issued with tickets off"

reused=0
for i in $(seq 8); do
  "${client[@]}" -sess_in "$WORK/session.pem" <"$WORK/request.txt" >"$WORK/resumed$i.out" 2>&1 ||
    fail "resumption $i: s_client failed: $(tail -3 "$WORK/resumed$i.out")"
  if grep -q '^Reused, TLSv1.2' "$WORK/resumed$i.out" && grep -q 'reused=r' "$WORK/resumed$i.out"; then
    reused=$((reused + 1))
  fi
done
if [ "$reused" -eq 8 ]; then
  pass "TLS 1.2: 8 of 8 connections resumed the session from nginx's shared cache (\$ssl_session_reused=r)"
else
  fail "TLS 1.2: $reused of 8 connections resumed from the shared cache"
fi

sleep 0.2
check_evidence "$WORK/relay.evidence" server 9
programs_finish "$WORK/nginx.err" "$WORK/nginx/error.log"
