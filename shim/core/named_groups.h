// TLS NamedGroup codes and OpenSSL 3's NIDs for them (SSL_get_negotiated_group answers a NID;
// a BoringSSL backend reports the code). For code compiled against OpenSSL 3's headers.
#pragma once

#include <cstdint>
#include <vector>

namespace sslshim {

// The NID for a group code as SSL_get_negotiated_group answers it: 0 for no group, and for a
// group OpenSSL 3 has no NID for, TLSEXT_nid_unknown with the code in the low bits.
int GroupNidOfCode(uint16_t code);
// The inverse, accepting TLSEXT_nid_unknown | code too; 0 for anything else.
uint16_t GroupCodeOfNid(int nid);

// OpenSSL 3's default groups (supported_groups_default in ssl/t1_lib.c), what a connection uses
// when the program sets none.
const std::vector<uint16_t>& DefaultGroupCodes();

// A group's security bits, as OpenSSL 3 gives them to the security callback (0: unknown).
int GroupSecurityBits(uint16_t code);

// The codes of a group list in OpenSSL's syntax ("X25519:prime256v1:P-384", names in any case);
// names it does not know are left out.
std::vector<uint16_t> GroupCodesOfList(const char* list);

}  // namespace sslshim
