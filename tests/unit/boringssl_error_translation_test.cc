// BoringSSL -> OpenSSL 3 error codes: the numbers docs/design-notes.md names, checked as literals
// (what the program must see), plus the rules for alerts, errno, unmapped reasons and
// SSL_get_error.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>

#include "boringssl/error_translation.h"
#include "gtest/gtest.h"

namespace sslshim::boringssl {
namespace {

constexpr int kOpenSslLibSsl = 20;
// OpenSSL 3: ERR_R_INTERNAL_ERROR = 259 | ERR_R_FATAL, ERR_R_FATAL = (1 | 2) << 18.
constexpr int kOpenSslInternalError = 259 | (3 << 18);

TEST(BoringSslErrorTranslation, LibrariesAreRenumbered) {
  ASSERT_EQ(ERR_LIB_SSL, 16);  // BoringSSL's header, as docs/design-notes.md says
  EXPECT_EQ(OpenSslLibForBoringSslLib(ERR_LIB_SSL), kOpenSslLibSsl);
  EXPECT_EQ(OpenSslLibForBoringSslLib(ERR_LIB_SYS), 2);
  EXPECT_EQ(OpenSslLibForBoringSslLib(ERR_LIB_BIO), 32);
  EXPECT_EQ(OpenSslLibForBoringSslLib(ERR_LIB_EVP), 6);
  EXPECT_EQ(OpenSslLibForBoringSslLib(ERR_LIB_X509), 11);
  EXPECT_EQ(OpenSslLibForBoringSslLib(ERR_LIB_DIGEST), -1);  // BoringSSL only
}

// Every BoringSSL SSL reason reaches the program as OpenSSL's reason for the same situation, or
// as an internal error that shim/boringssl/ssl_reason_aliases.tsv states the reason for.
TEST(BoringSslErrorTranslation, EverySslReasonHasOpenSslsOrAStatedReason) {
  std::vector<std::string> unexplained = UnexplainedInternalSslReasons();
  std::string names;
  for (const std::string& n : unexplained) names += " " + n;
  EXPECT_TRUE(unexplained.empty()) << "add to ssl_reason_aliases.tsv:" << names;
}

// OpenSSL 3's numbers (sslerr.h) for reasons BoringSSL names otherwise.
TEST(BoringSslErrorTranslation, ReasonsOpenSslNamesOtherwiseAreAliased) {
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_BAD_ALERT), 205);  // INVALID_ALERT
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_DECODE_ERROR),
            159);  // LENGTH_MISMATCH
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_NO_SHARED_GROUP),
            410);  // NO_SHARED_GROUPS
  ErrorRecord record = TranslateBoringSslError(ERR_LIB_SSL, SSL_R_BAD_ALERT, nullptr);
  EXPECT_EQ(record.lib, kOpenSslLibSsl);
  EXPECT_EQ(record.reason, 205);
  // Kept internal on purpose (QUIC is never turned on).
  record = TranslateBoringSslError(ERR_LIB_SSL, SSL_R_QUIC_INTERNAL_ERROR, nullptr);
  EXPECT_EQ(record.reason, kOpenSslInternalError);
}

struct ReasonCase {
  int boringssl;
  int openssl;
  const char* name;
};

class SslReasonTest : public testing::TestWithParam<ReasonCase> {};

TEST_P(SslReasonTest, MapsByName) {
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, GetParam().boringssl), GetParam().openssl)
      << GetParam().name;
  ErrorRecord record = TranslateBoringSslError(ERR_LIB_SSL, GetParam().boringssl, nullptr);
  EXPECT_EQ(record.lib, kOpenSslLibSsl);
  EXPECT_EQ(record.reason, GetParam().openssl);
  EXPECT_EQ(record.data, "");
}

INSTANTIATE_TEST_SUITE_P(DesignDocNumbers, SslReasonTest,
                         testing::Values(ReasonCase{118, 127, "BAD_WRITE_RETRY"},
                                         ReasonCase{111, 271, "BAD_LENGTH"},
                                         ReasonCase{194, 207, "PROTOCOL_IS_SHUTDOWN"},
                                         ReasonCase{226, 276, "UNINITIALIZED"},
                                         ReasonCase{215, 229, "SSL_HANDSHAKE_FAILURE"},
                                         ReasonCase{125, 134, "CERTIFICATE_VERIFY_FAILED"},
                                         ReasonCase{177, 185, "NO_CIPHER_MATCH"}),
                         [](const testing::TestParamInfo<ReasonCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(BoringSslErrorTranslation, BoringSslHeaderHasTheNumbersWeTest) {
  EXPECT_EQ(SSL_R_BAD_WRITE_RETRY, 118);
  EXPECT_EQ(SSL_R_BAD_LENGTH, 111);
  EXPECT_EQ(SSL_R_PROTOCOL_IS_SHUTDOWN, 194);
  EXPECT_EQ(SSL_R_UNINITIALIZED, 226);
  EXPECT_EQ(SSL_R_SSL_HANDSHAKE_FAILURE, 215);
}

TEST(BoringSslErrorTranslation, AlertReasonsKeepTheirNumber) {
  // Same name, same number: handshake_failure alert.
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE),
            1040);
  // OpenSSL calls this one SSL_R_TLSV1_UNRECOGNIZED_NAME: no name match, the number stays.
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_TLSV1_ALERT_UNRECOGNIZED_NAME),
            1112);
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_TLSV1_ALERT_UNKNOWN_CA), 1048);
}

