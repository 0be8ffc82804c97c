// Error-code translation, driven by the tables gen_openssl_tables.sh generates by name from both
// libraries' headers (see that script for why the numbers are never written here by hand).
#include "boringssl/error_translation.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>

#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

struct ErrorCodeRow {
  int boringssl;
  int openssl;  // -1: OpenSSL has no code of this name
  const char* name;
};
struct LibraryReasonRow {
  int boringssl_lib;
  ErrorCodeRow reason;
};

#include "boringssl/error_tables.inc"

// BoringSSL keeps ERR_R_* (common) reasons below 100 and each library's own from 100 up.
constexpr int kBoringSslFirstLibraryReason = 100;

const LibraryReasonRow* FindLibraryReason(int lib, int reason) {
  auto first = std::begin(kLibraryReasonRows);
  auto last = std::end(kLibraryReasonRows);
  auto it = std::lower_bound(first, last, std::make_pair(lib, reason),
                             [](const LibraryReasonRow& row, const std::pair<int, int>& key) {
                               return std::make_pair(row.boringssl_lib, row.reason.boringssl) < key;
                             });
  if (it == last || it->boringssl_lib != lib || it->reason.boringssl != reason) return nullptr;
  return it;
}

const ErrorCodeRow* FindCommonReason(int reason) {
  for (const ErrorCodeRow& row : kCommonReasonRows) {
    if (row.boringssl == reason) return &row;
  }
  return nullptr;
}

// BoringSSL adds SSL_R_HANDSHAKE_FAILURE_ON_CLIENT_HELLO after the error of a handshake_failure
// alert answering a ClientHello, as a hint; OpenSSL reports the alert alone, and programs take the
// last error as the cause (Python's SSLError.reason), so the hint is not handed on.
bool IsBoringSslOnlyHint(uint32_t packed) {
  return ERR_GET_LIB(packed) == ERR_LIB_SSL &&
         ERR_GET_REASON(packed) == SSL_R_HANDSHAKE_FAILURE_ON_CLIENT_HELLO;
}

}  // namespace

int OpenSslLibForBoringSslLib(int boringssl_lib) {
  for (const ErrorCodeRow& row : kLibraryRows) {
    if (row.boringssl == boringssl_lib) return row.openssl;
  }
  return -1;
}

int OpenSslReasonForBoringSslReason(int boringssl_lib, int boringssl_reason) {
  if (boringssl_lib == ERR_LIB_SYS) return boringssl_reason;  // errno, the same in both
  if (boringssl_reason < kBoringSslFirstLibraryReason) {
    const ErrorCodeRow* row = FindCommonReason(boringssl_reason);
    return row ? row->openssl : -1;
  }
  const LibraryReasonRow* row = FindLibraryReason(boringssl_lib, boringssl_reason);
  if (row && row->reason.openssl >= 0) return row->reason.openssl;
  // Both libraries encode a received alert as SSL_AD_REASON_OFFSET + alert number, so an alert
  // reason OpenSSL names differently (TLSV1_ALERT_UNRECOGNIZED_NAME vs TLSV1_UNRECOGNIZED_NAME)
  // or not at all keeps its number, and OpenSSL prints its own text for it.
  static_assert(SSL_AD_REASON_OFFSET == openssl3::kSSL_AD_REASON_OFFSET);
  if (boringssl_lib == ERR_LIB_SSL && boringssl_reason >= SSL_AD_REASON_OFFSET &&
      boringssl_reason < SSL_AD_REASON_OFFSET + 256) {
    return boringssl_reason;
  }
  return -1;
}

std::vector<std::string> UnexplainedInternalSslReasons() {
  std::vector<std::string> names;
  for (const LibraryReasonRow& row : kLibraryReasonRows) {
    if (row.boringssl_lib != ERR_LIB_SSL || row.reason.openssl >= 0 ||
        row.reason.boringssl >= SSL_AD_REASON_OFFSET) {
      continue;
    }
    bool intended = false;
    for (const char* name : kInternalSslReasonNames) {
      intended = intended || std::string(name) == row.reason.name;
    }
    if (!intended) names.push_back(row.reason.name);
  }
  return names;
}

const char* BoringSslReasonName(int boringssl_lib, int boringssl_reason) {
  if (boringssl_reason < kBoringSslFirstLibraryReason) {
    const ErrorCodeRow* row = FindCommonReason(boringssl_reason);
    return row ? row->name : nullptr;
  }
  const LibraryReasonRow* row = FindLibraryReason(boringssl_lib, boringssl_reason);
  return row ? row->reason.name : nullptr;
}

