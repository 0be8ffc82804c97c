// Translating BoringSSL's error codes into OpenSSL 3's: library numbers, reason codes, and
// SSL_get_error values. Neutral types only, so the unit tests can call these directly.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.h"

namespace sslshim::boringssl {

// OpenSSL 3's ERR_LIB_* for a BoringSSL ERR_LIB_* number, or -1 when OpenSSL has no such library.
int OpenSslLibForBoringSslLib(int boringssl_lib);

// OpenSSL 3's reason code for a BoringSSL (library, reason) pair, matched by name, or -1 when
// OpenSSL has no reason of that name. Alert reasons (SSL_AD_REASON_OFFSET + alert, 1000 in both)
// keep their number when no name matches; ERR_LIB_SYS reasons are errno values and pass through.
int OpenSslReasonForBoringSslReason(int boringssl_lib, int boringssl_reason);

// The BoringSSL name of a reason ("SSL_R_DECODE_ERROR"), or nullptr when it has none we know.
const char* BoringSslReasonName(int boringssl_lib, int boringssl_reason);

// One BoringSSL error as the record the core pushes onto the program's queue. Unmapped errors
// become (mapped library, or ERR_LIB_SSL) + ERR_R_INTERNAL_ERROR with data
// "BoringSSL: <REASON_NAME>", so the program still reads what happened.
ErrorRecord TranslateBoringSslError(int boringssl_lib, int boringssl_reason,
                                    const char* boringssl_data);

// OpenSSL's SSL_ERROR_* for BoringSSL's. 0-8 agree; BoringSSL-only values (9 and up) never leave
// the backend: they become SSL_ERROR_SSL and, through *record, an error explaining why.
int OpenSslSslErrorForBoringSslError(int boringssl_ssl_error, ErrorRecord* record,
                                     bool* has_record);

// Moves BoringSSL's thread-local error queue, translated, onto the end of *out (oldest first).
void DrainBoringSslErrors(std::vector<ErrorRecord>* out);

// Whether the generated reason table is in the order the lookups' binary search needs.
bool ErrorTablesAreSorted();

// The SSL reasons (alerts aside) that would reach the program as ERR_R_INTERNAL_ERROR without
// ssl_reason_aliases.tsv saying that is intended: empty when every BoringSSL reason has OpenSSL's
// counterpart or a stated reason not to (checked by a unit test, so a new BoringSSL reason shows).
std::vector<std::string> UnexplainedInternalSslReasons();

// An OpenSSL 3 record for the backend's own refusals (lib SSL, the given OpenSSL reason).
ErrorRecord MakeSslErrorRecord(int openssl_reason, std::string data);

}  // namespace sslshim::boringssl
