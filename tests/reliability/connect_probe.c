/* connect_probe: SSL_connect over an inherited socket, and what it answered. An ordinary OpenSSL
 * client, for peers that send something malformed: it prints
 *   ret=N err=N queue=<the first error, as ERR_error_string_n writes it>
 *
 * usage: connect_probe FD
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc != 2) {
    fprintf(stderr, "usage: connect_probe FD\n");
    return 2;
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, atoi(argv[1]));
  int ret = SSL_connect(ssl);
  int err = SSL_get_error(ssl, ret);
  char reason[160] = "";
  unsigned long queued = ERR_peek_error();
  if (queued != 0) ERR_error_string_n(queued, reason, sizeof reason);
  printf("ret=%d err=%d queue=%s\n", ret, err, reason);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}
