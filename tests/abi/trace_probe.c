/* A program linked only against the system's libssl that makes a client connection and writes on
 * it before its peer has answered: SSL_write must start the handshake and ask to be called again.
 * It prints what it saw, so the trace test can hold the trace lines against the real answers. */
#include <fcntl.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 2;
  if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0) return 2;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return 3;
  SSL* ssl = SSL_new(ctx);
  if (ssl == NULL || SSL_set_fd(ssl, fds[0]) != 1) return 3;
  SSL_set_connect_state(ssl);
  int ret = SSL_write(ssl, "hello", 5);
  int error = SSL_get_error(ssl, ret);
  printf("SSL_write=%d SSL_get_error=%d\n", ret, error);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fds[0]);
  close(fds[1]);
  return ret == -1 && error == SSL_ERROR_WANT_READ ? 0 : 1;
}
