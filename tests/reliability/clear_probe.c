/* clear_probe: one SSL object for two connections, with SSL_clear between them, as programs that
 * reuse an SSL do. An ordinary OpenSSL program. It connects to PORT on 127.0.0.1 (retrying while
 * the server starts), sends an HTTP/1.0 request, reads the answer to the end, shuts down, calls
 * SSL_clear, and does the same over a new socket with the same SSL. It prints one JSON line:
 * SSL_clear's answer, and per connection the handshake's result, the version, whether the
 * session was reused, and whether the answer (openssl s_server -www's page) arrived.
 *
 * usage: clear_probe PORT 1.2|1.3
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_connect.h"

static void one_connection(SSL* ssl, int port, const char* label, int last) {
  int fd = connect_with_retries(port);
  int handshake = fd >= 0 && SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1;
  int answered = 0;
  if (handshake) {
    static const char kRequest[] = "GET / HTTP/1.0\r\n\r\n";
    SSL_write(ssl, kRequest, (int)sizeof kRequest - 1);
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl, buf, (int)sizeof buf - 1)) > 0) {
      buf[n] = '\0';
      if (strstr(buf, "HTTP/1.0 200") != NULL) answered = 1;
    }
  } else {
    ERR_print_errors_fp(stderr);
  }
  printf("\"%s\":{\"handshake\":%d,\"version\":\"%s\",\"reused\":%d,\"answered\":%d}%s", label,
         handshake, handshake ? SSL_get_version(ssl) : "", SSL_session_reused(ssl), answered,
         last ? "" : ",");
  SSL_shutdown(ssl);
  if (fd >= 0) close(fd);
}

int main(int argc, char** argv) {
  int port = 0;
  SSL_CTX* ctx = client_ctx_from_args(argc, argv, "clear_probe", &port);
  if (ctx == NULL) return 2;
  SSL* ssl = SSL_new(ctx);
  printf("{");
  one_connection(ssl, port, "first", 0);
  printf("\"clear\":%d,", SSL_clear(ssl));
  one_connection(ssl, port, "second", 1);
  printf("}\n");
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}
