/* dtls_api_probe: OpenSSL 3's DTLS API as a program sees it, printed one fact a line, so the same
 * binary run natively and through the shim (dtls_api_compare.sh) must print the same lines. A DTLS
 * client and server in one process, over a non-blocking socketpair(AF_UNIX, SOCK_DGRAM) with
 * socket BIOs, as socat sets them up (SSL_set_fd). Exit 0 unless a step could not run at all. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int MakeIdentity(EVP_PKEY** key, X509** cert) {
  *key = EVP_EC_gen("P-256");
  *cert = X509_new();
  if (*key == NULL || *cert == NULL) return 0;
  X509_NAME* name = X509_get_subject_name(*cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char*)"dtls.test", -1, -1,
                             0);
  X509_set_issuer_name(*cert, name);
  ASN1_INTEGER_set(X509_get_serialNumber(*cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(*cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(*cert), 3600);
  X509_set_pubkey(*cert, *key);
  return X509_sign(*cert, *key, EVP_sha256()) > 0;
}

static int Handshake(SSL* client, SSL* server) {
  for (int i = 0; i < 200; i++) {
    int c = SSL_do_handshake(client);
    int s = SSL_do_handshake(server);
    if (c == 1 && s == 1) return 1;
    int ce = SSL_get_error(client, c), se = SSL_get_error(server, s);
    if ((c != 1 && ce != SSL_ERROR_WANT_READ && ce != SSL_ERROR_WANT_WRITE) ||
        (s != 1 && se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE)) {
      return 0;
    }
  }
  return 0;
}

static double Now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A blocking client over a real BIO_s_datagram on a connected UDP socket, against a peer that
 * drops the first ClientHello, takes the resent one, then closes its socket. OpenSSL's dgram BIO
 * read times out at the handshake timer and the flight is resent from inside SSL_do_handshake; the
 * third ClientHello meets the closed port, and the read fails with ECONNREFUSED. */
static int Retransmission(void) {
  int peer = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (peer < 0 || bind(peer, (struct sockaddr*)&addr, sizeof addr) != 0 ||
      getsockname(peer, (struct sockaddr*)&addr, &len) != 0) {
    return 0;
  }
  int report[2];
  if (pipe(report) != 0) return 0;
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) { /* the peer: no TLS at all */
    unsigned char first[4096], second[4096];
    ssize_t n1 = recv(peer, first, sizeof first, 0);
    double t1 = Now();
    ssize_t n2 = recv(peer, second, sizeof second, 0);
    double waited = Now() - t1;
    char line[200];
    int same = n1 > 13 && n1 == n2 && memcmp(first + 13, second + 13, (size_t)n1 - 13) == 0;
    int n =
        snprintf(line, sizeof line, "retransmission: resent_after_0.8_to_1.5s=%d same_message=%d\n",
                 waited > 0.8 && waited < 1.5, same);
    if (write(report[1], line, (size_t)n) < 0) _exit(1);
    _exit(0);
  }
  close(report[1]);
  close(peer);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) return 0;
  BIO* bio = BIO_new_dgram(fd, BIO_NOCLOSE);
  BIO_ADDR* peer_addr = BIO_ADDR_new();
  BIO_ADDR_rawmake(peer_addr, AF_INET, &addr.sin_addr, sizeof addr.sin_addr, addr.sin_port);
  BIO_ctrl_set_connected(bio, peer_addr);
  SSL_CTX* ctx = SSL_CTX_new(DTLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_bio(ssl, bio, bio);
  SSL_set_connect_state(ssl);
  double start = Now();
  int ret = SSL_do_handshake(ssl);
  int error = SSL_get_error(ssl, ret);
  double took = Now() - start;
  char line[200] = "";
  ssize_t n = read(report[0], line, sizeof line - 1);
  line[n > 0 ? n : 0] = 0;
  waitpid(child, NULL, 0);
  printf("%s", line);
  printf("retransmission: handshake ret=%d error=%d ended_after_2.5_to_4.5s=%d\n", ret, error,
         took > 2.5 && took < 4.5);
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  BIO_ADDR_free(peer_addr);
  close(fd);
  close(report[0]);
  return 1;
}

/* A write larger than a record before the handshake: OpenSSL runs the handshake first, then
 * refuses the write (SSL_R_DTLS_MESSAGE_TOO_BIG), and the connection goes on. */
