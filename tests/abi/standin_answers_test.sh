#!/bin/bash
# The process-wide answers (TLS compression's methods, SSL_CTX_config and SSL_config with the
# ssl_conf sections of the file OPENSSL_CONF names) with the shim standing in as libssl.so.3, and
# so no real libssl to ask, are the real libssl's: the probe's output natively and standing in
# must be the same, and must show the sections were found and applied.
# Usage: standin_answers_test.sh PROBE STANDIN_DIR
set -u
probe=$1 standin_dir=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/openssl.cnf" <<'CNF'
openssl_conf = standin_conf
[standin_conf]
ssl_conf = standin_ssl
[standin_ssl]
standin_good = standin_good_section
standin_bad = standin_bad_section
[standin_good_section]
MinProtocol = TLSv1.3
Options = -SessionTicket
[standin_bad_section]
CipherString = sslshim-no-such-cipher
CNF
env -u SSLSHIM_BACKEND OPENSSL_CONF="$dir/openssl.cnf" timeout 20 "$probe" >"$dir/native" 2>&1 ||
  { echo "the probe failed natively: $(cat "$dir/native")"; exit 1; }
env -u SSLSHIM_BACKEND OPENSSL_CONF="$dir/openssl.cnf" SSLSHIM_LOG=off \
  LD_LIBRARY_PATH="$standin_dir" timeout 20 "$probe" >"$dir/standin" 2>&1 ||
  { echo "the probe failed standing in: $(cat "$dir/standin")"; exit 1; }
grep -q '^SSL_CTX_config good: 1 0:0$' "$dir/native" && grep -q '^min version: 772 ' "$dir/native" ||
  { echo "natively the section was not applied:"; cat "$dir/native"; exit 1; }
if ! diff -u "$dir/native" "$dir/standin"; then
  echo "standing in, the answers differ from the real libssl's (above)"
  exit 1
fi
echo "same answers natively and standing in:"
cat "$dir/standin"
