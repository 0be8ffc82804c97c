/* A program that passes one ctrl command sslshim does not serve
 * (SSL_CTX_set1_client_certificate_types, SSL_CTRL_SET_CLIENT_CERT_TYPES): `sslshim check` must
 * find it by disassembly and name it. Never run by the tests. */
#include <openssl/ssl.h>

int main(void) {
  static const unsigned char kTypes[] = {TLS_CT_ECDSA_SIGN};
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  int ok = ctx != NULL && SSL_CTX_set1_client_certificate_types(ctx, kTypes, sizeof kTypes);
  SSL_CTX_free(ctx);
  return ok ? 0 : 1;
}
