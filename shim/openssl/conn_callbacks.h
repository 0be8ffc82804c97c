// The callbacks the real libssl makes into the backend: the info callback and the certificate
// verification callback. Both find the OpenSslConn (and so the core's ConnObserver) from the SSL.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <vector>

#include "real_libssl.h"

namespace sslshim::openssl_backend {

// Installs both callbacks on a new context.
void InstallConnCallbacks(const RealLibssl& real, SSL_CTX* ctx);

// The chain the peer sent, leaf first, as DER; empty if any certificate cannot be encoded.
std::vector<std::vector<uint8_t>> PeerChainDer(X509_STORE_CTX* store_ctx);

}  // namespace sslshim::openssl_backend
