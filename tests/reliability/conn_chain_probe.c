/* conn_chain_probe: SSL_use_certificate_chain_file on one server connection, as programs that pick
 * a certificate per connection call it: the connection sends that chain while another from the
 * same context sends the context's, and a file that cannot be read fails with OpenSSL's error. A
 * client and a server in one process over a BIO pair. An ordinary OpenSSL program; the test holds
 * its output under the shim against its output natively.
 *
 * usage: conn_chain_probe LEAF KEY CHAIN CA (CHAIN: the leaf, then the CA)
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>

#include "probe_pair.h"

/* The first error on the queue as library and reason (0 0: none), the queue emptied. */
static void print_error(void) {
  unsigned long error = ERR_get_error();
  printf(", error lib %d reason %d\n", ERR_GET_LIB(error), ERR_GET_REASON(error));
  ERR_clear_error();
}

/* A handshake with `server`; prints what the client saw of the server's chain. */
static void handshake(const char* label, SSL_CTX* client_ctx, SSL* server) {
  SSL* client = SSL_new(client_ctx);
  int ok = pair_join(client, server) && pair_handshake(client, server);
  STACK_OF(X509)* chain = ok ? SSL_get_peer_cert_chain(client) : NULL;
  printf("  %s: handshake %d, verify %ld, chain %d\n", label, ok, SSL_get_verify_result(client),
         chain != NULL ? sk_X509_num(chain) : -1);
  SSL_shutdown(client);
  SSL_shutdown(server);
  ERR_clear_error();
  SSL_free(client);
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: conn_chain_probe LEAF KEY CHAIN CA\n");
    return 2;
  }
  const char *leaf = argv[1], *key = argv[2], *chain = argv[3], *ca = argv[4];
  const int versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    printf("TLS 1.%d\n", v == 0 ? 2 : 3);
    SSL_CTX* server_ctx = pair_server_ctx(leaf, key, versions[v]);
    SSL_CTX* client_ctx = pair_client_ctx(versions[v]);
    if (server_ctx == NULL || client_ctx == NULL ||
        SSL_CTX_load_verify_locations(client_ctx, ca, NULL) != 1) {
      return 1;
    }
    SSL_CTX_set_verify(client_ctx, SSL_VERIFY_PEER, NULL);

    SSL* server = SSL_new(server_ctx);
    printf("  chain file: %d", SSL_use_certificate_chain_file(server, chain));
    print_error();
    printf("  key: %d, check %d\n", SSL_use_PrivateKey_file(server, key, SSL_FILETYPE_PEM),
           SSL_check_private_key(server));
    handshake("with the chain file", client_ctx, server);
    SSL_free(server);

    server = SSL_new(server_ctx);
    handshake("another connection, the context's", client_ctx, server);
    SSL_free(server);

    server = SSL_new(server_ctx);
    printf("  missing file: %d", SSL_use_certificate_chain_file(server, "/nonexistent/chain.pem"));
    print_error();
    printf("  key file as the chain: %d", SSL_use_certificate_chain_file(server, key));
    print_error();
    handshake("after both failed", client_ctx, server);
    SSL_free(server);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
  }
  return 0;
}
