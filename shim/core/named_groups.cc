#include "core/named_groups.h"

#include <openssl/obj_mac.h>
#include <openssl/tls1.h>

namespace sslshim {
namespace {

struct Group {
  uint16_t code;
  int nid;
};

// OpenSSL 3.0's supported groups (ssl/t1_lib.c, nid_list), by their IANA codes.
constexpr Group kGroups[] = {
    {23, NID_X9_62_prime256v1},
    {24, NID_secp384r1},
    {25, NID_secp521r1},
    {29, NID_X25519},
    {30, NID_X448},
    {256, NID_ffdhe2048},
    {257, NID_ffdhe3072},
    {258, NID_ffdhe4096},
    {259, NID_ffdhe6144},
    {260, NID_ffdhe8192},
    {26, NID_brainpoolP256r1},
    {27, NID_brainpoolP384r1},
    {28, NID_brainpoolP512r1},
    {21, NID_secp224r1},
};

}  // namespace

int GroupNidOfCode(uint16_t code) {
  if (code == 0) return NID_undef;
  for (const Group& group : kGroups) {
    if (group.code == code) return group.nid;
  }
  return TLSEXT_nid_unknown | code;
}

uint16_t GroupCodeOfNid(int nid) {
  if ((nid & ~0xffff) == TLSEXT_nid_unknown) return static_cast<uint16_t>(nid & 0xffff);
  for (const Group& group : kGroups) {
    if (group.nid == nid) return group.code;
  }
  return 0;
}

}  // namespace sslshim
