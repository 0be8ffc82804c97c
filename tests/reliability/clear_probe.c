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

static int connect_with_retries(int port) {
  for (int attempt = 0; attempt < 100; attempt++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) return fd;
    close(fd);
    usleep(50 * 1000);
  }
  return -1;
}

static void one_connection(SSL *ssl, int port, const char *label, int last) {
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

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc != 3) {
    fprintf(stderr, "usage: clear_probe PORT 1.2|1.3\n");
    return 2;
  }
  const int port = atoi(argv[1]);
  const int version = strcmp(argv[2], "1.3") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  SSL *ssl = SSL_new(ctx);
  printf("{");
  one_connection(ssl, port, "first", 0);
  printf("\"clear\":%d,", SSL_clear(ssl));
  one_connection(ssl, port, "second", 1);
  printf("}\n");
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}
