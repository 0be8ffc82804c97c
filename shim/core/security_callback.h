// The program's security callback (SSL_CTX_set_security_callback, SSL_set_security_callback).
//
// OpenSSL 3 asks it, as it would its default callback (the security level), about every version,
// suite, group and signature algorithm a connection might use and about session tickets, and leaves
// out what it refuses. Neither backend can take the program's callback into its own handshake, so
// before a connection's first handshake the core asks it about each of those the connection would
// offer, with OpenSSL's arguments, and hands the backend only what it allows. The backend's own
// level checks stay as well (stricter than OpenSSL, never weaker). Where what is refused cannot be
// left out alone (some, not all, of TLS 1.3's suites on a backend that takes only all of them),
// or nothing is left to handshake with, the connection refuses to handshake (fail closed).
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <vector>

namespace sslshim {

class Ssl;

using SecurityCallback = int (*)(const SSL* s, const SSL_CTX* ctx, int op, int bits, int nid,
                                 void* other, void* ex);

// Before a handshake that has not yet consulted the connection's callback (none set: true, at
// once). False, with OpenSSL's reason pushed and SSL_get_error's answer recorded, when the
// connection must not handshake.
bool ConsultSecurityCallback(Ssl* ssl, const char* func);

}  // namespace sslshim
