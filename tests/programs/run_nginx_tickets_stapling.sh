#!/usr/bin/env bash
# nginx with `ssl_session_ticket_key` (its ticket key callback) and `ssl_stapling_file` (its OCSP
# status callback), through the shim or natively; the clients are native openssl s_client.
# Tickets: for TLS 1.2 and 1.3, a full handshake saves the session (-sess_out); nginx is stopped
# and started again (new processes, the same key file, an empty session cache), and the client
# resumes with the saved ticket, which only the key file's keys can open. Stapling: a client that
# asks (-status) gets the response file's bytes, one that does not ask gets none.
# tls_sniff_relay proves from each ServerHello who built it.
# usage: run_nginx_tickets_stapling.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/nginx.sh"
programs_init nginx_tickets_stapling "${1:-}"
require nginx nginx-light
require openssl openssl

make_pki "$WORK/pki"
tls_port=$(free_port)
plain_port=$(free_port)
head -c 80 /dev/urandom >"$WORK/ticket.key"
# An OCSPResponse with status "unauthorized" and no body: valid DER that nginx staples as it is.
printf '\x30\x03\x0a\x01\x06' >"$WORK/ocsp.der"
directives="ssl_session_ticket_key $WORK/ticket.key;
    ssl_stapling on;
    ssl_stapling_file $WORK/ocsp.der;
    ssl_trusted_certificate $WORK/pki/ca.pem;"
write_nginx_conf "$WORK/nginx" "$tls_port" "$plain_port" "$WORK/pki" "$directives"

start_nginx() {
  start_bg "nginx$1" "${SHIMMED[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
  if ! wait_port "$tls_port" 10; then
    fail "nginx ($1) did not start listening: $(errors_of "$WORK/nginx$1.err") $(tail -3 "$WORK/nginx/error.log" 2>/dev/null)"
    programs_finish "$WORK/nginx$1.err" "$WORK/nginx/error.log"
  fi
}

stop_nginx() {
  local pid
  pid=$(cat "$WORK/nginx/nginx.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do port_in_use "$tls_port" || return 0; sleep 0.1; done
  fail "nginx did not stop"
}

start_nginx 1
start_relay relay "$tls_port"
printf 'GET /close/x HTTP/1.1\r\nHost: localhost\r\n\r\n' >"$WORK/request.txt"
client=(timeout 20 "${NATIVE[@]}" openssl s_client -connect "127.0.0.1:$RELAY_PORT"
  -servername localhost -CAfile "$WORK/pki/ca.pem" -verify_return_error -ign_eof)

# Stapling: asked, then not asked.
for tls in 1.2 1.3; do
  "${client[@]}" "-tls${tls/./_}" -status <"$WORK/request.txt" >"$WORK/status$tls.out" 2>&1 ||
    fail "stapling, TLS $tls: s_client failed: $(tail -3 "$WORK/status$tls.out")"
  if grep -q 'OCSP Response Status: unauthorized (0x6)' "$WORK/status$tls.out"; then
    pass "stapling, TLS $tls: the client that asked got the response file's staple"
  else
    fail "stapling, TLS $tls: no staple: $(grep -a -A2 'OCSP response' "$WORK/status$tls.out" | head -3)"
  fi
done
"${client[@]}" -tls1_3 <"$WORK/request.txt" >"$WORK/nostatus.out" 2>&1 ||
  fail "no stapling: s_client failed: $(tail -3 "$WORK/nostatus.out")"
if grep -q 'OCSP' "$WORK/nostatus.out"; then
  fail "no stapling: a client that did not ask saw: $(grep -a 'OCSP' "$WORK/nostatus.out" | head -2)"
else
  pass "no stapling: a client that did not ask got no staple"
fi

# Tickets: sessions from the first nginx.
for tls in 1.2 1.3; do
  "${client[@]}" "-tls${tls/./_}" -sess_out "$WORK/session$tls.pem" <"$WORK/request.txt" \
    >"$WORK/first$tls.out" 2>&1 || fail "TLS $tls first connection: s_client failed: $(tail -3 "$WORK/first$tls.out")"
  if grep -q "^New, TLSv$tls" "$WORK/first$tls.out" && [ -s "$WORK/session$tls.pem" ]; then
    pass "TLS $tls: full handshake, session saved"
  else
    fail "TLS $tls: first connection: $(grep -a '^New\|^Reused' "$WORK/first$tls.out")"
  fi
done

stop_nginx
start_nginx 2
for tls in 1.2 1.3; do
  "${client[@]}" "-tls${tls/./_}" -sess_in "$WORK/session$tls.pem" <"$WORK/request.txt" \
    >"$WORK/resumed$tls.out" 2>&1 || fail "TLS $tls resumption: s_client failed: $(tail -3 "$WORK/resumed$tls.out")"
  if grep -q "^Reused, TLSv$tls" "$WORK/resumed$tls.out" && grep -q 'reused=r' "$WORK/resumed$tls.out"; then
    pass "TLS $tls: a new nginx with the same key file resumed the ticket (\$ssl_session_reused=r)"
  else
    fail "TLS $tls: not resumed by the new nginx: $(grep -a '^New\|^Reused\|reused=' "$WORK/resumed$tls.out")"
  fi
done

sleep 0.2
check_evidence "$WORK/relay.evidence" server 7
programs_finish "$WORK/nginx1.err" "$WORK/nginx2.err" "$WORK/nginx/error.log"
