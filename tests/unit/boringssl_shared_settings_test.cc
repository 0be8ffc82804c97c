// The settings a BoringSSL context and connection share (shim/boringssl/shared_settings.h): which
// failures mark the object (fail closed) and what the security level does to the handshake.
#include <openssl/ssl.h>

#include <algorithm>

#include "boringssl/shared_settings.h"
#include "gtest/gtest.h"

namespace sslshim::boringssl {
namespace {

bool Has(const std::vector<uint16_t>& list, uint16_t sigalg) {
  return std::find(list.begin(), list.end(), sigalg) != list.end();
}

TEST(BoringSslSharedSettings, Tls13SuiteSubsetMarksTheObject) {
  std::vector<ErrorRecord> errors;
  EXPECT_TRUE(AcceptTls13CipherSuites(
      "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256", &errors));
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(AcceptTls13CipherSuites("TLS_AES_256_GCM_SHA384", &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].backend_cannot_apply);
}

TEST(BoringSslSharedSettings, OnlyGroupsOpenSslHasMarkTheObject) {
  std::string groups;
  std::vector<ErrorRecord> errors;
  EXPECT_TRUE(GroupListForBoringSsl("x25519:P-384", &groups, &errors));
  EXPECT_EQ(groups, "X25519:P-384");
  EXPECT_FALSE(GroupListForBoringSsl("X448", &groups, &errors));
  EXPECT_FALSE(GroupListForBoringSsl("ffdhe3072", &groups, &errors));
  EXPECT_FALSE(GroupListForBoringSsl("no-such-group", &groups, &errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_TRUE(errors[0].backend_cannot_apply);   // OpenSSL would apply X448
  EXPECT_TRUE(errors[1].backend_cannot_apply);   // and FFDHE
  EXPECT_FALSE(errors[2].backend_cannot_apply);  // OpenSSL rejects this one too
}

TEST(BoringSslSharedSettings, CipherListsOfOpenSslOnlySuitesMarkTheObject) {
  // Natively each of these selects suites (measured), none of which BoringSSL has.
  for (const char* list : {"DHE-RSA-AES128-GCM-SHA256", "kEDH", "CAMELLIA", "aNULL",
                           "ECDHE-ECDSA-AES128-CCM", "FOO:+DHE"}) {
    std::vector<ErrorRecord> errors;
    NoteUnappliedCipherList(list, &errors);
    ASSERT_EQ(errors.size(), 1u) << list;
    EXPECT_TRUE(errors[0].backend_cannot_apply) << list;
  }
  // OpenSSL rejects these too (nothing known, or only suites taken away): a plain failure.
  for (const char* list : {"FOO", "!DHE", "-CAMELLIA:FOO", "@SECLEVEL=1", ""}) {
    std::vector<ErrorRecord> errors;
    NoteUnappliedCipherList(list, &errors);
    EXPECT_TRUE(errors.empty()) << list;
  }
}

TEST(BoringSslSharedSettings, LevelsAboveTwoMarkTheObject) {
  std::vector<ErrorRecord> errors;
  for (int level = 0; level <= kHighestAppliedSecurityLevel; level++) {
    EXPECT_TRUE(AcceptSecurityLevel(level, &errors)) << level;
  }
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(AcceptSecurityLevel(3, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].backend_cannot_apply);
}

TEST(BoringSslSharedSettings, LevelOneAndUpDropSha1Signatures) {
  SignatureRules none = SignatureRulesFor(0, false);
  EXPECT_EQ(none.version_floor, 0);
  EXPECT_TRUE(none.verify_prefs.empty());
  for (int level : {1, 2}) {
    SignatureRules rules = SignatureRulesFor(level, false);
    EXPECT_EQ(rules.version_floor, TLS1_2_VERSION);
    EXPECT_FALSE(Has(rules.verify_prefs, SSL_SIGN_RSA_PKCS1_SHA1));
    EXPECT_FALSE(Has(rules.verify_prefs, SSL_SIGN_ECDSA_SHA1));
    EXPECT_FALSE(Has(rules.signing_prefs, SSL_SIGN_RSA_PKCS1_SHA1));
    EXPECT_FALSE(Has(rules.signing_prefs, SSL_SIGN_ECDSA_SHA1));
    EXPECT_TRUE(Has(rules.verify_prefs, SSL_SIGN_RSA_PSS_RSAE_SHA256));
    EXPECT_TRUE(Has(rules.signing_prefs, SSL_SIGN_ECDSA_SECP256R1_SHA256));
  }
  EXPECT_EQ(SignatureRulesFor(2, true).version_floor, DTLS1_2_VERSION);
}

TEST(BoringSslSharedSettings, FloorRaisesOnlyLowerMinimums) {
  SignatureRules tls = SignatureRulesFor(2, false);
  EXPECT_EQ(RaiseMinVersion(0, tls, false), TLS1_2_VERSION);
  EXPECT_EQ(RaiseMinVersion(TLS1_VERSION, tls, false), TLS1_2_VERSION);
  EXPECT_EQ(RaiseMinVersion(TLS1_3_VERSION, tls, false), TLS1_3_VERSION);
  EXPECT_EQ(RaiseMinVersion(TLS1_VERSION, SignatureRulesFor(0, false), false), TLS1_VERSION);
  SignatureRules dtls = SignatureRulesFor(2, true);
  EXPECT_EQ(RaiseMinVersion(DTLS1_VERSION, dtls, true), DTLS1_2_VERSION);
  EXPECT_EQ(RaiseMinVersion(DTLS1_2_VERSION, dtls, true), DTLS1_2_VERSION);
}

}  // namespace
}  // namespace sslshim::boringssl
