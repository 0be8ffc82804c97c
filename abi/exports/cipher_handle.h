// The program's SSL_CIPHER handle for a suite the backend described (exports/ciphers.cc): one per
// suite for the life of the process, as OpenSSL's are static.
#pragma once

#include <openssl/ssl.h>

#include "backend/backend.h"

namespace sslshim {

const SSL_CIPHER* CipherHandle(const CipherInfo& info);

}  // namespace sslshim
