/* Shared by the probes that run a client and a server in one process over non-blocking BIOs. */
#ifndef SSLSHIM_TESTS_RELIABILITY_PROBE_HANDSHAKE_H_
#define SSLSHIM_TESTS_RELIABILITY_PROBE_HANDSHAKE_H_

#include <openssl/ssl.h>
#include <stdio.h>

/* Steps both sides' SSL_do_handshake in turn until both are done: 1, or 0 if either fails with
 * anything but WANT_READ/WANT_WRITE or 40 rounds do not finish it. */
static inline int handshake_in_turn(SSL* client, SSL* server) {
  int done[2] = {0, 0};
  SSL* sides[2] = {client, server};
  for (int step = 0; step < 40 && !(done[0] && done[1]); step++) {
    for (int i = 0; i < 2; i++) {
      if (done[i]) continue;
      int ret = SSL_do_handshake(sides[i]);
      if (ret == 1) {
        done[i] = 1;
        continue;
      }
      int error = SSL_get_error(sides[i], ret);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return 0;
    }
  }
  return done[0] && done[1];
}

/* A client and a server of these contexts over a new BIO pair, each in its role: 1, or 0. */
static inline int connect_pair(SSL_CTX* client_ctx, SSL_CTX* server_ctx, SSL** client,
                               SSL** server) {
  BIO *client_bio = NULL, *server_bio = NULL;
  *client = SSL_new(client_ctx);
  *server = SSL_new(server_ctx);
  if (*client == NULL || *server == NULL || !BIO_new_bio_pair(&client_bio, 0, &server_bio, 0)) {
    return 0;
  }
  SSL_set_bio(*client, client_bio, client_bio);
  SSL_set_bio(*server, server_bio, server_bio);
  SSL_set_connect_state(*client);
  SSL_set_accept_state(*server);
  return 1;
}

/* A client context, and a server context with the certificate chain and key files: 1, or 0 with
 * the reason on stderr. */
static inline int make_contexts(const char* cert, const char* key, SSL_CTX** client_ctx,
                                SSL_CTX** server_ctx) {
  *client_ctx = SSL_CTX_new(TLS_client_method());
  *server_ctx = SSL_CTX_new(TLS_server_method());
  if (*client_ctx == NULL || *server_ctx == NULL ||
      SSL_CTX_use_certificate_chain_file(*server_ctx, cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(*server_ctx, key, SSL_FILETYPE_PEM) != 1) {
    fprintf(stderr, "cannot set up the contexts\n");
    return 0;
  }
  return 1;
}

#endif /* SSLSHIM_TESTS_RELIABILITY_PROBE_HANDSHAKE_H_ */
