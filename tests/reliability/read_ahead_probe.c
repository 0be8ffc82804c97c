/* read_ahead_probe: how many times a server's SSL_read reads its transport for a burst of small
 * records, with SSL_CTX_set_read_ahead on and off, and what SSL_has_pending and SSL_get_read_ahead
 * answer meanwhile. A client and a server in one process over a socketpair; the server reads
 * through the program's own BIO_METHOD over its end, which counts the read(2) calls. The client
 * sends 8 records of 100 bytes at once; the server reads 800 bytes. An ordinary OpenSSL program;
 * the test holds its output under the shim against its output natively.
 *
 * usage: read_ahead_probe CERT KEY
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_handshake.h"

static int reads;

static int counting_read(BIO* bio, char* out, int len) {
  int fd = *(int*)BIO_get_data(bio);
  reads++;
  ssize_t n = read(fd, out, (size_t)len);
  BIO_clear_retry_flags(bio);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_read(bio);
  return (int)n;
}

static int fd_write(BIO* bio, const char* in, int len) {
  int fd = *(int*)BIO_get_data(bio);
  ssize_t n = write(fd, in, (size_t)len);
  BIO_clear_retry_flags(bio);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_write(bio);
  return (int)n;
}

static long fd_ctrl(BIO* bio, int cmd, long larg, void* parg) {
  (void)bio, (void)larg, (void)parg;
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO* counting_bio(BIO_METHOD* method, int* fd) {
  BIO* bio = BIO_new(method);
  BIO_set_data(bio, fd);
  BIO_set_init(bio, 1);
  return bio;
}

static void run(SSL_CTX* client_ctx, SSL_CTX* server_ctx, BIO_METHOD* method) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return;
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  SSL* client = SSL_new(client_ctx);
  SSL* server = SSL_new(server_ctx);
  SSL_set_fd(client, fds[0]);
  BIO* bio = counting_bio(method, &fds[1]);
  SSL_set_bio(server, bio, bio);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  printf("    read_ahead: %d\n", SSL_get_read_ahead(server));
  if (!handshake_in_turn(client, server)) {
    printf("    handshake failed\n");
    ERR_clear_error();
  } else {
    char buf[100];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 8; i++) SSL_write(client, buf, sizeof buf);
    reads = 0;
    int got = 0, first = 1;
    char in[1000];
    while (got < 800) {
      int n = SSL_read(server, in, sizeof in);
      if (n <= 0) {
        printf("    SSL_read: %d, error %d\n", n, SSL_get_error(server, n));
        break;
      }
      got += n;
      if (first) printf("    after the first record: has_pending %d\n", SSL_has_pending(server));
      first = 0;
    }
    printf("    read %d bytes with %d reads of the transport; has_pending %d\n", got, reads,
           SSL_has_pending(server));
  }
  SSL_free(client);
  SSL_free(server);
  close(fds[0]);
  close(fds[1]);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: read_ahead_probe CERT KEY\n");
    return 2;
  }
  BIO_METHOD* method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "counting fd");
  BIO_meth_set_read(method, counting_read);
  BIO_meth_set_write(method, fd_write);
  BIO_meth_set_ctrl(method, fd_ctrl);
  const int versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    for (int ahead = 0; ahead < 2; ahead++) {
      SSL_CTX *client_ctx = NULL, *server_ctx = NULL;
      if (!make_contexts(argv[1], argv[2], &client_ctx, &server_ctx)) return 1;
      SSL_CTX_set_min_proto_version(client_ctx, versions[v]);
      SSL_CTX_set_max_proto_version(client_ctx, versions[v]);
      SSL_CTX_set_num_tickets(server_ctx, 0);
      SSL_CTX_set_read_ahead(server_ctx, ahead);
      printf("TLS %s, read-ahead %s\n", v == 0 ? "1.2" : "1.3", ahead ? "on" : "off");
      run(client_ctx, server_ctx, method);
      SSL_CTX_free(client_ctx);
      SSL_CTX_free(server_ctx);
    }
  }
  BIO_meth_free(method);
  return 0;
}