TEST(BoringSslErrorTranslation, SystemErrorsCarryErrno) {
  ErrorRecord record = TranslateBoringSslError(ERR_LIB_SYS, ECONNRESET, nullptr);
  EXPECT_EQ(record.lib, 2);
  EXPECT_EQ(record.reason, ECONNRESET);
}

TEST(BoringSslErrorTranslation, CommonReasonsMapByName) {
  // BoringSSL: ERR_R_MALLOC_FAILURE = 1 | 64; OpenSSL 3: 256 | ERR_R_FATAL.
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE), 256 | (3 << 18));
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR),
            kOpenSslInternalError);
  // ERR_R_EVP_LIB: BoringSSL's EVP library number; OpenSSL's is 6 | ERR_RFLAG_COMMON.
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, ERR_R_EVP_LIB), 6 | (2 << 18));
}

TEST(BoringSslErrorTranslation, UnmappedReasonBecomesInternalErrorWithItsName) {
  // SSL_R_QUIC_INTERNAL_ERROR exists only in BoringSSL and is internal on purpose.
  EXPECT_EQ(OpenSslReasonForBoringSslReason(ERR_LIB_SSL, SSL_R_QUIC_INTERNAL_ERROR), -1);
  ErrorRecord record = TranslateBoringSslError(ERR_LIB_SSL, SSL_R_QUIC_INTERNAL_ERROR, nullptr);
  EXPECT_EQ(record.lib, kOpenSslLibSsl);
  EXPECT_EQ(record.reason, kOpenSslInternalError);
  EXPECT_EQ(record.data, "BoringSSL: SSL_R_QUIC_INTERNAL_ERROR");

  ErrorRecord with_data = TranslateBoringSslError(ERR_LIB_SSL, SSL_R_QUIC_INTERNAL_ERROR, "extra");
  EXPECT_EQ(with_data.data, "BoringSSL: SSL_R_QUIC_INTERNAL_ERROR: extra");
}

TEST(BoringSslErrorTranslation, UnmappedLibraryIsNamedToo) {
  ErrorRecord record = TranslateBoringSslError(ERR_LIB_DIGEST, 100, nullptr);
  EXPECT_EQ(record.lib, kOpenSslLibSsl);
  EXPECT_EQ(record.reason, kOpenSslInternalError);
  EXPECT_EQ(record.data.rfind("BoringSSL: ERR_LIB_DIGEST: ", 0), 0u) << record.data;
}

TEST(BoringSslErrorTranslation, GeneratedTableIsSortedForBinarySearch) {
  EXPECT_TRUE(ErrorTablesAreSorted());
}

TEST(BoringSslErrorTranslation, SslErrorZeroToEightPassUnchanged) {
  for (int code = 0; code <= 8; code++) {
    ErrorRecord record;
    bool has_record = true;
    EXPECT_EQ(OpenSslSslErrorForBoringSslError(code, &record, &has_record), code);
    EXPECT_FALSE(has_record);
  }
}

TEST(BoringSslErrorTranslation, BoringSslOnlySslErrorsNeverLeave) {
  for (int code : {SSL_ERROR_WANT_CHANNEL_ID_LOOKUP, SSL_ERROR_PENDING_SESSION,
                   SSL_ERROR_WANT_CERTIFICATE_VERIFY, SSL_ERROR_WANT_RENEGOTIATE,
                   SSL_ERROR_HANDSHAKE_HINTS_READY}) {
    ErrorRecord record;
    bool has_record = false;
    EXPECT_EQ(OpenSslSslErrorForBoringSslError(code, &record, &has_record), 1) << code;
    EXPECT_TRUE(has_record);
    EXPECT_EQ(record.lib, kOpenSslLibSsl);
    EXPECT_NE(record.data.find(std::to_string(code)), std::string::npos);
  }
}

}  // namespace
}  // namespace sslshim::boringssl