static int BigWriteBeforeHandshake(EVP_PKEY* key, X509* cert) {
  SSL_CTX* client_ctx = SSL_CTX_new(DTLS_client_method());
  SSL_CTX* server_ctx = SSL_CTX_new(DTLS_server_method());
  SSL_CTX_use_certificate(server_ctx, cert);
  SSL_CTX_use_PrivateKey(server_ctx, key);
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return 0;
  for (int i = 0; i < 2; i++) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  SSL* client = SSL_new(client_ctx);
  SSL* server = SSL_new(server_ctx);
  SSL_set_fd(client, fds[0]);
  SSL_set_fd(server, fds[1]);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  static char data[16385];
  int w = -1, error = 0;
  for (int i = 0; i < 200; i++) {
    w = SSL_write(client, data, sizeof data);
    error = SSL_get_error(client, w);
    if (w > 0 || (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)) break;
    SSL_do_handshake(server);
  }
  unsigned long queued = ERR_peek_error();
  printf("big write before the handshake: ret=%d error=%d too_big=%d init_finished=%d\n", w, error,
         ERR_GET_REASON(queued) == SSL_R_DTLS_MESSAGE_TOO_BIG, SSL_is_init_finished(client));
  ERR_clear_error();
  char got[16];
  w = SSL_write(client, "after", 5);
  int r = -1;
  for (int i = 0; i < 50 && r <= 0; i++) r = SSL_read(server, got, sizeof got);
  printf("big write before the handshake: then write=%d read=%d\n", w, r);
  ERR_clear_error();
  SSL_free(client);
  SSL_free(server);
  SSL_CTX_free(client_ctx);
  SSL_CTX_free(server_ctx);
  close(fds[0]);
  close(fds[1]);
  return 1;
}

/* A non-blocking client on a datagram socketpair whose first flight is lost (read and dropped
 * here): once the handshake timer has run out, the next SSL_do_handshake resends it, with no
 * DTLSv1_handle_timeout from the program. OpenSSL checks its timer on every DTLS read. */
static int RetransmissionOnTheNextCall(void) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return 0;
  for (int i = 0; i < 2; i++) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  SSL_CTX* ctx = SSL_CTX_new(DTLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fds[0]);
  SSL_set_connect_state(ssl);
  int ret = SSL_do_handshake(ssl);
  int first_error = SSL_get_error(ssl, ret);
  unsigned char dropped[4096];
  int first = 0;
  while (recv(fds[1], dropped, sizeof dropped, 0) > 0) first++;
  ret = SSL_do_handshake(ssl); /* before the timer: nothing to resend */
  int early = 0;
  while (recv(fds[1], dropped, sizeof dropped, 0) > 0) early++;
  usleep(1200 * 1000);
  ret = SSL_do_handshake(ssl);
  int error = SSL_get_error(ssl, ret);
  int resent = 0;
  while (recv(fds[1], dropped, sizeof dropped, 0) > 0) resent++;
  printf(
      "retransmission on the next call: first_error=%d first=%d before_timer=%d "
      "after_timer=%d error=%d\n",
      first_error, first > 0, early, resent > 0, error);
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fds[0]);
  close(fds[1]);
  return 1;
}