ErrorRecord TranslateBoringSslError(int boringssl_lib, int boringssl_reason,
                                    const char* boringssl_data) {
  ErrorRecord record;
  int lib = OpenSslLibForBoringSslLib(boringssl_lib);
  int reason = lib < 0 ? -1 : OpenSslReasonForBoringSslReason(boringssl_lib, boringssl_reason);
  std::string data = boringssl_data != nullptr ? boringssl_data : "";
  if (lib >= 0 && reason >= 0) {
    record.lib = lib;
    record.reason = static_cast<int>(reason);
    record.data = data;
    return record;
  }
  // No OpenSSL equivalent: say so in OpenSSL's terms and carry BoringSSL's name as the text.
  const char* name = BoringSslReasonName(boringssl_lib, boringssl_reason);
  std::string text = "BoringSSL: ";
  if (lib < 0) {
    for (const ErrorCodeRow& row : kLibraryRows) {
      if (row.boringssl == boringssl_lib) text += std::string(row.name) + ": ";
    }
  }
  text += name != nullptr ? name : "reason " + std::to_string(boringssl_reason);
  if (!data.empty()) text += ": " + data;
  record.lib = lib >= 0 ? lib : static_cast<int>(openssl3::kERR_LIB_SSL);
  record.reason = static_cast<int>(openssl3::kERR_R_INTERNAL_ERROR);
  record.data = std::move(text);
  return record;
}

int OpenSslSslErrorForBoringSslError(int boringssl_ssl_error, ErrorRecord* record,
                                     bool* has_record) {
  *has_record = false;
  switch (boringssl_ssl_error) {
    case SSL_ERROR_NONE:
      return static_cast<int>(openssl3::kSSL_ERROR_NONE);
    case SSL_ERROR_SSL:
      return static_cast<int>(openssl3::kSSL_ERROR_SSL);
    case SSL_ERROR_WANT_READ:
      return static_cast<int>(openssl3::kSSL_ERROR_WANT_READ);
    case SSL_ERROR_WANT_WRITE:
      return static_cast<int>(openssl3::kSSL_ERROR_WANT_WRITE);
    case SSL_ERROR_WANT_X509_LOOKUP:
      return static_cast<int>(openssl3::kSSL_ERROR_WANT_X509_LOOKUP);
    case SSL_ERROR_SYSCALL:
      return static_cast<int>(openssl3::kSSL_ERROR_SYSCALL);
    case SSL_ERROR_ZERO_RETURN:
      return static_cast<int>(openssl3::kSSL_ERROR_ZERO_RETURN);
    case SSL_ERROR_WANT_CONNECT:
      return static_cast<int>(openssl3::kSSL_ERROR_WANT_CONNECT);
    case SSL_ERROR_WANT_ACCEPT:
      return static_cast<int>(openssl3::kSSL_ERROR_WANT_ACCEPT);
    case SSL_ERROR_PENDING_CERTIFICATE:  // the client hello callback asked to be called again
      return static_cast<int>(openssl3::kSSL_ERROR_WANT_CLIENT_HELLO_CB);
    default:
      // WANT_CHANNEL_ID_LOOKUP, PENDING_SESSION, WANT_RENEGOTIATE, ...: states this backend never
      // asks for, and numbers that mean other things in OpenSSL (9 is WANT_ASYNC there).
      *has_record = true;
      *record = MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_INTERNAL_ERROR),
                                   "BoringSSL: SSL_get_error returned backend-only code " +
                                       std::to_string(boringssl_ssl_error));
      return static_cast<int>(openssl3::kSSL_ERROR_SSL);
  }
}

void DrainBoringSslErrors(std::vector<ErrorRecord>* out) {
  for (;;) {
    const char* file = nullptr;
    int line = 0;
    const char* data = nullptr;
    int flags = 0;
    uint32_t packed = ERR_get_error_line_data(&file, &line, &data, &flags);
    if (packed == 0) break;
    if (IsBoringSslOnlyHint(packed)) continue;
    out->push_back(TranslateBoringSslError(ERR_GET_LIB(packed), ERR_GET_REASON(packed),
                                           (flags & ERR_FLAG_STRING) ? data : nullptr));
  }
}

bool ErrorTablesAreSorted() {
  return std::is_sorted(std::begin(kLibraryReasonRows), std::end(kLibraryReasonRows),
                        [](const LibraryReasonRow& a, const LibraryReasonRow& b) {
                          return std::make_pair(a.boringssl_lib, a.reason.boringssl) <
                                 std::make_pair(b.boringssl_lib, b.reason.boringssl);
                        });
}

ErrorRecord MakeSslErrorRecord(int openssl_reason, std::string data) {
  ErrorRecord record;
  record.lib = static_cast<int>(openssl3::kERR_LIB_SSL);
  record.reason = openssl_reason;
  record.data = std::move(data);
  return record;
}

}  // namespace sslshim::boringssl
