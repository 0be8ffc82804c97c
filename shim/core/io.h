// The semantics layer: SSL_write's OpenSSL 1.0.1 contract (docs/contract.md), and the calls that
// share its state (handshake, read, shutdown, SSL_get_error), identical over every backend.
#pragma once

#include "core/objects.h"

namespace sslshim {

int WriteBytes(Ssl* ssl, const void* buf, int num);
// SSL_write_ex: 1 with *written set, or 0; a zero-length write succeeds, as in OpenSSL 3.
int WriteEx(Ssl* ssl, const void* buf, size_t num, size_t* written);
int ReadBytes(Ssl* ssl, void* buf, int num, bool peek);
int Handshake(Ssl* ssl);
int Shutdown(Ssl* ssl);
// SSL_key_update, with OpenSSL 3's checks on every backend.
int KeyUpdate(Ssl* ssl, int updatetype);
int GetError(const Ssl* ssl, int ret);

// Re-entry (docs/contract.md, "Calls from callbacks"): while a connection's handshake runs, the
// calls that run its TLS state machine may not be made on it from a callback that handshake is
// running (info, message, verify, server name, ALPN, certificate, key log). BoringSSL's
// handshake is not re-entrant (the process crashed), and OpenSSL's answers there hang or report a
// write that the failing handshake then drops. Such a call fails at once: -1, SSL_ERROR_SSL,
// ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED; SSL_shutdown answers as OpenSSL does in a handshake (-1,
// SSL_R_SHUTDOWN_WHILE_IN_INIT). After the handshake such calls go through, as natively.
class BackendCallScope {
 public:
  explicit BackendCallScope(Ssl* ssl) : ssl_(ssl) {
    ssl_->in_backend_call_ = true;
    // Where OpenSSL 3 starts the call as an async job under SSL_MODE_ASYNC, making the
    // connection's wait context (exports/async.cc).
    if ((ssl_->mode & SSL_MODE_ASYNC) != 0) ssl_->async_wait_context = true;
  }
  ~BackendCallScope() { ssl_->in_backend_call_ = false; }
  BackendCallScope(const BackendCallScope&) = delete;
  BackendCallScope& operator=(const BackendCallScope&) = delete;

 private:
  Ssl* ssl_;
};
// True (with the error pushed and SSL_get_error's answer recorded) when `func` is such a call.
bool RefuseReentry(Ssl* ssl, const char* func);

}  // namespace sslshim
