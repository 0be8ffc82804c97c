/* auto_retry_probe: SSL_read on a blocking socket with SSL_MODE_AUTO_RETRY off, as openssl
 * s_client runs. A TLS 1.3 server sends its session tickets after the handshake, each in its own
 * record; OpenSSL 3 answers each SSL_read that processed one with -1 / SSL_ERROR_WANT_READ (the
 * caller then waits on the socket), and only the next returns the data. A library that reads on
 * past the tickets blocks there instead: s_client could then never send what it has to. Connects
 * to openssl s_server -www on 127.0.0.1:PORT (retrying while it starts), sends a request, and
 * prints every SSL_read answer up to the first data; then the same with AUTO_RETRY on.
 *
 * usage: auto_retry_probe PORT 1.2|1.3
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

static void one_connection(SSL_CTX* ctx, int port, int auto_retry) {
  if (auto_retry) {
    SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
  } else {
    SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
  }
  printf("AUTO_RETRY %s\n", auto_retry ? "on" : "off");
  int fd = connect_with_retries(port);
  SSL* ssl = SSL_new(ctx);
  if (fd < 0 || ssl == NULL || SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1) {
    printf("  connect failed\n");
    ERR_print_errors_fp(stderr);
    return;
  }
  static const char kRequest[] = "GET / HTTP/1.0\r\n\r\n";
  printf("  write: %d\n", SSL_write(ssl, kRequest, (int)sizeof kRequest - 1));
  char buf[64];
  for (int i = 0; i < 8; i++) {
    int ret = SSL_read(ssl, buf, sizeof buf);
    int error = SSL_get_error(ssl, ret);
    ERR_clear_error();
    if (ret > 0) {
      printf("  read: data\n");
      break;
    }
    printf("  read: %d, SSL_get_error %d\n", ret, error);
    if (error != SSL_ERROR_WANT_READ) break;
  }
  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(fd);
}

int main(int argc, char** argv) {
  int port = 0;
  SSL_CTX* ctx = client_ctx_from_args(argc, argv, "auto_retry_probe", &port);
  if (ctx == NULL) return 2;
  one_connection(ctx, port, 0);
  one_connection(ctx, port, 1);
  SSL_CTX_free(ctx);
  return 0;
}
