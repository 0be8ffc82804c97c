// Library initialisation, error strings and the process-wide indices libssl owns.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <mutex>

#include "core/handle_table.h"
#include "core/trace.h"
#include "core/version.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
extern ERR_STRING_DATA kSslReasonStrings[];  // generated from OpenSSL's sslerr.h
namespace {

// Pulls the version line into every library built from these objects, whether or not a log line
// refers to it: `sslshim version` and `strings` read it from the file.
__attribute__((used)) const char* const kCarriedVersionLine = kVersionLine;

void LoadSslStringsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ERR_load_strings_const(kSslReasonStrings); });
}

// Reserves the handle region before any exported call can need it, so the ownership test on
// SSL_write's path never has to check for initialisation; the same holds for the log level.
__attribute__((constructor)) void InitAtLoad() {
  InitHandleTable();
  InitLog();
}

}  // namespace
}  // namespace sslshim

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(OPENSSL_init_ssl, opts, settings) {
  // Preloaded, the real libssl initialises itself (and loads its own strings) as it would;
  // standing in, we load OpenSSL's SSL reason strings so ERR_error_string_n reads the same.
  if (!OPENSSL_init_crypto(opts | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, settings)) return 0;
  if ((opts & OPENSSL_INIT_NO_LOAD_SSL_STRINGS) == 0) sslshim::LoadSslStringsOnce();
  return 1;
}

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(ERR_load_SSL_strings) {
  sslshim::LoadSslStringsOnce();
  return 1;
}

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_get_ex_data_X509_STORE_CTX_idx) {
  // One index for the process. Preloaded, the real libssl's own verification calls this very
  // export (its internal calls go through the PLT), and so does the OpenSSL backend through its
  // table: forwarding makes all three agree on the real libssl's index.
  static const int index = X509_STORE_CTX_get_ex_new_index(
      0, const_cast<char*>("SSL for verify callback"), nullptr, nullptr, nullptr);
  return index;
}
