// TLS compression's list of methods (the list itself: misc.cc). Neither BoringSSL nor Debian's
// OpenSSL 3 (built without zlib) compresses: measured natively, SSL_COMP_add_compression_method
// answers 1 (failure) with nothing queued for COMP_zlib(), whose type is NID_undef there, and
// for a null method. Preloaded, the real libssl answers, since its list is the process's.
#include <openssl/comp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
#include "exports/entry_point.h"

namespace {

// OpenSSL 3's SSL_COMP (ssl/ssl_local.h), to read an entry of a list the program set.
struct OpenSslComp {
  int id;
  const char* name;
  COMP_METHOD* method;
};

}  // namespace

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_COMP_add_compression_method, id, cm) {
  if (cm == nullptr || COMP_get_type(cm) == NID_undef) return 1;
  // OpenSSL's check of the private range comes before anything is added.
  if (id < 193 || id > 255) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_COMPRESSION_ID_NOT_WITHIN_PRIVATE_RANGE,
                       "SSL_COMP_add_compression_method");
    return 1;
  }
  sslshim::PushError(ERR_LIB_SSL, ERR_R_UNSUPPORTED, "SSL_COMP_add_compression_method",
                     "sslshim: TLS compression: BoringSSL has none");
  return 1;
}

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_COMP_get0_name, comp) {
  return comp != nullptr ? reinterpret_cast<const OpenSslComp*>(comp)->name : nullptr;
}

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_COMP_get_id, comp) {
  return comp != nullptr ? reinterpret_cast<const OpenSslComp*>(comp)->id : -1;
}
