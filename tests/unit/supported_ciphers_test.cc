// The version window and suite filter behind SSL_get1_supported_ciphers, against what OpenSSL 3's
// ssl_get_min_max_version and ssl_cipher_disabled decide.
#include "core/supported_ciphers.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

namespace sslshim {
namespace {

MethodSpec Tls() { return MethodSpec{}; }

CipherInfo Suite(const char* version, const char* kx = "KxECDHE", const char* auth = "AuthRSA") {
  CipherInfo info;
  info.version = version;
  info.kx_sn = kx;
  info.auth_sn = auth;
  return info;
}

TEST(SupportedCiphers, VersionWindowFollowsBoundsAndOptions) {
  VersionWindow all = EnabledVersions(Tls(), 0, 0, 0);
  EXPECT_EQ(all.min, TLS1_VERSION);
  EXPECT_EQ(all.max, TLS1_3_VERSION);
  VersionWindow no13 = EnabledVersions(Tls(), 0, 0, SSL_OP_NO_TLSv1_3);
  EXPECT_EQ(no13.max, TLS1_2_VERSION);
  VersionWindow bounded = EnabledVersions(Tls(), TLS1_2_VERSION, TLS1_2_VERSION, 0);
  EXPECT_EQ(bounded.min, TLS1_2_VERSION);
  EXPECT_EQ(bounded.max, TLS1_2_VERSION);
  // A hole: OpenSSL keeps the lowest run of enabled versions.
  VersionWindow hole = EnabledVersions(Tls(), 0, 0, SSL_OP_NO_TLSv1_2);
  EXPECT_EQ(hole.min, TLS1_VERSION);
  EXPECT_EQ(hole.max, TLS1_1_VERSION);
  MethodSpec fixed;
  fixed.min_version = fixed.max_version = TLS1_3_VERSION;
  VersionWindow none = EnabledVersions(fixed, 0, 0, SSL_OP_NO_TLSv1_3);
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.3"), none, false, false));
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.2"), none, false, false));
}

TEST(SupportedCiphers, SuitesNeedAnAllowedVersionAndNoPskOrSrp) {
  const VersionWindow upto11 = EnabledVersions(Tls(), 0, TLS1_1_VERSION, 0);
  EXPECT_TRUE(CipherSupported(Suite("SSLv3"), upto11, false, false));
  EXPECT_TRUE(CipherSupported(Suite("TLSv1.0"), upto11, false, false));
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.2"), upto11, false, false));
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.3"), upto11, false, false));
  const VersionWindow only13 = EnabledVersions(Tls(), TLS1_3_VERSION, 0, 0);
  EXPECT_TRUE(CipherSupported(Suite("TLSv1.3", "KxANY", "AuthANY"), only13, false, false));
  EXPECT_FALSE(CipherSupported(Suite("SSLv3"), only13, false, false));
  const VersionWindow all = EnabledVersions(Tls(), 0, 0, 0);
  EXPECT_FALSE(CipherSupported(Suite("SSLv3", "KxPSK", "AuthPSK"), all, false, false));
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.0", "KxECDHEPSK", "AuthPSK"), all, false, false));
  EXPECT_TRUE(CipherSupported(Suite("SSLv3", "KxPSK", "AuthPSK"), all, false, true));
  EXPECT_FALSE(CipherSupported(Suite("SSLv3", "KxSRP", "AuthSRP"), all, false, true));
}

TEST(SupportedCiphers, DatagramVersionsCountDownwards) {
  MethodSpec dtls;
  dtls.datagram = true;
  const VersionWindow all = EnabledVersions(dtls, 0, 0, 0);
  EXPECT_EQ(all.min, DTLS1_VERSION);
  EXPECT_EQ(all.max, DTLS1_2_VERSION);
  const VersionWindow only10 = EnabledVersions(dtls, 0, DTLS1_VERSION, 0);
  EXPECT_TRUE(CipherSupported(Suite("SSLv3"), only10, true, false));
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.2"), only10, true, false));
  EXPECT_TRUE(CipherSupported(Suite("TLSv1.2"), all, true, false));
  EXPECT_FALSE(CipherSupported(Suite("TLSv1.3"), all, true, false));
}

}  // namespace
}  // namespace sslshim
