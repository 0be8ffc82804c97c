/* unknown_ctrl_probe: what SSL_ctrl, SSL_CTX_ctrl and SSL_CTX_callback_ctrl answer for commands
 * OpenSSL 3 does not know, and what they leave on the error queue (OpenSSL: 0 and nothing; a
 * stale error would turn the next SSL_get_error into SSL_ERROR_SSL). An ordinary OpenSSL program.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>

int main(void) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  SSL* ssl = SSL_new(ctx);
  static const int kCommands[] = {0, 200, 9999, -1};
  for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; i++) {
    int cmd = kCommands[i];
    ERR_clear_error();
    long ssl_ret = SSL_ctrl(ssl, cmd, 0, NULL);
    unsigned long ssl_queue = ERR_peek_error();
    long ctx_ret = SSL_CTX_ctrl(ctx, cmd, 0, NULL);
    unsigned long ctx_queue = ERR_peek_error();
    long cb_ret = SSL_CTX_callback_ctrl(ctx, cmd, NULL);
    unsigned long cb_queue = ERR_peek_error();
    printf(
        "command %d: SSL_ctrl %ld queue %lx, SSL_CTX_ctrl %ld queue %lx, "
        "SSL_CTX_callback_ctrl %ld queue %lx\n",
        cmd, ssl_ret, ssl_queue, ctx_ret, ctx_queue, cb_ret, cb_queue);
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}
