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
  EXPECT_FALSE(TranslateGroupList("X25519:X448", &out, &bad));
  EXPECT_EQ(bad, "X448");
  EXPECT_EQ(out, "unchanged");
  EXPECT_FALSE(TranslateGroupList("ffdhe2048", &out, &bad));
  EXPECT_FALSE(TranslateGroupList("", &out, &bad));
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
