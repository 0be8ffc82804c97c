#!/usr/bin/env bash
# nginx's $ssl_ciphers and $ssl_curves, the client's offer as the server saw it
# (SSL_get0_raw_cipherlist with SSL_CIPHER_find, SSL_get1_groups: SSL_ctrl 110 and 90), through
# the shim or natively. The client is a native openssl s_client with a fixed offer, so every mode
# must log the same two strings; they were measured natively (s_client adds the renegotiation
# SCSV to its offer, which nginx names through SSL_CIPHER_find). tls_sniff_relay proves from each ServerHello who built it.
# usage: run_nginx_client_offer.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/nginx.sh"
programs_init nginx_client_offer "${1:-}"
require nginx nginx-light
require openssl openssl

make_pki "$WORK/pki"
tls_port=$(free_port)
plain_port=$(free_port)
write_nginx_conf "$WORK/nginx" "$tls_port" "$plain_port" "$WORK/pki"
# The two variables in the response of /offer.
sed -i 's#    location = /whoami {#    location = /offer {\n      default_type text/plain;\n      return 200 "ciphers=$ssl_ciphers curves=$ssl_curves\\n";\n    }\n    location = /whoami {#' \
  "$WORK/nginx/nginx.conf"
start_nginx_under_test "$WORK/nginx" "$tls_port"
start_relay relay "$tls_port"
printf 'GET /offer HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >"$WORK/request.txt"

offer() {  # offer NAME TLS-OPTION...: the /offer line of one connection
  timeout 20 "${NATIVE[@]}" openssl s_client -connect "127.0.0.1:$RELAY_PORT" -servername localhost \
    -CAfile "$WORK/pki/ca.pem" -verify_return_error -ign_eof -groups X25519:P-256:P-384 "${@:2}" \
    <"$WORK/request.txt" >"$WORK/$1.out" 2>&1 || fail "$1: s_client failed: $(tail -3 "$WORK/$1.out")"
  grep -a '^ciphers=' "$WORK/$1.out"
}

got=$(offer tls12 -tls1_2 -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305')
want='ciphers=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:TLS_EMPTY_RENEGOTIATION_INFO_SCSV curves=X25519:prime256v1:secp384r1'
if [ "$got" = "$want" ]; then
  pass "TLS 1.2: nginx logged the client's offer as natively: $got"
else
  fail "TLS 1.2: nginx logged '$got', natively '$want'"
fi
got=$(offer tls13 -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256)
want='ciphers=TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_EMPTY_RENEGOTIATION_INFO_SCSV curves=X25519:prime256v1:secp384r1'
if [ "$got" = "$want" ]; then
  pass "TLS 1.3: nginx logged the client's offer as natively: $got"
else
  fail "TLS 1.3: nginx logged '$got', natively '$want'"
fi

sleep 0.2
check_evidence "$WORK/relay.evidence" server 2
programs_finish "$WORK/nginx.err" "$WORK/nginx/error.log"
