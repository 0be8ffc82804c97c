// SSL_renegotiate_abbreviated: a renegotiation that offers to resume the current session. The
// OpenSSL backend does exactly that; BoringSSL's renegotiations are always full handshakes, so
// there it is SSL_renegotiate (the same security, one more full handshake).
#include <openssl/ssl.h>

#include "exports/entry_point.h"

SSLSHIM_SSL_ENTRY(SSL_renegotiate_abbreviated, 0) {
  const int ok = sslshim::FinishConnCall(ssl, ssl->conn()->RenegotiateAbbreviated(), 0,
                                         "SSL_renegotiate_abbreviated");
  if (ok == 1) ssl->connection.renegotiate_pending = true;
  return ok;
}
