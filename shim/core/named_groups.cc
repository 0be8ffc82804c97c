#include "core/named_groups.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/tls1.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace sslshim {
namespace {

struct Group {
  uint16_t code;
  int nid;
  int security_bits;
};

// OpenSSL 3.0's supported groups (ssl/t1_lib.c, nid_list, with the security bits its provider
// group table gives), by their IANA codes.
constexpr Group kGroups[] = {
    {23, NID_X9_62_prime256v1, 128},
    {24, NID_secp384r1, 192},
    {25, NID_secp521r1, 256},
    {29, NID_X25519, 128},
    {30, NID_X448, 224},
    {256, NID_ffdhe2048, 112},
    {257, NID_ffdhe3072, 128},
    {258, NID_ffdhe4096, 128},
    {259, NID_ffdhe6144, 128},
    {260, NID_ffdhe8192, 192},
    {26, NID_brainpoolP256r1, 128},
    {27, NID_brainpoolP384r1, 192},
    {28, NID_brainpoolP512r1, 256},
    {21, NID_secp224r1, 112},
};

}  // namespace

int GroupNidOfCode(uint16_t code) {
  if (code == 0) return NID_undef;
  for (const Group& group : kGroups) {
    if (group.code == code) return group.nid;
  }
  return TLSEXT_nid_unknown | code;
}

const std::vector<uint16_t>& DefaultGroupCodes() {
  static const std::vector<uint16_t> kDefaults = {29, 23, 30, 25, 24, 256, 257, 258, 259, 260};
  return kDefaults;
}

int GroupSecurityBits(uint16_t code) {
  for (const Group& group : kGroups) {
    if (group.code == code) return group.security_bits;
  }
  return 0;
}

std::vector<uint16_t> GroupCodesOfList(const char* list) {
  std::vector<uint16_t> codes;
  const std::string all = list != nullptr ? list : "";
  for (size_t at = 0; at <= all.size();) {
    const size_t end = std::min(all.find(':', at), all.size());
    std::string name = all.substr(at, end - at);
    at = end + 1;
    int nid = EC_curve_nist2nid(name.c_str());
    if (nid == NID_undef) nid = OBJ_sn2nid(name.c_str());
    if (nid == NID_undef) nid = OBJ_ln2nid(name.c_str());
    if (nid == NID_undef) {
      // OpenSSL's group names are case-insensitive: "x25519", "x448".
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      nid = OBJ_sn2nid(name.c_str());
    }
    const uint16_t code = nid != NID_undef ? GroupCodeOfNid(nid) : 0;
    if (code != 0) codes.push_back(code);
  }
  return codes;
}

uint16_t GroupCodeOfNid(int nid) {
  if ((nid & ~0xffff) == TLSEXT_nid_unknown) return static_cast<uint16_t>(nid & 0xffff);
  for (const Group& group : kGroups) {
    if (group.nid == nid) return group.code;
  }
  return 0;
}

}  // namespace sslshim
