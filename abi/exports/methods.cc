// TLS_method and friends: static method objects of ours, each behind a handle, carrying the
// endpoint and version bounds that OpenSSL's method would impose; the DTLS methods are marked
// `datagram`, so the backend makes a DTLS context (versions then in DTLS's wire numbering).
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
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

// --- A context's or connection's method ---------------------------------------------------------

namespace sslshim {
namespace {

// The method behind a handle the program passes; nullptr, with OpenSSL's error, for none or one
// that is not ours (another library's method cannot run on this context's backend).
const Method* MethodArgument(const SSL_METHOD* meth, const char* func) {
  if (meth == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_NULL_SSL_METHOD_PASSED, func);
    return nullptr;
  }
  auto resolved = Resolve<Method>(meth, HandleKind::kMethod);
  if (resolved.state != HandleState::kLive) {
    ReportInvalidHandle(func);
    return nullptr;
  }
  return resolved.object;
}

// OpenSSL would switch a TLS object to a DTLS method (and back); the backend's object is one or
// the other for its lifetime, so the shim refuses rather than run the wrong protocol.
bool SameTransport(const Method* from, const Method* to, const char* func) {
  if (from->spec.datagram == to->spec.datagram) return true;
  PushError(ERR_LIB_SSL, SSL_R_WRONG_SSL_VERSION, func,
            "sslshim: a method cannot switch between TLS and DTLS");
  return false;
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_get_ssl_method, nullptr) {
  return static_cast<const SSL_METHOD*>(ctx->method->handle);
}

SSLSHIM_SSL_ENTRY(SSL_get_ssl_method, nullptr) {
  return static_cast<const SSL_METHOD*>(ssl->method->handle);
}

// As OpenSSL 3's: the method changes for the connections made afterwards (versions follow it:
// TLSv1_2_method pins TLS 1.2), and the cipher lists go back to the defaults.
SSLSHIM_CTX_ENTRY(SSL_CTX_set_ssl_version, 0, meth) {
  static constexpr char kFunc[] = "SSL_CTX_set_ssl_version";
  const sslshim::Method* method = sslshim::MethodArgument(meth, kFunc);
  if (method == nullptr || !sslshim::SameTransport(ctx->method, method, kFunc)) return 0;
  if (!sslshim::FinishCtxCall(ctx, ctx->backend()->SetMethod(method->spec),
                              SSL_R_SSL_LIBRARY_HAS_NO_CIPHERS, kFunc)) {
    return 0;
  }
  ctx->method = method;
  const bool defaults = ctx->backend()->SetCiphersuites(OSSL_default_ciphersuites()) &&
                        ctx->backend()->SetCipherList(OSSL_default_cipher_list());
  return sslshim::FinishCtxCall(ctx, defaults, SSL_R_SSL_LIBRARY_HAS_NO_CIPHERS, kFunc);
}

// As OpenSSL 3's: any method of the same transport, which SSL_get_ssl_method then answers. The
// versions stay those of SSL_new's method, as measured: OpenSSL's connection keeps the version
// SSL_new gave it (TLS_client_method -> TLSv1_2_client_method still negotiates TLS 1.3,
// TLSv1_2_client_method -> TLS_client_method still TLS 1.2).
SSLSHIM_SSL_ENTRY(SSL_set_ssl_method, 0, meth) {
  static constexpr char kFunc[] = "SSL_set_ssl_method";
  const sslshim::Method* method = sslshim::MethodArgument(meth, kFunc);
  if (method == nullptr || !sslshim::SameTransport(ssl->method, method, kFunc)) return 0;
  ssl->method = method;
  return 1;
}
