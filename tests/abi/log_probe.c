/* A program linked only against the system's libssl whose calls give each SSLSHIM_LOG level
 * something to say: a context (the shim starts serving: the info line), two ctrl commands (one
 * SSL_CTX_ctrl the shim serves, one SSL_CTX_callback_ctrl it does not: named in the trace and, the
 * second, refused) and a function refused by design (SRP). It prints the answers it got. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/ssl.h>
#include <stdio.h>

static int srp_username_cb(SSL* ssl, int* alert, void* arg) {
  (void)ssl, (void)alert, (void)arg;
  return 0;
}

int main(void) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return 3;
  long mode = SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  /* SSL_CTX_set_srp_username_callback's command, sent as the ctrl itself (SRP is not served). */
  long srp_cb = SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLS_EXT_SRP_USERNAME_CB,
                                      (void (*)(void))srp_username_cb);
  int srp = SSL_CTX_set_srp_username(ctx, (char*)"user");
  printf("mode=%ld srp_username_cb=%ld srp=%d\n", mode, srp_cb, srp);
  SSL_CTX_free(ctx);
  return 0;
}
