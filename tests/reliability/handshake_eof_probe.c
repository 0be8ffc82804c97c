/* handshake_eof_probe: what each call answers when the transport ends during the handshake.
 * An ordinary OpenSSL program. For SSL_do_handshake, SSL_write and SSL_read as the first call,
 * client and server, with and without SSL_OP_IGNORE_UNEXPECTED_EOF, over a blocking and a
 * non-blocking socket whose other end stopped writing, a BIO pair whose other half shut down its
 * writing side, and a memory BIO at its end, it prints one line: the return value,
 * SSL_get_error, SSL_get_shutdown and the first queued error. The reliability test compares the
 * lines with native OpenSSL's.
 */
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
static void run(const char* transport, int ignore_eof, int server, const char* call) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  if (ignore_eof) SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL* ssl = SSL_new(ctx);
  int fds[2] = {-1, -1};
  BIO* other = NULL;
  if (strcmp(transport, "memeof") == 0) {
    BIO* r = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(r, 0);
    SSL_set_bio(ssl, r, BIO_new(BIO_s_mem()));
  } else if (strcmp(transport, "biopair") == 0) {
    BIO *a, *b;
    BIO_new_bio_pair(&a, 0, &b, 0);
    BIO_shutdown_wr(b); /* our half reads the end */
    SSL_set_bio(ssl, a, a);
    other = b;
  } else {
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    shutdown(fds[1], SHUT_WR);
    if (strcmp(transport, "nonblocking") == 0) fcntl(fds[0], F_SETFL, O_NONBLOCK);
    SSL_set_fd(ssl, fds[0]);
  }
  ERR_clear_error();
  int ret;
  char b[8] = "abc";
  if (server)
    SSL_set_accept_state(ssl);
  else
    SSL_set_connect_state(ssl);
  if (strcmp(call, "write") == 0)
    ret = SSL_write(ssl, b, 3);
  else if (strcmp(call, "read") == 0)
    ret = SSL_read(ssl, b, 3);
  else
    ret = SSL_do_handshake(ssl);
  int err = SSL_get_error(ssl, ret);
  unsigned long e = ERR_peek_error();
  char buf[200] = "";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  printf("%s %s %s ignore_eof=%d ret=%d err=%d shutdown=%d queue=%s\n", call,
         server ? "accept" : "connect", transport, ignore_eof, ret, err, SSL_get_shutdown(ssl),
         buf);
  SSL_free(ssl);
  BIO_free(other);
  SSL_CTX_free(ctx);
  if (fds[0] >= 0) {
    close(fds[0]);
    close(fds[1]);
  }
}
#include <signal.h>
int main(void) {
  /* SSL_write's ClientHello may meet a closed socket; the answer, not a signal, is measured. */
  signal(SIGPIPE, SIG_IGN);
  const char* t[] = {"blocking", "nonblocking", "biopair", "memeof"};
  for (int s = 0; s < 2; s++)
    for (int i = 0; i < 4; i++)
      for (int ig = 0; ig < 2; ig++)
        for (int c = 0; c < 3; c++)
          run(t[i], ig, s, (const char*[]){"handshake", "write", "read"}[c]);
  return 0;
}
