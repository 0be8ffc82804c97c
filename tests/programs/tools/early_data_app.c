/* TLS 1.3 early data through whatever libssl.so.3 the process has (native OpenSSL, the shim
 * preloaded, or the shim standing in): a server and a client in one process over a socketpair,
 * both non-blocking, each step run in an order that leaves the bytes a step needs already in the
 * socket. Exits 0 when every check holds, 1 with "FAIL ..." lines otherwise; prints facts as
 * "name=value" lines for the driver (run_early_data_app.sh). Plain OpenSSL 3 API only. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(cond, ...)                  \
  do {                                    \
    if (!(cond)) {                        \
      printf("FAIL line %d: ", __LINE__); \
      printf(__VA_ARGS__);                \
      printf("\n");                       \
      ERR_print_errors_fp(stdout);        \
      failures++;                         \
    }                                     \
  } while (0)

static EVP_PKEY* key;
static X509* cert;

static void make_credentials(void) {
  key = EVP_EC_gen("P-256");
  cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char*)"localhost", -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509_set_pubkey(cert, key);
  X509_sign(cert, key, EVP_sha256());
}

static SSL_CTX* server_ctx(uint32_t max_early_data) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_use_certificate(ctx, cert);
  SSL_CTX_use_PrivateKey(ctx, key);
  SSL_CTX_set_max_early_data(ctx, max_early_data);
  return ctx;
}

static SSL_CTX* client_ctx(void) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  return ctx;
}

/* A connected client/server pair over a non-blocking socketpair. */
static void make_pair(SSL_CTX* cctx, SSL_CTX* sctx, SSL** client, SSL** server) {
  int fds[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  *client = SSL_new(cctx);
  *server = SSL_new(sctx);
  SSL_set_fd(*client, fds[0]);
  SSL_set_fd(*server, fds[1]);
  SSL_set_connect_state(*client);
  SSL_set_accept_state(*server);
}

static void free_pair(SSL* client, SSL* server) {
  int cfd = SSL_get_fd(client), sfd = SSL_get_fd(server);
  SSL_free(client);
  SSL_free(server);
  close(cfd);
  close(sfd);
}

static int is_want(SSL* ssl, int ret) {
  int e = SSL_get_error(ssl, ret);
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

/* Both handshakes to the end, taking turns. */
static int handshake_both(SSL* client, SSL* server) {
  int cdone = 0, sdone = 0;
  for (int i = 0; i < 100 && !(cdone && sdone); i++) {
    if (!cdone) {
      int r = SSL_do_handshake(client);
      if (r == 1)
        cdone = 1;
      else if (!is_want(client, r))
        return 0;
    }
    if (!sdone) {
      int r = SSL_do_handshake(server);
      if (r == 1)
        sdone = 1;
      else if (!is_want(server, r))
        return 0;
    }
  }
  return cdone && sdone;
}

/* Reads what is there (after `tries` attempts that want more, gives up). */
static int read_some(SSL* ssl, char* buf, int len) {
  for (int i = 0; i < 50; i++) {
    int n = SSL_read(ssl, buf, len);
    if (n > 0) return n;
    if (!is_want(ssl, n)) return n;
    usleep(1000);
  }
  return -1;
}

/* A session with a TLS 1.3 ticket from `sctx`. */
static SSL_SESSION* ticket_from(SSL_CTX* cctx, SSL_CTX* sctx) {
  SSL *client, *server;
  make_pair(cctx, sctx, &client, &server);
  CHECK(handshake_both(client, server), "first handshake");
  char buf[16];
  CHECK(SSL_write(server, "t", 1) == 1, "server write");
  CHECK(read_some(client, buf, sizeof(buf)) == 1, "client read (takes the tickets)");
  SSL_SESSION* session = SSL_get1_session(client);
  /* OpenSSL drops a session whose connection ends without close_notify. */
  SSL_shutdown(client);
  SSL_shutdown(server);
  free_pair(client, server);
  return session;
}

/* Accepted early data, 1-RTT data in the same burst as EndOfEarlyData, half-RTT data. */
static void accepted_case(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session) {
  static const char kEarly[] = "early-request", kOneRtt[] = "one-rtt-data", kHalf[] = "half-rtt";
  SSL *client, *server;
  make_pair(cctx, sctx, &client, &server);
  SSL_set_session(client, session);
  size_t written = 0, readbytes = 0;
  int w = SSL_write_early_data(client, kEarly, strlen(kEarly), &written);
  CHECK(w == 1 && written == strlen(kEarly), "SSL_write_early_data (%d, error %d)", w,
        SSL_get_error(client, w));
  char buf[256];
  int r = SSL_read_early_data(server, buf, sizeof(buf), &readbytes);
  CHECK(r == SSL_READ_EARLY_DATA_SUCCESS && readbytes == strlen(kEarly) &&
            memcmp(buf, kEarly, readbytes) == 0,
        "server reads the early data (r=%d, %zu bytes)", r, readbytes);
  CHECK(SSL_get_early_data_status(server) == SSL_EARLY_DATA_ACCEPTED, "server status ACCEPTED");
  CHECK(!SSL_is_init_finished(server), "server: handshake not finished during early data");
  CHECK(!SSL_in_init(server),
        "server: out of init while it reads early data (SSL_accept returned)");
  CHECK(
      SSL_write_early_data(server, kHalf, strlen(kHalf), &written) == 1 && written == strlen(kHalf),
      "server half-RTT write");
  /* The client finishes (EndOfEarlyData, Finished) and sends 1-RTT data before the server reads
   * any of it: all three arrive in one burst. */
  int hs = 0;
  for (int i = 0; i < 50 && hs != 1; i++) {
    hs = SSL_do_handshake(client);
    if (hs != 1 && !is_want(client, hs)) break;
  }
  CHECK(hs == 1, "client handshake");
  CHECK(SSL_get_early_data_status(client) == SSL_EARLY_DATA_ACCEPTED, "client status ACCEPTED");
  CHECK(SSL_write(client, kOneRtt, strlen(kOneRtt)) == (int)strlen(kOneRtt), "client 1-RTT write");
  r = SSL_read_early_data(server, buf, sizeof(buf), &readbytes);
  CHECK(r == SSL_READ_EARLY_DATA_FINISH && readbytes == 0,
        "FINISH at EndOfEarlyData, no 1-RTT data as early data (r=%d, %zu bytes: %.*s)", r,
        readbytes, (int)readbytes, buf);
  r = SSL_read_early_data(server, buf, sizeof(buf), &readbytes);
  CHECK(r == SSL_READ_EARLY_DATA_ERROR, "SSL_read_early_data after FINISH fails");
  ERR_clear_error();
  int n = read_some(server, buf, sizeof(buf));
  CHECK(n == (int)strlen(kOneRtt) && memcmp(buf, kOneRtt, n) == 0, "server reads the 1-RTT data");
  CHECK(SSL_is_init_finished(server), "server handshake finished");
  n = read_some(client, buf, sizeof(buf));
  CHECK(n == (int)strlen(kHalf) && memcmp(buf, kHalf, n) == 0, "client reads half-RTT data");
  CHECK(SSL_session_reused(server), "resumed");
  /* SSL_sendfile: no kernel TLS on this connection's write BIO, so OpenSSL's refusal. */
  printf("ktls_send=%ld\n", (long)BIO_get_ktls_send(SSL_get_wbio(server)));
  ERR_clear_error();
  long sent = (long)SSL_sendfile(server, 0, 0, 1, 0);
  unsigned long err = ERR_peek_error();
  CHECK(sent == -1 && ERR_GET_REASON(err) == SSL_R_UNINITIALIZED,
        "SSL_sendfile without kTLS: -1, SSL_R_UNINITIALIZED (got %ld, reason %d)", sent,
        ERR_GET_REASON(err));
  CHECK(SSL_get_error(server, -1) == SSL_ERROR_SSL, "SSL_sendfile: SSL_ERROR_SSL");
  ERR_clear_error();
  free_pair(client, server);
}

/* Early data offered and rejected: the server's SSL_read_early_data says FINISH without handing
 * out any of it, both sides say REJECTED, the client's handshake just goes on. */
static void rejected_case(const char* label, SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session,
                          int server_max_zero) {
  static const char kEarly[] = "early-rejected", kAgain[] = "sent-again";
  SSL *client, *server;
  make_pair(cctx, sctx, &client, &server);
  if (server_max_zero) SSL_set_max_early_data(server, 0);
  SSL_set_session(client, session);
  size_t written = 0, readbytes = 0;
  CHECK(SSL_write_early_data(client, kEarly, strlen(kEarly), &written) == 1,
        "%s: SSL_write_early_data", label);
  char buf[256];
  int r = SSL_READ_EARLY_DATA_ERROR;
  for (int i = 0; i < 50 && r == SSL_READ_EARLY_DATA_ERROR; i++) {
    r = SSL_read_early_data(server, buf, sizeof(buf), &readbytes);
    if (r == SSL_READ_EARLY_DATA_ERROR) {
      if (!is_want(server, 0)) break;
      int hs = SSL_do_handshake(client); /* the client may have to move for the server */
      if (hs != 1 && !is_want(client, hs)) break;
    }
  }
  CHECK(r == SSL_READ_EARLY_DATA_FINISH && readbytes == 0, "%s: FINISH, nothing read (r=%d)", label,
        r);
  CHECK(SSL_get_early_data_status(server) == SSL_EARLY_DATA_REJECTED, "%s: server REJECTED (%d)",
        label, SSL_get_early_data_status(server));
  CHECK(handshake_both(client, server), "%s: handshake completes", label);
  CHECK(SSL_get_early_data_status(client) == SSL_EARLY_DATA_REJECTED, "%s: client REJECTED (%d)",
        label, SSL_get_early_data_status(client));
  CHECK(SSL_write(client, kAgain, strlen(kAgain)) == (int)strlen(kAgain), "%s: resend", label);
  int n = read_some(server, buf, sizeof(buf));
  CHECK(n == (int)strlen(kAgain) && memcmp(buf, kAgain, n) == 0,
        "%s: the server reads only the data sent again (%d: %.*s)", label, n, n > 0 ? n : 0, buf);
  free_pair(client, server);
}

/* A pair resuming `session` on which the client has sent an early request ("req") and the server
 * has read it as early data: where nginx stands when it answers a request made in early data.
 * `label` names the case in the checks' messages. */
static void early_request_pair(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session,
                               const char* label, SSL** client, SSL** server) {
  make_pair(cctx, sctx, client, server);
  SSL_set_session(*client, session);
  size_t written = 0, readbytes = 0;
  char buf[64];
  CHECK(SSL_write_early_data(*client, "req", 3, &written) == 1, "%s: write early", label);
  int r = SSL_read_early_data(*server, buf, sizeof(buf), &readbytes);
  CHECK(r == SSL_READ_EARLY_DATA_SUCCESS && readbytes == 3, "%s: early data read", label);
}

/* The server shuts down while it reads early data (nginx after answering an early request):
 * the client gets a close_notify. */
static void shutdown_case(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session) {
  SSL *client, *server;
  early_request_pair(cctx, sctx, session, "shutdown", &client, &server);
  char buf[64];
  int hs = 0;
  for (int i = 0; i < 50 && hs != 1; i++) {
    hs = SSL_do_handshake(client);
    if (hs != 1 && !is_want(client, hs)) break;
  }
  CHECK(hs == 1, "shutdown: client handshake");
  CHECK(!SSL_in_init(server), "shutdown: server out of init");
  SSL_set_shutdown(server, SSL_RECEIVED_SHUTDOWN); /* as nginx: no wait for the peer's */
  int s = -1;
  for (int i = 0; i < 50; i++) {
    s = SSL_shutdown(server);
    if (s >= 0 || !is_want(server, s)) break;
    usleep(1000);
  }
  CHECK(s == 1, "shutdown: SSL_shutdown done (%d)", s);
  int n = 1;
  for (int i = 0; i < 50; i++) {
    n = SSL_read(client, buf, sizeof(buf));
    if (n <= 0 && !is_want(client, n)) break;
    usleep(1000);
  }
  CHECK(n == 0 && SSL_get_error(client, n) == SSL_ERROR_ZERO_RETURN,
        "shutdown: the client got close_notify (%d, error %d)", n, SSL_get_error(client, n));
  ERR_clear_error();
  free_pair(client, server);
}

/* As shutdown_case, but the server shuts down before the client's Finished has come (nginx
 * answering a request made in early data and closing at once): OpenSSL sends close_notify at
 * once, in one SSL_shutdown call that does not wait for the client. */
static void shutdown_before_finished_case(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session) {
  SSL *client, *server;
  early_request_pair(cctx, sctx, session, "early shutdown", &client, &server);
  size_t written = 0;
  char buf[64];
  CHECK(SSL_write_early_data(server, "resp", 4, &written) == 1, "early shutdown: half-RTT write");
  CHECK(!SSL_in_init(server), "early shutdown: server out of init");
  SSL_set_shutdown(server, SSL_RECEIVED_SHUTDOWN); /* as nginx: no wait for the peer's */
  int s = SSL_shutdown(server);
  CHECK(s == 1,
        "early shutdown: one SSL_shutdown call sends close_notify and is done (%d, error %d)", s,
        SSL_get_error(server, s));
  ERR_clear_error();
  int n = 1, got = 0;
  for (int i = 0; i < 100; i++) {
    n = SSL_read(client, buf + got, (int)sizeof(buf) - got);
    if (n > 0) {
      got += n;
      continue;
    }
    if (!is_want(client, n)) break;
    usleep(1000);
  }
  CHECK(got == 4 && memcmp(buf, "resp", 4) == 0, "early shutdown: the client read the answer (%d)",
        got);
  CHECK(n == 0 && SSL_get_error(client, n) == SSL_ERROR_ZERO_RETURN,
        "early shutdown: the client got close_notify (%d, error %d)", n, SSL_get_error(client, n));
  ERR_clear_error();
  free_pair(client, server);
}

/* One use of `session` for early data: whether the server accepted the early data, and (in
 * `*resumed`) whether the handshake resumed the session at all. */
static int early_data_accepted_once(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session,
                                    int* resumed) {
  SSL *client, *server;
  make_pair(cctx, sctx, &client, &server);
  /* OpenSSL's client will not use a TLS 1.3 session twice (after one use it is no longer
   * resumable): a replay is the same session's bytes loaded again, as an attacker would resend
   * the ClientHello. */
  unsigned char der[4096];
  unsigned char* end = der;
  int der_len = i2d_SSL_SESSION(session, NULL);
  CHECK(der_len > 0 && der_len <= (int)sizeof(der), "replay probe: i2d_SSL_SESSION (%d)", der_len);
  if (der_len > 0 && der_len <= (int)sizeof(der)) i2d_SSL_SESSION(session, &end);
  const unsigned char* cursor = der;
  SSL_SESSION* copy = d2i_SSL_SESSION(NULL, &cursor, der_len);
  CHECK(copy != NULL, "replay probe: d2i_SSL_SESSION");
  SSL_set_session(client, copy);
  SSL_SESSION_free(copy);
  size_t written = 0, readbytes = 0;
  char buf[64];
  CHECK(SSL_write_early_data(client, "again", 5, &written) == 1,
        "replay probe: the client sends early data");
  /* Early data up to FINISH; the client moves on (EndOfEarlyData, Finished) when the server
   * waits for it. */
  int r = SSL_READ_EARLY_DATA_ERROR;
  for (int i = 0; i < 50 && r != SSL_READ_EARLY_DATA_FINISH; i++) {
    r = SSL_read_early_data(server, buf, sizeof(buf), &readbytes);
    if (r == SSL_READ_EARLY_DATA_ERROR) {
      if (!is_want(server, 0)) break;
      int hs = SSL_do_handshake(client);
      if (hs != 1 && !is_want(client, hs)) break;
    }
  }
  CHECK(r == SSL_READ_EARLY_DATA_FINISH, "replay probe: SSL_read_early_data ends (r=%d)", r);
  int accepted = SSL_get_early_data_status(server) == SSL_EARLY_DATA_ACCEPTED;
  CHECK(handshake_both(client, server), "replay probe: handshake completes");
  *resumed = SSL_session_reused(server) && SSL_session_reused(client);
  SSL_shutdown(client);
  SSL_shutdown(server);
  ERR_clear_error();
  free_pair(client, server);
  return accepted;
}

/* One ticket used twice for early data. OpenSSL's rule (SSL_read_early_data(3), "REPLAY
 * PROTECTION"): while the server allows early data and SSL_OP_NO_ANTI_REPLAY is off, its TLS 1.3
 * tickets are single-use, so the second use is a full handshake (no resumption, no early data);
 * with SSL_OP_NO_ANTI_REPLAY the ticket resumes, with early data, every time. */
static void replay_probe(SSL_CTX* cctx, SSL_CTX* sctx, SSL_CTX* no_anti_replay_sctx) {
  int first_resumed = 0, second_resumed = 0;
  SSL_SESSION* session = ticket_from(cctx, sctx);
  int first = early_data_accepted_once(cctx, sctx, session, &first_resumed);
  int second = early_data_accepted_once(cctx, sctx, session, &second_resumed);
  CHECK(first && first_resumed, "replay probe: the first use resumes with early data");
  CHECK(!second, "replay probe: the replayed ticket's early data is refused");
  CHECK(!second_resumed, "replay probe: the replayed ticket gets a full handshake");
  printf("replayed_early_data_accepted=%d\n", second);
  printf("replayed_ticket_resumed=%d\n", second_resumed);
  SSL_SESSION_free(session);

  session = ticket_from(cctx, no_anti_replay_sctx);
  first = early_data_accepted_once(cctx, no_anti_replay_sctx, session, &first_resumed);
  second = early_data_accepted_once(cctx, no_anti_replay_sctx, session, &second_resumed);
  CHECK(first && first_resumed, "no anti-replay: the first use resumes with early data");
  CHECK(second && second_resumed,
        "no anti-replay: the ticket resumes with early data again (accepted=%d resumed=%d)", second,
        second_resumed);
  printf("no_anti_replay_replayed_early_data_accepted=%d\n", second);
  SSL_SESSION_free(session);

  /* A single-use ticket offered to a connection that takes reusable ones (its context set
   * SSL_OP_NO_ANTI_REPLAY after issuing it): OpenSSL decrypts instead of looking it up, finds no
   * ticket it made, and makes a full handshake. */
  session = ticket_from(cctx, sctx);
  SSL *client, *server;
  SSL_CTX_set_options(sctx, SSL_OP_NO_ANTI_REPLAY);
  make_pair(cctx, sctx, &client, &server);
  SSL_CTX_clear_options(sctx, SSL_OP_NO_ANTI_REPLAY);
  SSL_set_session(client, session);
  CHECK(handshake_both(client, server), "single-use ticket at a no-anti-replay connection");
  CHECK(!SSL_session_reused(server), "a single-use ticket does not resume without anti-replay");
  SSL_shutdown(client);
  SSL_shutdown(server);
  ERR_clear_error();
  free_pair(client, server);
  SSL_SESSION_free(session);
}

/* A server that never calls SSL_read_early_data does not accept early data (OpenSSL). */
static void not_read_case(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session) {
  SSL *client, *server;
  make_pair(cctx, sctx, &client, &server);
  SSL_set_session(client, session);
  size_t written = 0;
  CHECK(SSL_write_early_data(client, "x", 1, &written) == 1, "no-read: SSL_write_early_data");
  CHECK(handshake_both(client, server), "no-read: handshake");
  CHECK(SSL_get_early_data_status(server) == SSL_EARLY_DATA_REJECTED, "no-read: server REJECTED");
  CHECK(SSL_get_early_data_status(client) == SSL_EARLY_DATA_REJECTED, "no-read: client REJECTED");
  free_pair(client, server);
}

/* --- Two processes: one side under the shim, the other native (run_early_data_app.sh) --------- */

/* Reads until "\n" (or the end), blocking. */
static int read_line(SSL* ssl, char* buf, int len) {
  int got = 0;
  while (got < len - 1) {
    int n = SSL_read(ssl, buf + got, 1);
    if (n <= 0) break;
    if (buf[got++] == '\n') break;
  }
  buf[got] = 0;
  return got;
}

/* server PORT_FILE: two connections. The first gives the client its ticket; on the second, the
 * early data (until FINISH) and the 1-RTT line are answered as "early=<...>;late=<...>;status=N".
 */
static int run_server(const char* port_file) {
  SSL_CTX* sctx = server_ctx(16384);
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof(addr);
  if (bind(lfd, (struct sockaddr*)&addr, sizeof(addr)) != 0 || listen(lfd, 4) != 0 ||
      getsockname(lfd, (struct sockaddr*)&addr, &alen) != 0) {
    perror("listen");
    return 1;
  }
  FILE* f = fopen(port_file, "w");
  fprintf(f, "%d\n", ntohs(addr.sin_port));
  fclose(f);
  for (int conn = 0; conn < 2; conn++) {
    int fd = accept(lfd, NULL, NULL);
    SSL* ssl = SSL_new(sctx);
    SSL_set_fd(ssl, fd);
    SSL_set_accept_state(ssl);
    char early[256] = "", late[256] = "", line[512];
    if (conn == 0) {
      CHECK(SSL_accept(ssl) == 1, "server: first handshake");
      read_line(ssl, late, sizeof(late));
      SSL_write(ssl, "ok\n", 3);
    } else {
      size_t got = 0, readbytes = 0;
      int r;
      while ((r = SSL_read_early_data(ssl, early + got, sizeof(early) - 1 - got, &readbytes)) ==
             SSL_READ_EARLY_DATA_SUCCESS) {
        got += readbytes;
      }
      early[got] = 0;
      CHECK(r == SSL_READ_EARLY_DATA_FINISH, "server: FINISH (r=%d)", r);
      int status = SSL_get_early_data_status(ssl);
      read_line(ssl, late, sizeof(late));
      snprintf(line, sizeof(line), "early=%.*s;late=%.*s;status=%d\n", (int)strcspn(early, "\n"),
               early, (int)strcspn(late, "\n"), late, status);
      printf("server saw %s", line);
      SSL_write(ssl, line, (int)strlen(line));
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
  }
  printf("result=%s failures=%d\n", failures == 0 ? "ok" : "fail", failures);
  return failures == 0 ? 0 : 1;
}

static SSL* connect_to(SSL_CTX* cctx, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) != 0) return NULL;
  SSL* ssl = SSL_new(cctx);
  SSL_set_fd(ssl, fd);
  SSL_set_connect_state(ssl);
  return ssl;
}

static void close_ssl(SSL* ssl) {
  int fd = SSL_get_fd(ssl);
  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(fd);
}

/* client PORT: takes a ticket, then sends "EARLY" as early data and "LATE" after the handshake,
 * without waiting in between, and checks the server's account of what was which. */
static int run_client(int port) {
  SSL_CTX* cctx = client_ctx();
  char line[512];
  SSL* ssl = connect_to(cctx, port);
  CHECK(ssl != NULL && SSL_connect(ssl) == 1, "client: first handshake");
  if (ssl == NULL) return 1;
  SSL_write(ssl, "t\n", 2);
  read_line(ssl, line, sizeof(line)); /* the tickets come before "ok" */
  SSL_SESSION* session = SSL_get1_session(ssl);
  close_ssl(ssl);
  printf("session_max_early_data=%u\n", SSL_SESSION_get_max_early_data(session));
  ssl = connect_to(cctx, port);
  SSL_set_session(ssl, session);
  size_t written = 0;
  CHECK(SSL_write_early_data(ssl, "EARLY\n", 6, &written) == 1 && written == 6,
        "client: SSL_write_early_data");
  CHECK(SSL_connect(ssl) == 1, "client: handshake");
  CHECK(SSL_write(ssl, "LATE\n", 5) == 5, "client: 1-RTT write");
  CHECK(SSL_get_early_data_status(ssl) == SSL_EARLY_DATA_ACCEPTED, "client: ACCEPTED (%d)",
        SSL_get_early_data_status(ssl));
  read_line(ssl, line, sizeof(line));
  printf("server answered %s", line);
  CHECK(strcmp(line, "early=EARLY;late=LATE;status=2\n") == 0,
        "client: the server read EARLY as early data and LATE after it");
  close_ssl(ssl);
  SSL_SESSION_free(session);
  printf("result=%s failures=%d\n", failures == 0 ? "ok" : "fail", failures);
  return failures == 0 ? 0 : 1;
}

/* Options set on one connection (SSL_set_options) reach its TLS stack, not only the context's:
 * a client connection without TLS 1.3 negotiates TLS 1.2 with a server that has both. */
static void connection_options_case(void) {
  SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_use_certificate(sctx, cert);
  SSL_CTX_use_PrivateKey(sctx, key);
  SSL *client, *server;
  make_pair(cctx, sctx, &client, &server);
  CHECK((SSL_set_options(client, SSL_OP_NO_TLSv1_3) & SSL_OP_NO_TLSv1_3) != 0, "SSL_set_options");
  CHECK(handshake_both(client, server),
        "handshake with SSL_OP_NO_TLSv1_3 on the client connection");
  CHECK(SSL_version(client) == TLS1_2_VERSION && SSL_version(server) == TLS1_2_VERSION,
        "SSL_OP_NO_TLSv1_3 set on the connection: expected TLS 1.2, got %s",
        SSL_get_version(client));
  free_pair(client, server);
  /* Cleared again on the next connection of the same contexts: TLS 1.3. */
  make_pair(cctx, sctx, &client, &server);
  SSL_set_options(client, SSL_OP_NO_TLSv1_3);
  SSL_clear_options(client, SSL_OP_NO_TLSv1_3);
  CHECK(handshake_both(client, server) && SSL_version(client) == TLS1_3_VERSION,
        "SSL_clear_options(SSL_OP_NO_TLSv1_3): expected TLS 1.3, got %s", SSL_get_version(client));
  free_pair(client, server);
  SSL_CTX_free(cctx);
  SSL_CTX_free(sctx);
}

int main(int argc, char** argv) {
  make_credentials();
  if (argc == 3 && strcmp(argv[1], "server") == 0) return run_server(argv[2]);
  if (argc == 3 && strcmp(argv[1], "client") == 0) return run_client(atoi(argv[2]));
  SSL_CTX *sctx = server_ctx(16384), *other_sctx = server_ctx(16384), *cctx = client_ctx();
  CHECK(SSL_CTX_get_max_early_data(sctx) == 16384, "SSL_CTX_get_max_early_data");
  CHECK(SSL_CTX_get_recv_max_early_data(sctx) == 16384, "recv_max default");
  CHECK(SSL_CTX_set_recv_max_early_data(sctx, 16384) == 1, "set recv_max");
  SSL_SESSION* session = ticket_from(cctx, sctx);
  CHECK(session != NULL, "session");
  if (session == NULL) return 1;
  printf("session_max_early_data=%u\n", SSL_SESSION_get_max_early_data(session));
  CHECK(SSL_SESSION_get_max_early_data(session) > 0, "the ticket allows early data");
  /* The no-early-data path refuses SSL_write_early_data. */
  SSL_CTX* plain_sctx = server_ctx(0);
  SSL_SESSION* plain = ticket_from(cctx, plain_sctx);
  CHECK(plain != NULL && SSL_SESSION_get_max_early_data(plain) == 0, "ticket without early data");
  {
    SSL *client, *server;
    size_t written = 0;
    make_pair(cctx, plain_sctx, &client, &server);
    SSL_set_session(client, plain);
    CHECK(SSL_write_early_data(client, "x", 1, &written) == 0, "refused without early data");
    CHECK(ERR_peek_error() != 0, "refused with an error on the queue");
    ERR_clear_error();
    free_pair(client, server);
  }
  {
    /* SSL_SESSION_set_max_early_data: 0 takes early data away from a ticket. */
    SSL_SESSION* edited = ticket_from(cctx, sctx);
    CHECK(SSL_SESSION_set_max_early_data(edited, 1000) == 1 &&
              SSL_SESSION_get_max_early_data(edited) == 1000,
          "SSL_SESSION_set_max_early_data 1000 (got %u)", SSL_SESSION_get_max_early_data(edited));
    CHECK(SSL_SESSION_set_max_early_data(edited, 0) == 1 &&
              SSL_SESSION_get_max_early_data(edited) == 0,
          "SSL_SESSION_set_max_early_data 0");
    SSL *client, *server;
    size_t written = 0;
    make_pair(cctx, sctx, &client, &server);
    SSL_set_session(client, edited);
    CHECK(SSL_write_early_data(client, "x", 1, &written) == 0, "no early data with a limit of 0");
    ERR_clear_error();
    free_pair(client, server);
    SSL_SESSION_free(edited);
  }
  /* A fresh ticket for each case: TLS 1.3 tickets are meant for one use (RFC 8446, C.4). */
  accepted_case(cctx, sctx, session);
  SSL_SESSION* fresh = ticket_from(cctx, sctx);
  rejected_case("server-max-0", cctx, sctx, fresh, 1);
  SSL_SESSION_free(fresh);
  fresh = ticket_from(cctx, sctx);
  rejected_case("other-context", cctx, other_sctx, fresh, 0);
  SSL_SESSION_free(fresh);
  fresh = ticket_from(cctx, sctx);
  shutdown_case(cctx, sctx, fresh);
  SSL_SESSION_free(fresh);
  fresh = ticket_from(cctx, sctx);
  shutdown_before_finished_case(cctx, sctx, fresh);
  SSL_SESSION_free(fresh);
  fresh = ticket_from(cctx, sctx);
  not_read_case(cctx, sctx, fresh);
  SSL_SESSION_free(fresh);
  SSL_CTX* no_anti_replay_sctx = server_ctx(16384);
  SSL_CTX_set_options(no_anti_replay_sctx, SSL_OP_NO_ANTI_REPLAY);
  replay_probe(cctx, sctx, no_anti_replay_sctx);
  connection_options_case();
  printf("result=%s failures=%d\n", failures == 0 ? "ok" : "fail", failures);
  return failures == 0 ? 0 : 1;
}
