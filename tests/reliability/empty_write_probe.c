/* empty_write_probe: SSL_write(ssl, buf, 0) and SSL_write_ex(ssl, buf, 0, &n) before the
 * handshake. OpenSSL 3 runs the handshake first, as for any write, and answers the empty write
 * once it is done: on a blocking socket the handshake completes inside the call, which returns 0
 * with SSL_ERROR_SYSCALL; on a non-blocking BIO pair each call returns -1 with SSL_ERROR_WANT_READ
 * until the peer has answered. (openssl s_client starts its handshake with exactly such a write.)
 * Both roles, TLS 1.2 and 1.3. On the socket the peer is a child process; on the BIO pair it is
 * stepped in this process, so every answer comes at the same protocol point in any library.
 * Prints one line per distinct answer; the test holds the output under the shim against native.
 *
 * usage: empty_write_probe CERT KEY
 */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static SSL_CTX* make_ctx(int server, int version, const char* cert, const char* key) {
  SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (ctx == NULL) return NULL;
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  if (server && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
                 SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

/* "ret/SSL_get_error/queue/finished" for one call, the queue emptied. */
static void answer(char* out, size_t size, SSL* ssl, const char* call, int ret) {
  int error = SSL_get_error(ssl, ret);
  unsigned long queued = ERR_peek_error();
  snprintf(out, size, "%s: %d, SSL_get_error %d, queue %s, init finished %d", call, ret, error,
           queued != 0 ? ERR_reason_error_string(queued) : "empty", SSL_is_init_finished(ssl));
  ERR_clear_error();
}

/* Prints `line` unless it repeats the one before. */
static void print_distinct(const char* line, char* previous, size_t size) {
  if (strcmp(line, previous) != 0) printf("  %s\n", line);
  snprintf(previous, size, "%s", line);
}

static void on_bio_pair(SSL* ssl, SSL* peer) {
  char line[256], previous[256] = "";
  for (int step = 0; step < 10 && !SSL_is_init_finished(ssl); step++) {
    answer(line, sizeof line, ssl, "SSL_write(0)", SSL_write(ssl, "", 0));
    print_distinct(line, previous, sizeof previous);
    SSL_do_handshake(peer);
    ERR_clear_error();
  }
  size_t written = 7;
  answer(line, sizeof line, ssl, "SSL_write_ex(0)", SSL_write_ex(ssl, "", 0, &written));
  printf("  %s, written %zu\n", line, written);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: empty_write_probe CERT KEY\n");
    return 2;
  }
  const int versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    for (int server = 0; server < 2; server++) {
      SSL_CTX* ctx = make_ctx(server, versions[v], argv[1], argv[2]);
      SSL_CTX* peer_ctx = make_ctx(!server, versions[v], argv[1], argv[2]);
      if (ctx == NULL || peer_ctx == NULL) {
        fprintf(stderr, "cannot set up the contexts\n");
        return 1;
      }
      const char* name = v == 0 ? "TLS 1.2" : "TLS 1.3";
      const char* role = server ? "server" : "client";

      /* Non-blocking BIO pair. Before a server's first write the client sends its hello. */
      SSL *ssl = SSL_new(ctx), *peer = SSL_new(peer_ctx);
      BIO *bio = NULL, *peer_bio = NULL;
      if (ssl == NULL || peer == NULL || !BIO_new_bio_pair(&bio, 0, &peer_bio, 0)) return 1;
      SSL_set_bio(ssl, bio, bio);
      SSL_set_bio(peer, peer_bio, peer_bio);
      if (server) {
        SSL_set_accept_state(ssl);
        SSL_set_connect_state(peer);
        SSL_do_handshake(peer);
        ERR_clear_error();
      } else {
        SSL_set_connect_state(ssl);
        SSL_set_accept_state(peer);
      }
      printf("%s %s, BIO pair\n", name, role);
      on_bio_pair(ssl, peer);
      SSL_free(ssl);
      SSL_free(peer);

      /* Blocking socket, the peer in a child. */
      int fds[2];
      if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 1;
      fflush(stdout);
      pid_t child = fork();
      if (child == 0) {
        close(fds[0]);
        SSL* p = SSL_new(peer_ctx);
        SSL_set_fd(p, fds[1]);
        char buf[16];
        if ((server ? SSL_connect(p) : SSL_accept(p)) == 1) SSL_read(p, buf, sizeof buf);
        _exit(0);
      }
      close(fds[1]);
      ssl = SSL_new(ctx);
      SSL_set_fd(ssl, fds[0]);
      if (server) {
        SSL_set_accept_state(ssl);
      } else {
        SSL_set_connect_state(ssl);
      }
      char line[256];
      printf("%s %s, blocking socket\n", name, role);
      errno = 0;
      answer(line, sizeof line, ssl, "SSL_write(0)", SSL_write(ssl, "", 0));
      printf("  %s, errno %d\n", line, errno);
      SSL_shutdown(ssl);
      SSL_free(ssl);
      close(fds[0]);
      waitpid(child, NULL, 0);
      SSL_CTX_free(ctx);
      SSL_CTX_free(peer_ctx);
    }
  }
  return 0;
}
