#include "boringssl/name_translation.h"
#include "gtest/gtest.h"

namespace sslshim::boringssl {
namespace {

TEST(BoringSslGroupNames, OpenSslNamesAndAliases) {
  std::string out, bad;
  ASSERT_TRUE(TranslateGroupList("X25519:prime256v1:secp384r1:P-521", &out, &bad));
  EXPECT_EQ(out, "X25519:P-256:P-384:P-521");
  ASSERT_TRUE(TranslateGroupList("x25519:SECP256R1", &out, &bad));
  EXPECT_EQ(out, "X25519:P-256");
}

TEST(BoringSslGroupNames, UnknownGroupIsNamed) {
  std::string out = "unchanged", bad;
  EXPECT_FALSE(TranslateGroupList("X25519:no-such-group", &out, &bad));
  EXPECT_EQ(bad, "no-such-group");
  EXPECT_EQ(out, "unchanged");
  EXPECT_FALSE(TranslateGroupList("", &out, &bad));
  // Each group once, whatever its name (OpenSSL 3 rejects such a list too).
  EXPECT_FALSE(TranslateGroupList("P-256:prime256v1", &out, &bad));
  EXPECT_EQ(bad, "prime256v1");
}

TEST(BoringSslGroupNames, GroupsOnlyOpenSslHasAreLeftOut) {
  std::string out, bad;
  // stunnel's default list: X448 goes, the rest keep their order.
  ASSERT_TRUE(TranslateGroupList("X25519:P-256:X448:P-521:P-384", &out, &bad));
  EXPECT_EQ(out, "X25519:P-256:P-521:P-384");
  ASSERT_TRUE(TranslateGroupList("ffdhe2048:brainpoolP256r1:x25519", &out, &bad));
  EXPECT_EQ(out, "X25519");
  // Nothing BoringSSL has is left: refused, naming the first group left out.
  EXPECT_FALSE(TranslateGroupList("X448:ffdhe2048", &out, &bad));
  EXPECT_EQ(bad, "X448");
  // A name neither library knows still rejects the whole list.
  EXPECT_FALSE(TranslateGroupList("X448:X25519:foo", &out, &bad));
  EXPECT_EQ(bad, "foo");
}

TEST(BoringSslCipherString, OpenSslOnlyCommandsAreRemoved) {
  EXPECT_EQ(CipherStringForBoringSsl("@SECLEVEL=2:ECDH+AESGCM:!aNULL"), "ECDH+AESGCM:!aNULL:!3DES");
  EXPECT_EQ(CipherStringForBoringSsl("DEFAULT:@SECLEVEL=2"), "DEFAULT:!3DES");
  EXPECT_EQ(CipherStringForBoringSsl("HIGH, !MD5 @STRENGTH"), "HIGH:!MD5:@STRENGTH:!3DES");
  EXPECT_EQ(CipherStringForBoringSsl(""), "");
}

TEST(BoringSslTls13Suites, ExactlyBoringSslsThreeInAnyOrder) {
  std::string bad;
  bool left_out = false;
  EXPECT_TRUE(CheckTls13CipherSuites(
      "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256", &bad,
      &left_out));
  // A subset would be a restriction BoringSSL cannot apply: refused, naming what is left out.
  EXPECT_FALSE(CheckTls13CipherSuites("TLS_AES_128_GCM_SHA256", &bad, &left_out));
  EXPECT_TRUE(left_out);
  EXPECT_EQ(bad, "TLS_AES_256_GCM_SHA384");
  EXPECT_FALSE(
      CheckTls13CipherSuites("TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256", &bad, &left_out));
  EXPECT_FALSE(left_out);
  EXPECT_EQ(bad, "TLS_AES_128_CCM_SHA256");
  EXPECT_FALSE(CheckTls13CipherSuites("", &bad, &left_out));
}

}  // namespace
}  // namespace sslshim::boringssl
