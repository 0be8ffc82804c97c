/* A program linked only against the system's libssl whose calls give each SSLSHIM_LOG level
 * something to say: a context (the shim starts serving: the info line), two ctrl commands (one
 * SSL_CTX_ctrl the shim serves, one SSL_CTX_callback_ctrl it does not: named in the trace and, the
 * second, refused) and a function refused by design (SRP). It prints the answers it got. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/ssl.h>
#include <stdio.h>

static int ticket_key_cb(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                         HMAC_CTX* hmac, int enc) {
  (void)ssl, (void)name, (void)iv, (void)cipher, (void)hmac, (void)enc;
  return 0;
}

int main(void) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return 3;
  long mode = SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  long ticket = SSL_CTX_set_tlsext_ticket_key_cb(ctx, ticket_key_cb);
  int srp = SSL_CTX_set_srp_username(ctx, (char*)"user");
  printf("mode=%ld ticket_key_cb=%ld srp=%d\n", mode, ticket, srp);
  SSL_CTX_free(ctx);
  return 0;
}
