#!/usr/bin/env bash
# The openssl command, the tool every TLS user reaches for first, through the shim or natively:
#  - s_client -CAfile -verify_hostname -verify_return_error against a native s_server -www, TLS 1.2
#    and 1.3: the page arrives, verification says 0 (ok), and the session is printed;
#  - s_client with a CA that did not issue the server's certificate: refused, with OpenSSL's
#    verify error, as natively;
#  - s_client -dane_tlsa_domain -dane_tlsa_rrdata (DANE, no CA file): a DANE-EE record of the
#    server's key verifies it, and s_client prints the match; a record matching nothing refuses it;
#  - s_server -www (its pages go through BIO_f_ssl) against a native s_client.
# tls_sniff_relay sits between the two and proves who built each hello.
# usage: run_openssl_cli.sh native|preload|standin|lazy
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init openssl_cli "${1:-}"
require openssl openssl

make_pki "$WORK/pki"
pki=$WORK/pki

# start_s_server NAME PREFIX... : an s_server -www for one connection, in the given mode; sets
# SERVER_PORT.
start_s_server() {
  local name=$1
  shift
  SERVER_PORT=$(free_port)
  start_bg "$name" timeout 30 "$@" openssl s_server -accept "127.0.0.1:$SERVER_PORT" \
    -cert "$pki/server.pem" -key "$pki/server.key" -www -naccept 1
  wait_port "$SERVER_PORT" 10 || fail "$name did not listen: $(cat "$WORK/$name.err")"
}

# run_s_client NAME PORT PREFIX... -- ARGS...: s_client sends a GET and waits for the page; sets rc.
run_s_client() {
  local name=$1 port=$2
  shift 2
  local prefix=()
  while [ "$1" != -- ]; do
    prefix+=("$1")
    shift
  done
  shift
  rc=0
  (printf 'GET / HTTP/1.0\r\n\r\n'; sleep 2) |
    timeout 20 "${prefix[@]}" openssl s_client -connect "127.0.0.1:$port" -servername localhost \
      "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
}

for version in 1.2 1.3; do
  start_s_server "server-$version" "${NATIVE[@]}"
  start_relay "relay-$version" "$SERVER_PORT"
  run_s_client "client-$version" "$RELAY_PORT" "${SHIMMED[@]}" -- -CAfile "$pki/ca.pem" \
    -verify_hostname localhost -verify_return_error "-tls${version/./_}"
  out=$WORK/client-$version.out
  if [ $rc -eq 0 ] && grep -q '^HTTP/1.0 200 ok' "$out" && grep -q 'Verify return code: 0 (ok)' "$out" &&
    grep -q "Protocol  : TLSv$version" "$out" && grep -q '^Verification: OK' "$out"; then
    pass "s_client, TLS $version: verified, the page arrived, the session printed"
  else
    fail "s_client, TLS $version: exit $rc; $(grep -m3 'Verify return\|Protocol  :\|HTTP/1.0' "$out" | tr '\n' ' ')" \
      "$(errors_of "$WORK/client-$version.err")"
  fi
  check_evidence "$WORK/relay-$version.evidence" client 1
done

# A CA that did not issue the server's certificate: OpenSSL's error 20, and s_client gives up.
start_s_server server-wrong-ca "${NATIVE[@]}"
run_s_client wrong-ca "$SERVER_PORT" "${SHIMMED[@]}" -- -CAfile "$pki/other-ca.pem" -verify_return_error
if [ $rc -ne 0 ] && grep -q 'unable to get local issuer certificate' "$WORK/wrong-ca.err" "$WORK/wrong-ca.out" &&
  ! grep -q '^HTTP/1.0 200' "$WORK/wrong-ca.out"; then
  pass "s_client with an unrelated CA: refused (unable to get local issuer certificate)"
else
  fail "s_client with an unrelated CA: exit $rc; $(grep -m2 'Verify return\|verify error' "$WORK/wrong-ca.out" "$WORK/wrong-ca.err" | tr '\n' ' ')"
fi

# DANE: a DANE-EE(3) SPKI(1) SHA2-256(1) record of the server's key, and one matching nothing.
spki_sha256=$(openssl x509 -in "$pki/server.pem" -pubkey -noout | openssl pkey -pubin -outform DER |
  openssl dgst -sha256 -r | cut -d' ' -f1)
[ ${#spki_sha256} -eq 64 ] || fail "could not compute the server key's SHA-256: '$spki_sha256'"
start_s_server server-dane "${NATIVE[@]}"
start_relay relay-dane "$SERVER_PORT"
run_s_client dane "$RELAY_PORT" "${SHIMMED[@]}" -- -dane_tlsa_domain localhost \
  -dane_tlsa_rrdata "3 1 1 $spki_sha256" -verify_return_error
if [ $rc -eq 0 ] && grep -q '^HTTP/1.0 200 ok' "$WORK/dane.out" && grep -q '^Verification: OK' "$WORK/dane.out" &&
  grep -q "^DANE TLSA 3 1 1 .*matched EE certificate at depth 0" "$WORK/dane.out"; then
  pass "s_client with a DANE-EE record: verified by DANE, the match printed, the page arrived"
else
  fail "s_client with a DANE-EE record: exit $rc; $(grep -m3 'DANE\|Verif' "$WORK/dane.out" | tr '\n' ' ')" \
    "$(errors_of "$WORK/dane.err")"
fi
check_evidence "$WORK/relay-dane.evidence" client 1
start_s_server server-dane-wrong "${NATIVE[@]}"
run_s_client dane-wrong "$SERVER_PORT" "${SHIMMED[@]}" -- -dane_tlsa_domain localhost \
  -dane_tlsa_rrdata "3 1 1 $(printf '%064d' 0)" -verify_return_error -tls1_2
if [ $rc -ne 0 ] && grep -q 'no matching DANE TLSA records' "$WORK/dane-wrong.err" "$WORK/dane-wrong.out" &&
  ! grep -q '^HTTP/1.0 200' "$WORK/dane-wrong.out"; then
  pass "s_client with a DANE record matching nothing: refused (no matching DANE TLSA records)"
else
  fail "s_client with a DANE record matching nothing: exit $rc; $(grep -m2 'Verify return\|verify error' "$WORK/dane-wrong.out" "$WORK/dane-wrong.err" | tr '\n' ' ')"
fi

# s_server in the mode under test; its pages go out through BIO_f_ssl.
start_s_server server-shimmed "${SHIMMED[@]}"
start_relay relay-server "$SERVER_PORT"
run_s_client native-client "$RELAY_PORT" "${NATIVE[@]}" -- -CAfile "$pki/ca.pem" -verify_return_error
if [ $rc -eq 0 ] && grep -q '^HTTP/1.0 200 ok' "$WORK/native-client.out" &&
  grep -q 'Verify return code: 0 (ok)' "$WORK/native-client.out"; then
  pass "s_server -www: a native s_client verified it and got the page"
else
  fail "s_server -www: client exit $rc; $(errors_of "$WORK/native-client.err");" \
    "server: $(errors_of "$WORK/server-shimmed.err")"
fi
check_evidence "$WORK/relay-server.evidence" server 1

programs_finish "$WORK"/*.err
