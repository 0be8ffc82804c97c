#!/usr/bin/env bash
# Debian's ruby and its openssl extension (openssl.so links libssl.so.3), through the shim or
# natively: scripts/tls_echo.rb as client (OpenSSL::SSL::SSLSocket, VERIFY_PEER against the test
# CA, host name checked) against a native `openssl s_server`, and as server for a native `openssl
# s_client`, each on TLS 1.2 and 1.3, 1 MiB each way byte-exact; a wrong host name refused with
# ruby's message. tls_sniff_relay between them as witness.
# usage: run_ruby.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/script_peer.sh"
programs_init ruby "${1:-}"
require ruby ruby
SCRIPT_CMD=(ruby "$here/scripts/tls_echo.rb")
SCRIPT_LABEL="ruby OpenSSL::SSL"
# Ruby's message names SSL_state_string_long at the failure: "error", OpenSSL's state machine being
# in its error state (the shim answers the same after a fatal error).
run_script_scenario \
  "error OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:PORT state=error: certificate verify failed (hostname mismatch)"
