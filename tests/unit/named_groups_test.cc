// The group code <-> NID table behind SSL_get_negotiated_group.
#include "core/named_groups.h"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>
#include <openssl/tls1.h>

namespace sslshim {
namespace {

TEST(NamedGroups, KnownGroupsRoundTrip) {
  EXPECT_EQ(GroupNidOfCode(29), NID_X25519);
  EXPECT_EQ(GroupNidOfCode(23), NID_X9_62_prime256v1);
  EXPECT_EQ(GroupNidOfCode(256), NID_ffdhe2048);
  for (uint16_t code : {21, 23, 24, 25, 26, 27, 28, 29, 30, 256, 257, 258, 259, 260}) {
    EXPECT_EQ(GroupCodeOfNid(GroupNidOfCode(code)), code) << code;
  }
}

TEST(NamedGroups, NoGroupIsZero) {
  EXPECT_EQ(GroupNidOfCode(0), NID_undef);
  EXPECT_EQ(GroupCodeOfNid(NID_undef), 0);
  EXPECT_EQ(GroupCodeOfNid(NID_sha256), 0);  // a NID, but not a group
}

// OpenSSL 3 answers a group it has no NID for (a post-quantum hybrid BoringSSL can negotiate,
// 0x6399) as TLSEXT_nid_unknown with the code in the low bits.
TEST(NamedGroups, UnknownGroupsKeepTheirCode) {
  EXPECT_EQ(GroupNidOfCode(0x6399), TLSEXT_nid_unknown | 0x6399);
  EXPECT_EQ(GroupCodeOfNid(TLSEXT_nid_unknown | 0x6399), 0x6399);
}

// The lists programs set (SSL_CTX_set1_groups_list): NIST and OpenSSL names, any case; unknown
// names are skipped.
TEST(NamedGroups, CodesOfAList) {
  EXPECT_EQ(GroupCodesOfList("X25519:prime256v1:P-384:x448:secp521r1:ffdhe2048:nonsense"),
            (std::vector<uint16_t>{29, 23, 24, 30, 25, 256}));
  EXPECT_EQ(GroupCodesOfList(""), std::vector<uint16_t>{});
  EXPECT_EQ(GroupCodesOfList(nullptr), std::vector<uint16_t>{});
  EXPECT_EQ(GroupSecurityBits(29), 128);
  EXPECT_EQ(GroupSecurityBits(24), 192);
  EXPECT_EQ(GroupSecurityBits(0x6399), 0);
}

}  // namespace
}  // namespace sslshim
