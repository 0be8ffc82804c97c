/* What the differential SUT and peer set up alike: their command line (as the runner passes it)
 * and a TLS context for one side. */
#ifndef COMPAT_SUITE_DIFFERENTIAL_SETUP_H_
#define COMPAT_SUITE_DIFFERENTIAL_SETUP_H_

#include <openssl/ssl.h>

typedef struct DiffArgs {
  const char* scenario;
  const char* cert;
  const char* key;
} DiffArgs;

/* --scenario TEXT --cert PEM --key PEM. 1 when all three are there. */
int diff_parse_args(int argc, char** argv, DiffArgs* out);
/* A context with the TLS version pinned, no verification, and for a server the certificate.
 * NULL on failure. */
SSL_CTX* diff_make_ctx(int is_server, int tls13, const char* cert, const char* key);

#endif /* COMPAT_SUITE_DIFFERENTIAL_SETUP_H_ */
