/* A program that passes one ctrl command sslshim does not serve (SSL_CTX_set1_client_sigalgs_list,
 * SSL_CTRL_SET_CLIENT_SIGALGS_LIST): `sslshim check` must find it by disassembly and name it. Never
 * run by the tests. */
#include <openssl/ssl.h>

int main(void) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  int ok = ctx != NULL && SSL_CTX_set1_client_sigalgs_list(ctx, "ECDSA+SHA256");
  SSL_CTX_free(ctx);
  return ok ? 0 : 1;
}
