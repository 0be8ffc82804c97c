/* session_probe: what programs do with sessions besides resuming them: SSL_SESSION_set_timeout and
 * SSL_SESSION_set_time (and what the getters and a resumption make of them), SSL_copy_session_id
 * (a second connection takes the first one's session, session ID context and certificate), and
 * SSL_CTX_flush_sessions with a remove-session callback. A client and a server in one process
 * over a BIO pair. An ordinary OpenSSL program; the test holds its output under the shim against
 * its output natively.
 *
 * usage: session_probe CERT KEY
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe_pair.h"

static const char* version_name(int version) {
  return version == TLS1_2_VERSION ? "TLS 1.2" : "TLS 1.3";
}

/* The first error on the queue, as a number (0: none), and the queue emptied. */
static unsigned long take_error(void) {
  unsigned long error = ERR_get_error();
  ERR_clear_error();
  return error;
}

/* Sets `aged`'s time and timeout, then resumes `offered`; prints "<what>: resume: ...". */
static void resume_aged(const char* what, SSL_CTX* client_ctx, SSL_CTX* server_ctx,
                        SSL_SESSION* aged, SSL_SESSION* offered, long time, long timeout) {
  SSL_SESSION_set_time(aged, time);
  SSL_SESSION_set_timeout(aged, timeout);
  printf("  %s: ", what);
  SSL_SESSION* again = pair_run("resume", client_ctx, server_ctx, offered, NULL);
  SSL_SESSION_free(again);
}

static void timeouts(const char* cert, const char* key, int version) {
  printf("%s, SSL_SESSION_set_timeout and set_time\n", version_name(version));
  SSL_CTX* server_ctx = pair_server_ctx(cert, key, version);
  SSL_CTX* client_ctx = pair_client_ctx(version);
  SSL_SESSION* session = pair_run("  full", client_ctx, server_ctx, NULL, NULL);
  if (session == NULL) return;
  long ret = SSL_SESSION_set_timeout(session, 300);
  printf("  set_timeout(300): %ld, get_timeout %ld\n", ret, SSL_SESSION_get_timeout(session));
  ret = SSL_SESSION_set_timeout(session, -5);
  printf("  set_timeout(-5): %ld, get_timeout %ld, queue %lx\n", ret,
         SSL_SESSION_get_timeout(session), take_error());
  ret = SSL_SESSION_set_timeout(session, 0);
  printf("  set_timeout(0): %ld, get_timeout %ld\n", ret, SSL_SESSION_get_timeout(session));
  ret = SSL_SESSION_set_timeout(session, 5000000000L);
  printf("  set_timeout(5000000000): %ld, get_timeout %ld\n", ret,
         SSL_SESSION_get_timeout(session));
  printf("  set_timeout(NULL): %ld, queue %lx\n", SSL_SESSION_set_timeout(NULL, 5), take_error());
  ret = SSL_SESSION_set_time(session, 1000000000L);
  printf("  set_time(1000000000): %ld, get_time %ld, get_timeout %ld\n", ret,
         SSL_SESSION_get_time(session), SSL_SESSION_get_timeout(session));
  printf("  set_time(NULL): %ld, queue %lx\n", SSL_SESSION_set_time(NULL, 5), take_error());

  /* Valid again: resumed. */
  const long now = (long)time(NULL);
  resume_aged("after set_time(now) and set_timeout(300)", client_ctx, server_ctx, session, session,
              now, 300);
  /* The client's copy expired: OpenSSL's client still offers it, the server decides. */
  resume_aged("client's session set 1000 s old with a 10 s timeout", client_ctx, server_ctx,
              session, session, now - 1000, 10);

  /* The server's copy expired (its stateful cache: TLS 1.2 without tickets): a full handshake. */
  SSL_CTX_set_options(server_ctx, SSL_OP_NO_TICKET);
  SSL_SESSION* server_session = NULL;
  SSL_SESSION* fresh = pair_run("  without tickets", client_ctx, server_ctx, NULL, &server_session);
  if (version == TLS1_2_VERSION && fresh != NULL && server_session != NULL) {
    SSL_SESSION* second = pair_run("  resume", client_ctx, server_ctx, fresh, NULL);
    SSL_SESSION_free(second);
    resume_aged("server's session set 1000 s old with a 10 s timeout", client_ctx, server_ctx,
                server_session, fresh, now - 1000, 10);
  }
  SSL_SESSION_free(server_session);
  SSL_SESSION_free(fresh);
  SSL_SESSION_free(session);
  SSL_CTX_free(client_ctx);
  SSL_CTX_free(server_ctx);
}

