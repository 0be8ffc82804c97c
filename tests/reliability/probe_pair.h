/* Shared by the probes that run a client and a server connection in one process, over a BIO pair,
 * stepped in turn with non-blocking SSL_do_handshake so every library stops at the same points. */
#ifndef SSLSHIM_TESTS_RELIABILITY_PROBE_PAIR_H_
#define SSLSHIM_TESTS_RELIABILITY_PROBE_PAIR_H_

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>

/* A server context with CERT and KEY and the session ID context "probe", bound to `version`
 * (0: any). NULL after printing why. */
static inline SSL_CTX* pair_server_ctx(const char* cert, const char* key, int version) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == NULL || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
    fprintf(stderr, "cannot set up the server context\n");
    ERR_print_errors_fp(stderr);
    SSL_CTX_free(ctx);
    return NULL;
  }
  SSL_CTX_set_session_id_context(ctx, (const unsigned char*)"probe", 5);
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  return ctx;
}

/* A client context bound to `version` (0: any). */
static inline SSL_CTX* pair_client_ctx(int version) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return NULL;
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  return ctx;
}

/* Joins `client` and `server` with a BIO pair and sets their roles. 0 on failure. */
static inline int pair_join(SSL* client, SSL* server) {
  BIO *client_bio = NULL, *server_bio = NULL;
  if (client == NULL || server == NULL || !BIO_new_bio_pair(&client_bio, 0, &server_bio, 0)) {
    return 0;
  }
  SSL_set_bio(client, client_bio, client_bio);
  SSL_set_bio(server, server_bio, server_bio);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  return 1;
}

/* Steps SSL_do_handshake on each side in turn until both are done; `on_step` (NULL: none) sees
 * each step's answer. A side is done when it finishes or fails with anything but WANT_READ or
 * WANT_WRITE (its errors are then cleared). 1 when both finished. */
static inline int pair_step_handshake(SSL* client, SSL* server,
                                      void (*on_step)(SSL* ssl, int ret, int error)) {
  SSL* sides[2] = {client, server};
  int done[2] = {0, 0};
  int finished = 0;
  for (int step = 0; step < 12 && !(done[0] && done[1]); step++) {
    for (int i = 0; i < 2; i++) {
      if (done[i]) continue;
      int ret = SSL_do_handshake(sides[i]);
      int error = SSL_get_error(sides[i], ret);
      if (on_step != NULL) on_step(sides[i], ret, error);
      if (ret == 1) {
        done[i] = 1;
        finished++;
      } else if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
        done[i] = 1;
      }
    }
  }
  return finished == 2;
}

/* The handshake on both sides, then a few bytes from the server to the client (a TLS 1.3 client
 * takes its tickets then). 1 when both finished and the bytes arrived; else 0, errors cleared. */
static inline int pair_handshake(SSL* client, SSL* server) {
  char buf[8];
  if (!pair_step_handshake(client, server, NULL) || SSL_write(server, "ping", 4) != 4 ||
      SSL_read(client, buf, sizeof buf) != 4) {
    ERR_clear_error();
    return 0;
  }
  return 1;
}

/* One connection from each context, joined and handshaken, `resume` offered by the client (NULL:
 * none). Prints "<label>: handshake N, reused N"; returns the client's session (NULL if none) and,
 * when `server_session` is not NULL, the server's into it. */
static inline SSL_SESSION* pair_run(const char* label, SSL_CTX* client_ctx, SSL_CTX* server_ctx,
                                    SSL_SESSION* resume, SSL_SESSION** server_session) {
  SSL* client = SSL_new(client_ctx);
  SSL* server = SSL_new(server_ctx);
  SSL_SESSION* session = NULL;
  if (resume != NULL) SSL_set_session(client, resume);
  int ok = pair_join(client, server) && pair_handshake(client, server);
  printf("%s: handshake %d, reused %d\n", label, ok, ok ? SSL_session_reused(client) : -1);
  if (ok) session = SSL_get1_session(client);
  if (server_session != NULL) *server_session = ok ? SSL_get1_session(server) : NULL;
  /* Shut down first: OpenSSL drops the session of a connection freed without it from the cache. */
  SSL_shutdown(client);
  SSL_shutdown(server);
  ERR_clear_error();
  SSL_free(client);
  SSL_free(server);
  return session;
}

#endif
