// Library initialisation, error strings and the process-wide indices libssl owns.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <mutex>

#include "core/handle_table.h"
#include "exports/dispatch.h"

namespace sslshim {
extern ERR_STRING_DATA kSslReasonStrings[];  // generated from OpenSSL's sslerr.h
namespace {

void LoadSslStringsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ERR_load_strings_const(kSslReasonStrings); });
}

// Reserves the handle region before any exported call can need it, so the ownership test on
// SSL_write's path never has to check for initialisation.
__attribute__((constructor)) void InitAtLoad() { InitHandleTable(); }

}  // namespace
}  // namespace sslshim

extern "C" int OPENSSL_init_ssl(uint64_t opts, const OPENSSL_INIT_SETTINGS* settings) {
  // Preloaded, the real libssl initialises itself (and loads its own strings) as it would;
  // standing in, we load OpenSSL's SSL reason strings so ERR_error_string_n reads the same.
  SSLSHIM_RETURN_REAL_IF_ANY(OPENSSL_init_ssl, opts, settings);
  if (!OPENSSL_init_crypto(opts | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, settings)) return 0;
  if ((opts & OPENSSL_INIT_NO_LOAD_SSL_STRINGS) == 0) sslshim::LoadSslStringsOnce();
  return 1;
}

extern "C" int ERR_load_SSL_strings(void) {
  SSLSHIM_RETURN_REAL_IF_ANY(ERR_load_SSL_strings);
  sslshim::LoadSslStringsOnce();
  return 1;
}

extern "C" int SSL_get_ex_data_X509_STORE_CTX_idx(void) {
  // One index for the process. Preloaded, the real libssl's own verification calls this very
  // export (its internal calls go through the PLT), and so does the OpenSSL backend through its
  // table: forwarding makes all three agree on the real libssl's index.
  SSLSHIM_RETURN_REAL_IF_ANY(SSL_get_ex_data_X509_STORE_CTX_idx);
  static const int index = X509_STORE_CTX_get_ex_new_index(
      0, const_cast<char*>("SSL for verify callback"), nullptr, nullptr, nullptr);
  return index;
}
