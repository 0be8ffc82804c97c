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
int GetError(const Ssl* ssl, int ret);

}  // namespace sslshim
