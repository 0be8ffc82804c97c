// The program's SSL_CIPHER handles: one per suite the backend described, for the life of the
// process, as OpenSSL's are static. Made here, below the exports, because the core hands them to
// the program's callbacks too (core/security_callback.h).
#pragma once

#include <openssl/ssl.h>

#include "backend/backend.h"

namespace sslshim {

// What an SSL_CIPHER handle stands for (exports/ciphers.cc answers the SSL_CIPHER_* accessors
// from it).
struct Cipher {
  CipherInfo info;
};

const SSL_CIPHER* CipherHandle(const CipherInfo& info);

}  // namespace sslshim
