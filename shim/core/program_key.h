// Private-key operations with the program's own key, in the program's libcrypto: a backend whose
// library would otherwise sign with its own copy of the key asks the core instead (faster where
// the program's libcrypto is faster, and a key that lives in an OpenSSL provider or ENGINE keeps
// working). For code compiled against OpenSSL 3's headers.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sslshim {

// TLS's MD5+SHA-1 RSA signature of TLS 1.0 and 1.1 (BoringSSL's SSL_SIGN_RSA_PKCS1_MD5_SHA1).
inline constexpr uint16_t kSignRsaPkcs1Md5Sha1 = 0xff01;

// Signs the message `in` (not its digest) as the TLS SignatureScheme `code` says: its digest, and
// for an RSA key PKCS #1 v1.5 or PSS with a salt as long as the digest. False, with libcrypto's
// errors on the queue, for a code this key cannot sign.
bool SignWithProgramKey(EVP_PKEY* key, uint16_t code, const uint8_t* in, size_t len,
                        std::vector<uint8_t>* out);

// The raw RSA private operation (no padding) a TLS 1.2 RSA key exchange asks for.
bool DecryptWithProgramKey(EVP_PKEY* key, const uint8_t* in, size_t len, std::vector<uint8_t>* out);

}  // namespace sslshim
