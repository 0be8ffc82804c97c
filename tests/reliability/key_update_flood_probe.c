/* key_update_flood_probe: a peer sends N TLS 1.3 KeyUpdates in a row, then "hello"; this side
 * reads only once all of it is queued on the socket. OpenSSL 3 takes any number (measured with
 * 200, and over TCP from openssl s_server); BoringSSL stops a flood at the 33rd KeyUpdate without
 * application data in between (SSL_R_TOO_MANY_KEY_UPDATES, an unexpected_message alert to the
 * peer), a limit the shim keeps on its BoringSSL backend (docs/contract.md, "Deliberate
 * differences").
 *
 * The peer is this program run again without LD_PRELOAD and LD_LIBRARY_PATH, so it is always the
 * system's OpenSSL, whatever this side runs on. Both roles (the peer is the server or the client),
 * blocking and non-blocking sockets, N = 32 and 33. Per case it prints the peer's line (what its
 * read after the flood saw) and this side's (what SSL_read answered).
 *
 * usage: key_update_flood_probe CERT KEY
 */
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe_pair.h"

/* A TLS 1.3 context for one side, with nothing but the KeyUpdates after the handshake (no
 * tickets). */
static SSL_CTX* make_ctx(int server, const char* cert, const char* key) {
  SSL_CTX* ctx =
      server ? pair_server_ctx(cert, key, TLS1_3_VERSION) : pair_client_ctx(TLS1_3_VERSION);
  if (ctx != NULL) SSL_CTX_set_num_tickets(ctx, 0);
  return ctx;
}

static const char* queued_reason(void) {
  unsigned long e = ERR_peek_error();
  return e != 0 ? ERR_reason_error_string(e) : "empty";
}

/* The peer: handshakes on `fd`, sends `count` KeyUpdates and "hello", says so on `done_fd`, then
 * reads until this side closes or alerts. */
static int run_peer(int fd, int done_fd, int count, int server, const char* cert, const char* key) {
  SSL_CTX* ctx = make_ctx(server, cert, key);
  SSL* ssl = ctx != NULL ? SSL_new(ctx) : NULL;
  if (ssl == NULL || !SSL_set_fd(ssl, fd) || (server ? SSL_accept(ssl) : SSL_connect(ssl)) != 1) {
    printf("peer: handshake failed: %s\n", queued_reason());
    return 1;
  }
  int sent = 0;
  for (int i = 0; i < count; i++) {
    if (SSL_key_update(ssl, SSL_KEY_UPDATE_NOT_REQUESTED) == 1 && SSL_do_handshake(ssl) == 1) {
      sent++;
    }
  }
  int wrote = SSL_write(ssl, "hello", 5);
  if (write(done_fd, "x", 1) != 1) return 1;
  char buf[16];
  int ret = SSL_read(ssl, buf, sizeof buf);
  printf("peer: %d KeyUpdates sent, SSL_write %d; then SSL_read %d, queue %s\n", sent, wrote, ret,
         queued_reason());
  fflush(stdout);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}

/* One case: this side in `server` role or not, the peer in the other. */
static int run_case(const char* self, const char* cert, const char* key, int count, int server,
                    int nonblocking) {
  int sv[2], done[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 || pipe(done) != 0) return 1;
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    close(sv[0]);
    close(done[0]);
    unsetenv("LD_PRELOAD");
    unsetenv("LD_LIBRARY_PATH");
    char fd_arg[16], done_arg[16], count_arg[16];
    snprintf(fd_arg, sizeof fd_arg, "%d", sv[1]);
    snprintf(done_arg, sizeof done_arg, "%d", done[1]);
    snprintf(count_arg, sizeof count_arg, "%d", count);
    execl(self, self, cert, key, "peer", server ? "client" : "server", fd_arg, done_arg, count_arg,
          (char*)NULL);
    _exit(127);
  }
  close(sv[1]);
  close(done[1]);
  SSL_CTX* ctx = make_ctx(server, cert, key);
  SSL* ssl = ctx != NULL ? SSL_new(ctx) : NULL;
  int ok =
      ssl != NULL && SSL_set_fd(ssl, sv[0]) && (server ? SSL_accept(ssl) : SSL_connect(ssl)) == 1;
  char buf[16];
  /* Everything the peer sends is on the socket before the first read. */
  if (ok) ok = read(done[0], buf, 1) == 1;
  int ret = 0, error = 0;
  const char* reason = "empty";
  if (ok) {
    if (nonblocking) fcntl(sv[0], F_SETFL, O_NONBLOCK);
    for (int waits = 0; waits < 50; waits++) {
      ret = SSL_read(ssl, buf, sizeof buf);
      error = SSL_get_error(ssl, ret);
      if (ret > 0 || error != SSL_ERROR_WANT_READ) break;
      struct pollfd p = {sv[0], POLLIN, 0};
      poll(&p, 1, 100);
    }
    reason = queued_reason();
  }
  if (ssl != NULL && ret > 0) SSL_shutdown(ssl);
  close(sv[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!ok) {
    printf("%d KeyUpdates, this side the %s, %s: the handshake failed\n", count,
           server ? "server" : "client", nonblocking ? "non-blocking" : "blocking");
  } else {
    printf("%d KeyUpdates, this side the %s, %s: SSL_read %d (%.*s), SSL_get_error %d, queue %s\n",
           count, server ? "server" : "client", nonblocking ? "non-blocking" : "blocking", ret,
           ret > 0 ? ret : 0, buf, error, reason);
  }
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(done[0]);
  return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc == 8 && strcmp(argv[3], "peer") == 0) {
    return run_peer(atoi(argv[5]), atoi(argv[6]), atoi(argv[7]), strcmp(argv[4], "server") == 0,
                    argv[1], argv[2]);
  }
  if (argc != 3) {
    fprintf(stderr, "usage: key_update_flood_probe CERT KEY\n");
    return 2;
  }
  /* The peer is this very file, found again by path: argv[0] may be relative. */
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 1;
  self[n] = '\0';
  static const int kCounts[] = {32, 33};
  int failed = 0;
  for (int c = 0; c < 2; c++) {
    for (int server = 0; server < 2; server++) {
      for (int nonblocking = 0; nonblocking < 2; nonblocking++) {
        failed |= run_case(self, argv[1], argv[2], kCounts[c], server, nonblocking);
      }
    }
  }
  return failed;
}