int main(void) {
  EVP_PKEY* key;
  X509* cert;
  int fds[2];
  if (!MakeIdentity(&key, &cert) || socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return 2;
  for (int i = 0; i < 2; i++) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);

  SSL_CTX* tls_ctx = SSL_CTX_new(TLS_method());
  SSL* tls = SSL_new(tls_ctx);
  struct timeval left = {0, 0};
  printf("tls: is_dtls=%d link_min_mtu=%ld set_mtu=%ld get_timeout=%ld\n", SSL_is_dtls(tls),
         DTLS_get_link_min_mtu(tls), SSL_set_mtu(tls, 1000), DTLSv1_get_timeout(tls, &left));

  SSL_CTX* client_ctx = SSL_CTX_new(DTLS_client_method());
  SSL_CTX* server_ctx = SSL_CTX_new(DTLS_server_method());
  if (client_ctx == NULL || server_ctx == NULL) return 2;
  SSL_CTX_use_certificate(server_ctx, cert);
  SSL_CTX_use_PrivateKey(server_ctx, key);
  /* One call a statement: the order of a printf's arguments is unspecified. */
  long min = SSL_CTX_get_min_proto_version(client_ctx);
  long max = SSL_CTX_get_max_proto_version(client_ctx);
  int set_max = SSL_CTX_set_max_proto_version(client_ctx, DTLS1_2_VERSION);
  int set_min = SSL_CTX_set_min_proto_version(client_ctx, DTLS1_VERSION);
  printf("ctx: min=%ld max=%ld set_max_dtls12=%d set_min_dtls1=%d now=0x%lx..0x%lx\n", min, max,
         set_max, set_min, SSL_CTX_get_min_proto_version(client_ctx),
         SSL_CTX_get_max_proto_version(client_ctx));
  /* With SSL_OP_NO_QUERY_MTU OpenSSL keeps the MTU the program sets. */
  SSL_CTX_set_options(client_ctx, SSL_OP_NO_QUERY_MTU);
  SSL* client = SSL_new(client_ctx);
  SSL* server = SSL_new(server_ctx);
  SSL_set_fd(client, fds[0]);
  SSL_set_fd(server, fds[1]);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  printf("dtls: is_dtls=%d link_min_mtu=%ld\n", SSL_is_dtls(client), DTLS_get_link_min_mtu(client));
  printf("dtls: set_mtu_100=%ld\n", SSL_set_mtu(client, 100));
  printf("dtls: set_link_mtu_255=%ld\n", DTLS_set_link_mtu(client, 255));
  printf("dtls: set_link_mtu_1028=%ld\n", DTLS_set_link_mtu(client, 1028));
  printf("dtls: set_mtu=%ld\n", SSL_set_mtu(client, 1000));
  printf("before: get_timeout=%ld\n", DTLSv1_get_timeout(client, &left));
  printf("before: data_mtu=%zu\n", DTLS_get_data_mtu(client));

  int c = SSL_do_handshake(client);
  int c_error = SSL_get_error(client, c);
  long timer = DTLSv1_get_timeout(client, &left);
  int within = left.tv_sec * 1000000L + left.tv_usec <= 1000000L;
  printf("first flight: ret=%d error=%d timer=%ld within_1s=%d handle_timeout=%ld\n", c, c_error,
         timer, within, DTLSv1_handle_timeout(client));
  if (!Handshake(client, server)) {
    printf("handshake failed\n");
    ERR_print_errors_fp(stdout);
    return 1;
  }
  printf("handshake: version=%s number=0x%x server_version=%s\n", SSL_get_version(client),
         SSL_version(client), SSL_get_version(server));
  printf("handshake: timer_after=%ld\n", DTLSv1_get_timeout(client, &left));
  printf("handshake: data_mtu=%zu\n", DTLS_get_data_mtu(client));

  static char data[20000], got[20000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (char)(i * 13);
  int w = SSL_write(client, data, 16384);
  int r = SSL_read(server, got, sizeof got);
  printf("write 16384: ret=%d read=%d same=%d\n", w, r, r == 16384 && !memcmp(data, got, 16384));
  ERR_clear_error();
  w = SSL_write(client, data, 16385);
  int error = SSL_get_error(client, w);
  unsigned long queued = ERR_peek_error();
  printf("write 16385: ret=%d error=%d too_big=%d\n", w, error,
         ERR_GET_REASON(queued) == SSL_R_DTLS_MESSAGE_TOO_BIG);
  ERR_clear_error();
  w = SSL_write(client, "after", 5);
  r = SSL_read(server, got, sizeof got);
  printf("write after: ret=%d read=%d\n", w, r);
  w = SSL_write(server, data, 3000);
  r = SSL_read(client, got, 100); /* a short read of a datagram's record keeps the rest */
  int r2 = SSL_read(client, got + 100, sizeof got - 100);
  printf("short read: write=%d first=%d rest=%d same=%d\n", w, r, r2,
         r + r2 == 3000 && !memcmp(data, got, 3000));
  printf("shutdown: %d\n", SSL_shutdown(client));
  if (!BigWriteBeforeHandshake(key, cert)) return 2;
  if (!Retransmission() || !RetransmissionOnTheNextCall()) return 2;
  SSL_free(client);
  SSL_free(server);
  SSL_free(tls);
  SSL_CTX_free(client_ctx);
  SSL_CTX_free(server_ctx);
  SSL_CTX_free(tls_ctx);
  X509_free(cert);
  EVP_PKEY_free(key);
  close(fds[0]);
  close(fds[1]);
  return 0;
}
