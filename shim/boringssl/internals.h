// The few BoringSSL internals the backend calls, declared here, once, rather than by including
// BoringSSL's ssl/internal.h (C++ internals the backend must not otherwise depend on). Each line
// below is checked against the snapshot's ssl/internal.h when the build is configured
// (shim/boringssl/CMakeLists.txt): a snapshot that renames or changes one stops the build with its
// name, instead of linking to something else. The prefixing of BoringSSL's symbols
// (cmake/BoringSSL.cmake) renames these references too.
#pragma once

#include <openssl/ssl.h>

namespace bssl {

// ssl/s3_pkt.cc: queue an alert and send it now, as BoringSSL's SSL_shutdown does once out of
// the handshake.
int ssl_send_alert_impl(SSL* ssl, int level, int desc);
// ssl/s3_pkt.cc: write the pending alert (TLS's dispatcher).
int tls_dispatch_alert(SSL* ssl);
// ssl/s3_both.cc: flush the queued handshake messages, as BoringSSL's handshake does after each
// flight.
int tls_flush_flight(SSL* ssl);
// ssl/ssl_buffer.cc: send what the write buffer holds (a record and the flight sealed with it).
int ssl_write_buffer_flush(SSL* ssl);

}  // namespace bssl
