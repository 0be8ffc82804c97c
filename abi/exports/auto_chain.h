// OpenSSL's automatic certificate chain (SSL_MODE_NO_AUTO_CHAIN unset): a context whose leaf has
// no extra chain certificates sends the chain built from its trust store.
#pragma once

#include <openssl/ssl.h>

namespace sslshim {

class Ctx;

// SSL_new: creates the connection from `ctx` after bringing the backend's chain up to date with
// the automatic chain. Both happen under the context's lock, so no connection copies a chain
// while it is being replaced.
SSL* NewSslWithAutoChain(Ctx* ctx);

}  // namespace sslshim
