// What OpenSSL's SSL_CIPHER accessors say about a suite, as the backend interface's CipherInfo.
#pragma once

#include <openssl/ssl.h>

#include "backend/backend.h"
#include "real_libssl.h"

namespace sslshim::openssl_backend {

CipherInfo DescribeCipher(const RealLibssl& real, const SSL_CIPHER* cipher);

}  // namespace sslshim::openssl_backend
