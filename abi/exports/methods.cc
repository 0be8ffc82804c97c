// TLS_method and friends: static method objects of ours, each behind a handle, carrying the
// endpoint and version bounds that OpenSSL's method would impose (DTLS is not served).
#include <openssl/ssl.h>

#include "core/handle_table.h"
#include "core/objects.h"
#include "exports/dispatch.h"

namespace sslshim {
namespace {

// `method` has static storage: it lives for the process, as OpenSSL's methods do.
const SSL_METHOD* RegisterMethod(Method* method, Endpoint endpoint, int version) {
  method->spec = {endpoint, version, version};
  method->handle = NewHandle(HandleKind::kMethod, method);
  return static_cast<const SSL_METHOD*>(method->handle);
}

}  // namespace
}  // namespace sslshim

using sslshim::Endpoint;
using sslshim::RegisterMethod;

#define SSLSHIM_METHOD(fn, endpoint, version)                                      \
  extern "C" const SSL_METHOD* fn(void) {                                          \
    SSLSHIM_FORWARD_CALLS_FROM_REAL_LIBSSL(fn);                                    \
    static sslshim::Method storage;                                                \
    static const SSL_METHOD* method = RegisterMethod(&storage, endpoint, version); \
    return method;                                                                 \
  }

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