/* The server sessions the flush test made, to name what the remove callback is given. */
static unsigned char known_ids[3][SSL_MAX_SSL_SESSION_ID_LENGTH];
static unsigned int known_lengths[3];
static int removed[3];
static int removed_unknown;

static void remove_callback(SSL_CTX* ctx, SSL_SESSION* session) {
  (void)ctx;
  unsigned int len = 0;
  const unsigned char* id = SSL_SESSION_get_id(session, &len);
  for (int i = 0; i < 3; i++) {
    if (len == known_lengths[i] && len > 0 && memcmp(id, known_ids[i], len) == 0) {
      removed[i]++;
      return;
    }
  }
  removed_unknown++;
}

/* What the remove callback was given since the last call, in a fixed order. */
static void print_removed(const char* what) {
  printf("  %s: removed", what);
  for (int i = 0; i < 3; i++) printf(" %c=%d", 'A' + i, removed[i]);
  printf(", unknown %d\n", removed_unknown);
  memset(removed, 0, sizeof removed);
  removed_unknown = 0;
}

static void flush(const char* cert, const char* key) {
  printf("TLS 1.2 without tickets, SSL_CTX_flush_sessions\n");
  SSL_CTX* server_ctx = pair_server_ctx(cert, key, TLS1_2_VERSION);
  SSL_CTX* client_ctx = pair_client_ctx(TLS1_2_VERSION);
  SSL_CTX_set_options(server_ctx, SSL_OP_NO_TICKET);
  SSL_CTX_sess_set_remove_cb(server_ctx, remove_callback);
  SSL_SESSION* clients[3] = {NULL, NULL, NULL};
  SSL_SESSION* servers[3] = {NULL, NULL, NULL};
  for (int i = 0; i < 3; i++) {
    char label[16];
    snprintf(label, sizeof label, "  session %c", 'A' + i);
    clients[i] = pair_run(label, client_ctx, server_ctx, NULL, &servers[i]);
    if (servers[i] != NULL) {
      const unsigned char* id = SSL_SESSION_get_id(servers[i], &known_lengths[i]);
      memcpy(known_ids[i], id, known_lengths[i]);
    }
  }
  print_removed("after the handshakes");
  const long now = (long)time(NULL);
  /* B expires; C lives longer than A. */
  if (servers[1] != NULL) {
    SSL_SESSION_set_time(servers[1], now - 1000);
    SSL_SESSION_set_timeout(servers[1], 10);
  }
  if (servers[2] != NULL) SSL_SESSION_set_timeout(servers[2], 100000);
  SSL_CTX_flush_sessions(server_ctx, now);
  print_removed("flush(now)");
  SSL_SESSION* resumed = pair_run("  resume B", client_ctx, server_ctx, clients[1], NULL);
  SSL_SESSION_free(resumed);
  resumed = pair_run("  resume A", client_ctx, server_ctx, clients[0], NULL);
  SSL_SESSION_free(resumed);
  print_removed("after resuming");
  SSL_CTX_flush_sessions(server_ctx, -1);
  print_removed("flush(-1)");
  SSL_CTX_flush_sessions(server_ctx, now + 8000);
  print_removed("flush(now + 8000)");
  resumed = pair_run("  resume A", client_ctx, server_ctx, clients[0], NULL);
  SSL_SESSION_free(resumed);
  resumed = pair_run("  resume C", client_ctx, server_ctx, clients[2], NULL);
  SSL_SESSION_free(resumed);
  print_removed("after resuming");
  SSL_CTX_flush_sessions(server_ctx, 0);
  print_removed("flush(0)");
  resumed = pair_run("  resume C", client_ctx, server_ctx, clients[2], NULL);
  SSL_SESSION_free(resumed);
  /* Without a callback the sessions go all the same. */
  SSL_CTX_sess_set_remove_cb(server_ctx, NULL);
  SSL_SESSION* last = pair_run("  session D", client_ctx, server_ctx, NULL, NULL);
  SSL_CTX_flush_sessions(server_ctx, 0);
  resumed =
      pair_run("  after flush(0) without a callback, resume D", client_ctx, server_ctx, last, NULL);
  SSL_SESSION_free(resumed);
  SSL_SESSION_free(last);
  for (int i = 0; i < 3; i++) {
    SSL_SESSION_free(clients[i]);
    SSL_SESSION_free(servers[i]);
  }
  SSL_CTX_free(client_ctx);
  SSL_CTX_free(server_ctx);
}

