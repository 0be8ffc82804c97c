#!/usr/bin/env bash
# nginx as the TLS server, through the shim or natively: the shim is loaded into nginx
# (master and its forked workers); the clients are native curl. 16 connections, half TLS 1.2 and
# half TLS 1.3, 13 requests each on a kept-alive connection (208 in all), every response a 64 KiB
# file compared byte for byte; tls_sniff_relay proves from each ServerHello who built it.
# The TLS settings partly come from ssl_conf_command (SSL_CONF_cmd): each one's effect is checked
# in the ServerHellos the relay saw.
# usage: run_nginx.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/nginx.sh"
programs_init nginx "${1:-}"
require nginx nginx-light
require curl curl

connections=16
requests_per_connection=13
make_pki "$WORK/pki"
tls_port=$(free_port)
plain_port=$(free_port)
# TLS 1.2: two suites where curl prefers the second (AES-256-GCM, 49196), and the server's
# preference: every connection must choose ECDHE-ECDSA-CHACHA20-POLY1305 (52393), which proves
# both CipherString and Options. TLS 1.3: the three suites both libraries have (BoringSSL cannot
# leave one out, and refuses a list that does), so any of 4865-4867. -SessionTicket is not visible
# here (curl offers no TLS 1.2 ticket): it must just be accepted.
conf_commands='ssl_conf_command Options -SessionTicket,ServerPreference;
    ssl_conf_command CipherString ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384;
    ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256;'
declare -A expected_cipher=([1.2]=52393)
write_nginx_conf "$WORK/nginx" "$tls_port" "$plain_port" "$WORK/pki" "$conf_commands"
head -c 65536 /dev/urandom >"$WORK/nginx/www/page.bin"
expected=$(sha256_of "$WORK/nginx/www/page.bin")

start_bg nginx "${SHIMMED[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
if ! wait_port "$tls_port" 10; then
  fail "nginx did not start listening: $(errors_of "$WORK/nginx.err") $(tail -3 "$WORK/nginx/error.log" 2>/dev/null)"
  programs_finish "$WORK/nginx.err" "$WORK/nginx/error.log"
fi
start_relay relay "$tls_port"

# Each client: one connection (URL globbing reuses it), its own TLS version.
pids=()
for ((k = 0; k < connections; k++)); do
  tls=1.3
  ((k % 2)) && tls=1.2
  mkdir -p "$WORK/c$k"
  timeout 60 "${NATIVE[@]}" curl -sS --http1.1 --cacert "$WORK/pki/ca.pem" --tlsv1.2 \
    --tls-max "$tls" "https://localhost:$RELAY_PORT/page.bin?[1-$requests_per_connection]" \
    -o "$WORK/c$k/#1" >"$WORK/client$k.out" 2>"$WORK/client$k.err" &
  pids+=($!)
done
failed_clients=0
for pid in "${pids[@]}"; do wait "$pid" || failed_clients=$((failed_clients + 1)); done

good=$(find "$WORK" -path "$WORK/c*/*" -type f -exec sha256sum {} + | grep -c "^$expected " || true)
total=$((connections * requests_per_connection))
if [ $failed_clients -eq 0 ] && [ $good -eq $total ]; then
  pass "$total responses on $connections connections, every one byte-exact"
else
  fail "$good of $total responses byte-exact, $failed_clients of $connections clients failed: $(cat "$WORK"/client*.err | sort | uniq -c | head -5)"
fi

sleep 0.2
log=$WORK/relay.evidence
for tls in 1.2 1.3; do
  n=$(grep -c "\"version\":\"$tls\"" "$log" || true)
  if [ "$n" -eq $((connections / 2)) ]; then
    pass "TLS $tls: $n connections negotiated it"
  else
    fail "TLS $tls: $n connections negotiated it, expected $((connections / 2))"
  fi
  # ssl_conf_command's suites: every connection of this version chose the one suite allowed.
  suites=$(grep "\"version\":\"$tls\"" "$log" | while read -r line; do json_field "$line" cipher; done |
    sort | uniq -c | tr -s ' ' | tr '\n' ';')
  if [ "$tls" = 1.2 ] && [ "$suites" = " $((connections / 2)) ${expected_cipher[$tls]};" ]; then
    pass "ssl_conf_command: TLS 1.2 connections all used suite ${expected_cipher[$tls]}"
  elif [ "$tls" = 1.3 ] && ! echo "$suites" | tr ';' '\n' | awk 'NF == 2 && ($2 < 4865 || $2 > 4867) { bad = 1 } END { exit bad }'; then
    fail "ssl_conf_command: TLS 1.3 suites (count value): $suites, expected only 4865-4867"
  elif [ "$tls" = 1.3 ]; then
    pass "ssl_conf_command: TLS 1.3 connections used the listed suites ($suites)"
  else
    fail "ssl_conf_command: TLS $tls suites (count value): $suites expected ${expected_cipher[$tls]} only"
  fi
done
served=$(grep -c ' 200$' "$WORK/nginx/access.log" 2>/dev/null || true)
[ "$served" -eq "$total" ] && pass "nginx logged $served requests answered 200" ||
  fail "nginx logged $served requests answered 200, expected $total"
check_evidence "$log" server "$connections"
programs_finish "$WORK/nginx.err" "$WORK/nginx/error.log"
