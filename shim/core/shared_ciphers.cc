#include "core/shared_ciphers.h"

#include <cstring>
#include <string>

namespace sslshim {

char* WriteSharedCiphers(const std::vector<uint16_t>& offered, const std::vector<CipherInfo>& ours,
                         char* buf, int size) {
  if (buf == nullptr || size < 2) return nullptr;
  char* p = buf;
  size_t left = static_cast<size_t>(size);
  for (uint16_t code : offered) {
    const uint32_t id = 0x03000000u | code;  // SSL_CIPHER_get_id's form
    const CipherInfo* shared = nullptr;
    for (const CipherInfo& info : ours) {
      if (info.id == id) {
        shared = &info;
        break;
      }
    }
    if (shared == nullptr) continue;
    const size_t n = shared->name.size();
    if (n >= left) break;  // a name that does not fit ends the list, as in OpenSSL
    std::memcpy(p, shared->name.data(), n);
    p += n;
    *p++ = ':';
    left -= n + 1;
  }
  if (p == buf) return nullptr;
  p[-1] = '\0';  // the last separator
  return buf;
}

}  // namespace sslshim