static void copy_session_id(const char* cert, const char* key, int version) {
  printf("%s, SSL_copy_session_id\n", version_name(version));
  SSL_CTX* server_ctx = pair_server_ctx(cert, key, version);
  SSL_CTX* client_ctx = pair_client_ctx(version);

  /* A client connection takes the session of one that finished its handshake. */
  SSL* first = SSL_new(client_ctx);
  SSL* first_server = SSL_new(server_ctx);
  int ok = pair_join(first, first_server) && pair_handshake(first, first_server);
  SSL* second = SSL_new(client_ctx);
  int ret = SSL_copy_session_id(second, first);
  printf("  client: first %d, copy %d, same session %d\n", ok, ret,
         SSL_get_session(second) != NULL && SSL_get_session(second) == SSL_get_session(first));
  SSL* second_server = SSL_new(server_ctx);
  ok = pair_join(second, second_server) && pair_handshake(second, second_server);
  printf("  client copy: handshake %d, reused %d\n", ok, SSL_session_reused(second));
  SSL* empty = SSL_new(client_ctx);
  SSL* third = SSL_new(client_ctx);
  SSL_set_session(third, SSL_get_session(first));
  ret = SSL_copy_session_id(third, empty);
  printf("  copy from a connection without a session: %d, session %d\n", ret,
         SSL_get_session(third) != NULL);
  SSL* connections[] = {first, first_server, second, second_server, empty, third};
  for (size_t i = 0; i < sizeof connections / sizeof connections[0]; i++) {
    SSL_shutdown(connections[i]);
    SSL_free(connections[i]);
  }
  ERR_clear_error();

  /* A server connection from a context without a certificate takes another's certificate and
   * session ID context: it can handshake, and its sessions resume where that context is set. */
  SSL_CTX* bare_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(bare_ctx, version);
  SSL_CTX_set_max_proto_version(bare_ctx, version);
  SSL_CTX_set_session_id_context(bare_ctx, (const unsigned char*)"bare", 4);
  SSL* model = SSL_new(server_ctx);
  SSL_set_session_id_context(model, (const unsigned char*)"model", 5);
  SSL* copy = SSL_new(bare_ctx);
  printf("  server: certificate before %d", SSL_get_certificate(copy) != NULL);
  ret = SSL_copy_session_id(copy, model);
  printf(", copy %d, certificate after %d\n", ret, SSL_get_certificate(copy) != NULL);
  SSL* client = SSL_new(client_ctx);
  ok = pair_join(client, copy) && pair_handshake(client, copy);
  SSL_SESSION* session = ok ? SSL_get1_session(client) : NULL;
  printf("  server copy: handshake %d\n", ok);
  SSL_shutdown(client);
  SSL_shutdown(copy);
  SSL_free(client);
  SSL_free(copy);
  SSL_free(model);
  ERR_clear_error();
  if (session != NULL && SSL_CTX_use_certificate_chain_file(bare_ctx, cert) == 1 &&
      SSL_CTX_use_PrivateKey_file(bare_ctx, key, SSL_FILETYPE_PEM) == 1) {
    /* Resumed (from the context that made it) only where the session ID context is the
     * copied one. */
    SSL_SESSION* resumed =
        pair_run("  resume where the context is \"bare\"", client_ctx, bare_ctx, session, NULL);
    SSL_SESSION_free(resumed);
    SSL_CTX_set_session_id_context(bare_ctx, (const unsigned char*)"model", 5);
    resumed = pair_run("  resume where it is \"model\"", client_ctx, bare_ctx, session, NULL);
    SSL_SESSION_free(resumed);
    SSL_SESSION_free(session);
  }
  SSL_CTX_free(bare_ctx);
  SSL_CTX_free(client_ctx);
  SSL_CTX_free(server_ctx);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: session_probe CERT KEY\n");
    return 2;
  }
  timeouts(argv[1], argv[2], TLS1_2_VERSION);
  timeouts(argv[1], argv[2], TLS1_3_VERSION);
  flush(argv[1], argv[2]);
  copy_session_id(argv[1], argv[2], TLS1_2_VERSION);
  copy_session_id(argv[1], argv[2], TLS1_3_VERSION);
  return 0;
}
