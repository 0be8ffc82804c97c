// OpenSSL's mode/option/verify words into BoringSSL's, bit by bit, and the values that come back.
// OpenSSL's numbers are written as literals: they are what a program compiled against OpenSSL 3
// passes, whatever either header says.
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "boringssl/bio_bridge.h"
#include "boringssl/mode_translation.h"
#include "boringssl/verify_alert.h"
#include "gtest/gtest.h"

namespace sslshim::boringssl {
namespace {

constexpr uint32_t kAcceptMoving = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;

TEST(BoringSslModeTranslation, AcceptMovingWriteBufferIsAlwaysOn) {
  EXPECT_EQ(TranslateModeToBoringSsl(0), kAcceptMoving);
  EXPECT_EQ(TranslateModeToBoringSsl(0x2), kAcceptMoving);
}

TEST(BoringSslModeTranslation, PartialWriteMapsThrough) {
  EXPECT_EQ(TranslateModeToBoringSsl(0x1), SSL_MODE_ENABLE_PARTIAL_WRITE | kAcceptMoving);
}

TEST(BoringSslModeTranslation, CollidingBitsAreTranslatedNotPassed) {
  // OpenSSL 0x80 SEND_FALLBACK_SCSV is BoringSSL's 0x400, not its 0x80 (ENABLE_FALSE_START).
  EXPECT_EQ(TranslateModeToBoringSsl(0x80), 0x400u | kAcceptMoving);
  // OpenSSL 0x100 ASYNC must not turn on BoringSSL's 0x100 CBC_RECORD_SPLITTING.
  EXPECT_EQ(TranslateModeToBoringSsl(0x100), kAcceptMoving);
  // OpenSSL 0x400 DTLS_SCTP_LABEL_LENGTH_BUG must not turn on BoringSSL's SEND_FALLBACK_SCSV.
  EXPECT_EQ(TranslateModeToBoringSsl(0x400), kAcceptMoving);
}

TEST(BoringSslModeTranslation, CoreHandledAndIrrelevantBitsAreDropped) {
  // AUTO_RETRY 0x4, RELEASE_BUFFERS 0x10, SEND_*HELLO_TIME 0x20/0x40.
  EXPECT_EQ(TranslateModeToBoringSsl(0x4 | 0x10 | 0x20 | 0x40), kAcceptMoving);
  EXPECT_EQ(TranslateModeToBoringSsl(0x8), SSL_MODE_NO_AUTO_CHAIN | kAcceptMoving);
}

TEST(BoringSslModeTranslation, ClearMaskCoversEverythingWeSet) {
  uint32_t all = TranslateModeToBoringSsl(0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x80 | 0x100 | 0x400);
  EXPECT_EQ(all & ~BoringSslModeBitsWeTranslate(), 0u);
}

TEST(BoringSslOptionTranslation, VersionAndTicketOptions) {
  const uint64_t kNoTicket = uint64_t{1} << 14;
  const uint64_t kServerPreference = uint64_t{1} << 22;
  const uint64_t kNoTls1 = uint64_t{1} << 26, kNoTls12 = uint64_t{1} << 27;
  const uint64_t kNoTls11 = uint64_t{1} << 28, kNoTls13 = uint64_t{1} << 29;
  EXPECT_EQ(TranslateOptionsToBoringSsl(kNoTicket), static_cast<uint32_t>(SSL_OP_NO_TICKET));
  EXPECT_EQ(TranslateOptionsToBoringSsl(kServerPreference),
            static_cast<uint32_t>(SSL_OP_CIPHER_SERVER_PREFERENCE));
  EXPECT_EQ(TranslateOptionsToBoringSsl(kNoTls1 | kNoTls11 | kNoTls12 | kNoTls13),
            static_cast<uint32_t>(SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2 |
                                  SSL_OP_NO_TLSv1_3));
}

TEST(BoringSslOptionTranslation, RenegotiationIsPerConnection) {
  const uint64_t kNoRenegotiation = uint64_t{1} << 30;
  EXPECT_EQ(TranslateOptionsToBoringSsl(kNoRenegotiation), 0u);
  EXPECT_TRUE(OptionsForbidRenegotiation(kNoRenegotiation));
  EXPECT_FALSE(OptionsForbidRenegotiation(0));
}

TEST(BoringSslOptionTranslation, OpenSslOnlyOptionsAreIgnored) {
  // ENABLE_MIDDLEBOX_COMPAT (20), IGNORE_UNEXPECTED_EOF (7), NO_COMPRESSION (17), ENABLE_KTLS (3).
  uint64_t ignored = (uint64_t{1} << 20) | (uint64_t{1} << 7) | (uint64_t{1} << 17) | (1 << 3);
  EXPECT_EQ(TranslateOptionsToBoringSsl(ignored), 0u);
}

TEST(BoringSslVerifyTranslation, ClientOnceAndPostHandshakeAreNotPassed) {
  EXPECT_EQ(TranslateVerifyModeToBoringSsl(0), SSL_VERIFY_NONE);
  EXPECT_EQ(TranslateVerifyModeToBoringSsl(0x1 | 0x2),
            SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  // OpenSSL 0x4 CLIENT_ONCE would be BoringSSL's PEER_IF_NO_OBC; 0x8 POST_HANDSHAKE has no match.
  EXPECT_EQ(TranslateVerifyModeToBoringSsl(0x1 | 0x4 | 0x8), SSL_VERIFY_PEER);
}

TEST(BoringSslVerifyTranslation, SessionCacheBits) {
  EXPECT_EQ(TranslateSessionCacheModeToBoringSsl(0), SSL_SESS_CACHE_OFF);
  EXPECT_EQ(TranslateSessionCacheModeToBoringSsl(0x3 | 0x400), SSL_SESS_CACHE_BOTH);
  EXPECT_EQ(TranslateSessionCacheModeToBoringSsl(0x2 | 0x100 | 0x200),
            SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
}

TEST(BoringSslInfoTranslation, WhereBitsAndShutdownBits) {
  EXPECT_EQ(TranslateInfoWhereToOpenSsl(SSL_CB_HANDSHAKE_START), 0x10);
  EXPECT_EQ(TranslateInfoWhereToOpenSsl(SSL_CB_HANDSHAKE_DONE), 0x20);
  EXPECT_EQ(TranslateInfoWhereToOpenSsl(SSL_CB_CONNECT_LOOP), 0x1000 | 0x01);
  EXPECT_EQ(TranslateInfoWhereToOpenSsl(SSL_CB_ACCEPT_EXIT), 0x2000 | 0x02);
  EXPECT_EQ(TranslateInfoWhereToOpenSsl(SSL_CB_WRITE_ALERT), 0x4000 | 0x08);
  EXPECT_EQ(TranslateShutdownToOpenSsl(SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN), 3);
  EXPECT_EQ(TranslateShutdownToBoringSsl(2), SSL_RECEIVED_SHUTDOWN);
}

TEST(BoringSslKeyUpdate, TypesMapAndOthersAreRefused) {
  EXPECT_EQ(TranslateKeyUpdateTypeToBoringSsl(0), SSL_KEY_UPDATE_NOT_REQUESTED);
  EXPECT_EQ(TranslateKeyUpdateTypeToBoringSsl(1), SSL_KEY_UPDATE_REQUESTED);
  EXPECT_EQ(TranslateKeyUpdateTypeToBoringSsl(-1), -1);  // OpenSSL's SSL_KEY_UPDATE_NONE
  EXPECT_EQ(TranslateKeyUpdateTypeToBoringSsl(2), -1);
}

TEST(BoringSslVerifyAlert, AlertsAsOpenSslSendsThem) {
  EXPECT_EQ(AlertForVerifyResult(20), SSL_AD_UNKNOWN_CA);  // UNABLE_TO_GET_ISSUER_CERT_LOCALLY
  EXPECT_EQ(AlertForVerifyResult(18), SSL_AD_UNKNOWN_CA);  // DEPTH_ZERO_SELF_SIGNED_CERT
  EXPECT_EQ(AlertForVerifyResult(10), SSL_AD_CERTIFICATE_EXPIRED);      // CERT_HAS_EXPIRED
  EXPECT_EQ(AlertForVerifyResult(23), SSL_AD_CERTIFICATE_REVOKED);      // CERT_REVOKED
  EXPECT_EQ(AlertForVerifyResult(7), SSL_AD_DECRYPT_ERROR);             // CERT_SIGNATURE_FAILURE
  EXPECT_EQ(AlertForVerifyResult(62), SSL_AD_BAD_CERTIFICATE);          // HOSTNAME_MISMATCH
  EXPECT_EQ(AlertForVerifyResult(26), SSL_AD_UNSUPPORTED_CERTIFICATE);  // INVALID_PURPOSE
  EXPECT_EQ(AlertForVerifyResult(0), SSL_AD_CERTIFICATE_UNKNOWN);
  EXPECT_EQ(AlertForVerifyResult(12345), SSL_AD_CERTIFICATE_UNKNOWN);
}

TEST(BoringSslBioBridge, CtrlNumbersAreOpenSsls) {
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_FLUSH), 11);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_PENDING), 10);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_WPENDING), 13);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_EOF), 2);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_C_GET_FD), 105);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_SET_CLOSE), -1);
  // DTLS's MTU ctrls reach the program's datagram BIO (OpenSSL's bio.h numbers).
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_DGRAM_QUERY_MTU), 40);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_DGRAM_SET_MTU), 42);
  EXPECT_EQ(OpenSslBioCtrlForBoringSsl(BIO_CTRL_DGRAM_GET_FALLBACK_MTU), 47);
}

}  // namespace
}  // namespace sslshim::boringssl
