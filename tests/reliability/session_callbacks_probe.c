/* session_callbacks_probe: the session-cache callback getters answer what was set, and
 * SSL_SESSION_print_fp prints a client's session as SSL_SESSION_print does (its stable lines:
 * the header, protocol, and that there is a session ID and a master key), for TLS 1.2 and 1.3;
 * and a connection with a reference from SSL_up_ref outlives one SSL_free.
 * A client and a server in one process over a BIO pair. An ordinary OpenSSL program; the test
 * holds its output under the shim against its output natively.
 *
 * usage: session_callbacks_probe CERT KEY
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

#include "probe_handshake.h"

static int new_cb(SSL* ssl, SSL_SESSION* session) {
  (void)ssl, (void)session;
  return 0;
}
static void remove_cb(SSL_CTX* ctx, SSL_SESSION* session) { (void)ctx, (void)session; }
static SSL_SESSION* get_cb(SSL* ssl, const unsigned char* id, int len, int* copy) {
  (void)ssl, (void)id, (void)len, (void)copy;
  return NULL;
}

/* The lines of SSL_SESSION_print_fp's output that do not change from run to run. */
static void print_stable_lines(FILE* f) {
  char line[512];
  rewind(f);
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "SSL-Session:", 12) == 0 || strstr(line, "Protocol  :") != NULL) {
      printf("    | %s", line);
    } else if (strstr(line, "Session-ID:") != NULL) {
      printf("    | Session-ID present: %d\n", strlen(line) > strlen("    Session-ID: \n"));
    } else if (strstr(line, "Master-Key:") != NULL) {
      printf("    | Master-Key present: %d\n", strlen(line) > strlen("    Master-Key: \n"));
    }
  }
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: session_callbacks_probe CERT KEY\n");
    return 2;
  }
  const int versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    SSL_CTX *client_ctx = NULL, *server_ctx = NULL;
    if (!make_contexts(argv[1], argv[2], &client_ctx, &server_ctx)) return 1;
    printf("TLS %s\n", v == 0 ? "1.2" : "1.3");
    printf("  getters before: new %d, remove %d, get %d\n",
           SSL_CTX_sess_get_new_cb(server_ctx) == NULL,
           SSL_CTX_sess_get_remove_cb(server_ctx) == NULL,
           SSL_CTX_sess_get_get_cb(server_ctx) == NULL);
    SSL_CTX_sess_set_new_cb(server_ctx, new_cb);
    SSL_CTX_sess_set_remove_cb(server_ctx, remove_cb);
    SSL_CTX_sess_set_get_cb(server_ctx, get_cb);
    printf("  getters after: new %d, remove %d, get %d\n",
           SSL_CTX_sess_get_new_cb(server_ctx) == new_cb,
           SSL_CTX_sess_get_remove_cb(server_ctx) == remove_cb,
           SSL_CTX_sess_get_get_cb(server_ctx) == get_cb);
    SSL_CTX_set_min_proto_version(client_ctx, versions[v]);
    SSL_CTX_set_max_proto_version(client_ctx, versions[v]);
    SSL *client = NULL, *server = NULL;
    if (!connect_pair(client_ctx, server_ctx, &client, &server)) return 1;
    int ok = handshake_in_turn(client, server);
    /* A TLS 1.3 client takes its session from the ticket that follows the handshake. */
    char buf[8];
    SSL_write(server, "x", 1);
    SSL_read(client, buf, sizeof buf);
    printf("  handshake: %d\n", ok);
    FILE* f = tmpfile();
    printf("  SSL_SESSION_print_fp(session): %d\n",
           f != NULL ? SSL_SESSION_print_fp(f, SSL_get0_session(client)) : -1);
    if (f != NULL) {
      print_stable_lines(f);
      printf("  SSL_SESSION_print_fp(NULL): %d, queue empty %d\n", SSL_SESSION_print_fp(f, NULL),
             ERR_peek_error() == 0);
      fclose(f);
    }
    /* SSL_up_ref: the connection outlives one SSL_free. */
    printf("  SSL_up_ref: %d\n", SSL_up_ref(client));
    SSL_free(client);
    printf("  after one SSL_free: %s\n", SSL_get_version(client));
    ERR_clear_error();
    SSL_free(client);
    SSL_free(server);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
  }
  return 0;
}
