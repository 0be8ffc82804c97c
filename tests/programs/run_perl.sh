#!/usr/bin/env bash
# Debian's perl with IO::Socket::SSL (Net::SSLeay's SSLeay.so links libssl.so.3), through the shim
# or natively: scripts/tls_echo.pl as client (the chain verified against the test CA, the host
# name checked) against a native `openssl s_server`, and as server for a native `openssl
# s_client`, each on TLS 1.2 and 1.3, 1 MiB each way byte-exact; a wrong host name refused with
# IO::Socket::SSL's message. tls_sniff_relay between them as witness.
# usage: run_perl.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/script_peer.sh"
programs_init perl "${1:-}"
require perl perl
perl -MIO::Socket::SSL -e 1 2>/dev/null || skip "IO::Socket::SSL is missing (Debian package libio-socket-ssl-perl)"
SCRIPT_CMD=(perl "$here/scripts/tls_echo.pl")
SCRIPT_LABEL="perl IO::Socket::SSL"
run_script_scenario "error hostname verification failed"
