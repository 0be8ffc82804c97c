// Custom TLS extensions. BoringSSL sends and parses only the extensions it implements, so
// SSL_CTX_add_custom_ext and its client and server forms are refused by design
// (refused-by-design.tsv); no context of the shim's ever has one, which is OpenSSL's answer here.
#include <openssl/ssl.h>

#include "exports/entry_point.h"

SSLSHIM_CTX_ENTRY(SSL_CTX_has_client_custom_ext, 0, ext_type) {
  (void)ctx, (void)ext_type;
  return 0;
}
