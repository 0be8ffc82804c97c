// TLS NamedGroup codes and OpenSSL 3's NIDs for them (SSL_get_negotiated_group answers a NID;
// a BoringSSL backend reports the code). For code compiled against OpenSSL 3's headers.
#pragma once

#include <cstdint>

namespace sslshim {

// The NID for a group code as SSL_get_negotiated_group answers it: 0 for no group, and for a
// group OpenSSL 3 has no NID for, TLSEXT_nid_unknown with the code in the low bits.
int GroupNidOfCode(uint16_t code);
// The inverse, accepting TLSEXT_nid_unknown | code too; 0 for anything else.
uint16_t GroupCodeOfNid(int nid);

}  // namespace sslshim
