#include "setup.h"

#include <string.h>

int diff_parse_args(int argc, char** argv, DiffArgs* out) {
  memset(out, 0, sizeof *out);
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--scenario") == 0) out->scenario = argv[i + 1];
    if (strcmp(argv[i], "--cert") == 0) out->cert = argv[i + 1];
    if (strcmp(argv[i], "--key") == 0) out->key = argv[i + 1];
  }
  return out->scenario != NULL && out->cert != NULL && out->key != NULL;
}

SSL_CTX* diff_make_ctx(int is_server, int tls13, const char* cert, const char* key) {
  SSL_CTX* ctx = SSL_CTX_new(is_server ? TLS_server_method() : TLS_client_method());
  if (ctx == NULL) return NULL;
  int version = tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  if (is_server && (SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) != 1 ||
                    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}
