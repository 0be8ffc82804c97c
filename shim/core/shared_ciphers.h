// SSL_get_shared_ciphers' text, as OpenSSL 3 writes it. For code compiled against OpenSSL 3's
// headers.
#pragma once

#include <cstdint>
#include <vector>

#include "backend/backend.h"

namespace sslshim {

// The names of the suites the client offered (`offered`, its codes in its order) that are among
// the server's (`ours`), joined by ':' into `buf` of `size` bytes, as far as whole names fit:
// `buf`, or nullptr when not even the first fits (measured with OpenSSL 3), `size` is below 2 or
// nothing is shared.
char* WriteSharedCiphers(const std::vector<uint16_t>& offered, const std::vector<CipherInfo>& ours,
                         char* buf, int size);

}  // namespace sslshim
