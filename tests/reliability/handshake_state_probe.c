/* handshake_state_probe: SSL_get_state, SSL_in_before (and the negotiated group) through a
 * handshake, as programs read it (== TLS_ST_OK for "established", TLS_ST_SR_CLNT_HELLO from an info
 * callback to spot a renegotiation). A client and a server in one process over a BIO pair, stepped
 * in turn with non-blocking SSL_do_handshake, so every step stops at the same protocol point in any
 * library. Prints each side's state after each step and in the info callback's handshake start and
 * done, for TLS 1.2 and 1.3, plain, with a client certificate requested, and resumed. An ordinary
 * OpenSSL program; the test holds its output under the shim against its output natively.
 *
 * usage: handshake_state_probe CERT KEY
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

#include "probe_pair.h"

static void info_callback(const SSL* ssl, int where, int ret) {
  (void)ret;
  if ((where & SSL_CB_HANDSHAKE_START) != 0 || (where & SSL_CB_HANDSHAKE_DONE) != 0) {
    printf("    %s info %s: state %d\n", SSL_is_server(ssl) ? "server" : "client",
           (where & SSL_CB_HANDSHAKE_START) != 0 ? "start" : "done", (int)SSL_get_state(ssl));
  }
}

static void print_step(SSL* ssl, int ret, int error) {
  printf("    %s step: %d, error %d, state %d, in before %d\n",
         SSL_is_server(ssl) ? "server" : "client", ret, error, (int)SSL_get_state(ssl),
         SSL_in_before(ssl));
}

/* One handshake; the client's session afterwards (to resume with), or NULL. */
static SSL_SESSION* run(SSL_CTX* client_ctx, SSL_CTX* server_ctx, SSL_SESSION* resume) {
  SSL* client = SSL_new(client_ctx);
  SSL* server = SSL_new(server_ctx);
  BIO *client_bio = NULL, *server_bio = NULL;
  if (client == NULL || server == NULL || !BIO_new_bio_pair(&client_bio, 0, &server_bio, 0)) {
    printf("    set-up failed\n");
    return NULL;
  }
  SSL_set_bio(client, client_bio, client_bio);
  SSL_set_bio(server, server_bio, server_bio);
  if (resume != NULL) SSL_set_session(client, resume);
  printf("    new: client %d, server %d\n", (int)SSL_get_state(client), (int)SSL_get_state(server));
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  printf("    in before: client %d, server %d\n", SSL_in_before(client), SSL_in_before(server));
  pair_step_handshake(client, server, print_step);
  /* Application data both ways: a TLS 1.3 client takes its tickets in here. */
  char buf[16];
  int wrote = SSL_write(server, "ping", 4);
  int got = SSL_read(client, buf, sizeof buf);
  printf("    data: server wrote %d, client read %d; client %d, server %d, reused %d\n", wrote, got,
         (int)SSL_get_state(client), (int)SSL_get_state(server), SSL_session_reused(client));
  /* The key-exchange group as a NID (SSL_ctrl 134), both sides. */
  printf("    group: client %d, server %d\n", (int)SSL_get_negotiated_group(client),
         (int)SSL_get_negotiated_group(server));
  SSL_SESSION* session = SSL_get1_session(client);
  SSL_shutdown(client);
  SSL_shutdown(server);
  printf("    shut down: client %d, server %d\n", (int)SSL_get_state(client),
         (int)SSL_get_state(server));
  SSL_free(client);
  SSL_free(server);
  return session;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: handshake_state_probe CERT KEY\n");
    return 2;
  }
  const int versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    for (int request_cert = 0; request_cert < 2; request_cert++) {
      SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
      SSL_CTX* server_ctx = SSL_CTX_new(TLS_server_method());
      if (client_ctx == NULL || server_ctx == NULL ||
          SSL_CTX_use_certificate_chain_file(server_ctx, argv[1]) != 1 ||
          SSL_CTX_use_PrivateKey_file(server_ctx, argv[2], SSL_FILETYPE_PEM) != 1) {
        fprintf(stderr, "cannot set up the contexts\n");
        ERR_print_errors_fp(stderr);
        return 1;
      }
      SSL_CTX_set_min_proto_version(client_ctx, versions[v]);
      SSL_CTX_set_max_proto_version(client_ctx, versions[v]);
      SSL_CTX_set_info_callback(client_ctx, info_callback);
      SSL_CTX_set_info_callback(server_ctx, info_callback);
      /* The client has no certificate: it answers the request with an empty one, which
       * SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT accepts. */
      if (request_cert) SSL_CTX_set_verify(server_ctx, SSL_VERIFY_PEER, NULL);
      SSL_CTX_set_session_id_context(server_ctx, (const unsigned char*)"probe", 5);
      printf("TLS %s%s, full\n", v == 0 ? "1.2" : "1.3",
             request_cert ? ", client certificate requested" : "");
      SSL_SESSION* session = run(client_ctx, server_ctx, NULL);
      printf("TLS %s%s, resumed\n", v == 0 ? "1.2" : "1.3",
             request_cert ? ", client certificate requested" : "");
      SSL_SESSION* second = run(client_ctx, server_ctx, session);
      SSL_SESSION_free(session);
      SSL_SESSION_free(second);
      SSL_CTX_free(client_ctx);
      SSL_CTX_free(server_ctx);
    }
  }
  /* A server that has waited for a ClientHello is no longer before, though its state still says
   * TLS_ST_BEFORE; SSL_clear makes it before again. */
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL* server = SSL_new(ctx);
  BIO *ours = NULL, *theirs = NULL;
  if (ctx == NULL || server == NULL || !BIO_new_bio_pair(&ours, 0, &theirs, 0)) return 1;
  SSL_set_bio(server, ours, ours);
  SSL_set_accept_state(server);
  int ret = SSL_do_handshake(server);
  printf("server waiting: %d, error %d, state %d, in before %d\n", ret, SSL_get_error(server, ret),
         (int)SSL_get_state(server), SSL_in_before(server));
  ret = SSL_clear(server);
  printf("after SSL_clear: %d, in before %d\n", ret, SSL_in_before(server));
  SSL_free(server);
  BIO_free(theirs);
  SSL_CTX_free(ctx);
  return 0;
}
