// SSL_stateless: a TLS 1.3 server answering a ClientHello with a HelloRetryRequest that carries
// its state in a cookie, keeping none itself. BoringSSL has no stateless server mode (nor the
// cookie callbacks it needs), so the call fails as OpenSSL's fails a connection it cannot serve
// this way: -1 with the reason queued. 0 would tell the program a HelloRetryRequest went out and
// to call again, which it would do for ever.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include "core/errors.h"
#include "exports/entry_point.h"

SSLSHIM_SSL_ENTRY(SSL_stateless, -1) {
  (void)ssl;
  constexpr char kWhy[] =
      "refused by design for sslshim's objects: TLS 1.3 stateless HelloRetryRequest: BoringSSL "
      "has no stateless server mode";
  sslshim::PushError(ERR_LIB_SSL, ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, "SSL_stateless",
                     (std::string("sslshim: ") + kWhy).c_str());
  sslshim::WarnOnce("SSL_stateless", kWhy);
  return -1;
}
