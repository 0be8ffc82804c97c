#!/usr/bin/env bash
# Debian's php-cli (/usr/bin/php8.2 links libssl.so.3; its openssl extension is built in), through
# the shim or natively: scripts/tls_echo.php as client (stream_socket_client("tls://..."),
# verify_peer against the test CA, verify_peer_name) against a native `openssl s_server`, and as
# server (stream_socket_server("tls://...") with a certificate) for a native `openssl s_client`,
# each on TLS 1.2 and 1.3, 1 MiB each way byte-exact; a wrong host name refused with PHP's
# warning. tls_sniff_relay between them as witness.
# usage: run_php.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/script_peer.sh"
programs_init php "${1:-}"
require php php-cli
php -r 'exit(extension_loaded("openssl") ? 0 : 1);' || skip "php has no openssl extension"
SCRIPT_CMD=(php "$here/scripts/tls_echo.php")
SCRIPT_LABEL="php streams"
run_script_scenario \
  "error stream_socket_client(): Peer certificate subjectAltName did not match expected name \`wronghost.test'"
