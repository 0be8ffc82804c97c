// What OpenSSL's SSL_CIPHER accessors would report about a BoringSSL cipher suite.
#pragma once

#include <openssl/ssl.h>

#include <vector>

#include "backend/backend.h"

namespace sslshim::boringssl {

// Names, id, strength, OpenSSL's version string and the NIDs as short names (the two libraries'
// short names agree: "KxECDHE", "AuthECDSA", "id-aes128-GCM", "ChaCha20-Poly1305", "SHA1").
CipherInfo DescribeCipher(const SSL_CIPHER* cipher);

// BoringSSL's TLS 1.3 suites, which it always offers and which SSL_get_ciphers leaves out (OpenSSL
// lists its TLS 1.3 suites first in SSL_get_ciphers).
std::vector<const SSL_CIPHER*> Tls13Suites();

}  // namespace sslshim::boringssl
