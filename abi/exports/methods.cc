// TLS_method and friends: static method objects of ours, each behind a handle, carrying the
// endpoint and version bounds that OpenSSL's method would impose; the DTLS methods are marked
// `datagram`, so the backend makes a DTLS context (versions then in DTLS's wire numbering).
#include <openssl/ssl.h>

#include "core/handle_table.h"
#include "core/objects.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// `method` has static storage: it lives for the process, as OpenSSL's methods do.
const SSL_METHOD* RegisterMethod(Method* method, Endpoint endpoint, int version, bool datagram) {
  method->spec = {endpoint, version, version, datagram};
  method->handle = NewHandle(HandleKind::kMethod, method);
  return static_cast<const SSL_METHOD*>(method->handle);
}

}  // namespace
}  // namespace sslshim

using sslshim::Endpoint;
using sslshim::RegisterMethod;

#define SSLSHIM_METHOD_OF(fn, endpoint, version, datagram)                                   \
  SSLSHIM_SHARED_FUNCTION_ENTRY(fn) {                                                        \
    static sslshim::Method storage;                                                          \
    static const SSL_METHOD* method = RegisterMethod(&storage, endpoint, version, datagram); \
    return method;                                                                           \
  }
#define SSLSHIM_METHOD(fn, endpoint, version) SSLSHIM_METHOD_OF(fn, endpoint, version, false)
#define SSLSHIM_DTLS_METHOD(fn, endpoint, version) SSLSHIM_METHOD_OF(fn, endpoint, version, true)

SSLSHIM_METHOD(TLS_method, Endpoint::kEither, 0)
SSLSHIM_METHOD(TLS_client_method, Endpoint::kClient, 0)
SSLSHIM_METHOD(TLS_server_method, Endpoint::kServer, 0)
SSLSHIM_METHOD(TLSv1_2_method, Endpoint::kEither, TLS1_2_VERSION)
SSLSHIM_METHOD(TLSv1_2_client_method, Endpoint::kClient, TLS1_2_VERSION)
SSLSHIM_METHOD(TLSv1_2_server_method, Endpoint::kServer, TLS1_2_VERSION)
SSLSHIM_METHOD(TLSv1_1_method, Endpoint::kEither, TLS1_1_VERSION)
SSLSHIM_METHOD(TLSv1_1_client_method, Endpoint::kClient, TLS1_1_VERSION)
SSLSHIM_METHOD(TLSv1_1_server_method, Endpoint::kServer, TLS1_1_VERSION)
SSLSHIM_METHOD(TLSv1_method, Endpoint::kEither, TLS1_VERSION)
SSLSHIM_METHOD(TLSv1_client_method, Endpoint::kClient, TLS1_VERSION)
SSLSHIM_METHOD(TLSv1_server_method, Endpoint::kServer, TLS1_VERSION)

// DTLS: both backends have DTLS 1.0 and 1.2 (BoringSSL has no DTLS 1.3 in the version we build).
SSLSHIM_DTLS_METHOD(DTLS_method, Endpoint::kEither, 0)
SSLSHIM_DTLS_METHOD(DTLS_client_method, Endpoint::kClient, 0)
SSLSHIM_DTLS_METHOD(DTLS_server_method, Endpoint::kServer, 0)
SSLSHIM_DTLS_METHOD(DTLSv1_2_method, Endpoint::kEither, DTLS1_2_VERSION)
SSLSHIM_DTLS_METHOD(DTLSv1_2_client_method, Endpoint::kClient, DTLS1_2_VERSION)
SSLSHIM_DTLS_METHOD(DTLSv1_2_server_method, Endpoint::kServer, DTLS1_2_VERSION)
SSLSHIM_DTLS_METHOD(DTLSv1_method, Endpoint::kEither, DTLS1_VERSION)
SSLSHIM_DTLS_METHOD(DTLSv1_client_method, Endpoint::kClient, DTLS1_VERSION)
SSLSHIM_DTLS_METHOD(DTLSv1_server_method, Endpoint::kServer, DTLS1_VERSION)
