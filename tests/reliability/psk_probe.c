/* psk_probe: PSK with OpenSSL's callbacks, as MQTT brokers and VPNs use it: the client's callback
 * gets the server's identity hint and gives an identity and key, the server's callback the
 * identity; per context and per connection; a wrong key and an unknown identity fail. First with
 * TLS 1.2 only, then with TLS 1.3 allowed too (where OpenSSL 3 uses the same callbacks for a
 * TLS 1.3 external PSK). A client and a server in one process over a BIO pair. An ordinary
 * OpenSSL program; the test holds its output under the shim against its output natively.
 *
 * usage: psk_probe CERT KEY
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

#include "probe_pair.h"

static int wrong_key;     /* the server's callback answers another key */
static int unknown_names; /* the server's callback knows no identity */

static unsigned int client_callback(SSL* ssl, const char* hint, char* identity,
                                    unsigned int max_identity_len, unsigned char* psk,
                                    unsigned int max_psk_len) {
  printf("    client callback: hint %s, room for an identity %d, for a key %d\n",
         hint != NULL ? hint : "(none)", max_identity_len >= 128, max_psk_len >= 32);
  snprintf(identity, max_identity_len, "%s", SSL_is_server(ssl) ? "?" : "alice");
  memset(psk, 0x42, 32);
  return 32;
}

static unsigned int server_callback(SSL* ssl, const char* identity, unsigned char* psk,
                                    unsigned int max_psk_len) {
  (void)ssl;
  (void)max_psk_len;
  printf("    server callback: identity %s\n", identity != NULL ? identity : "(none)");
  if (unknown_names) return 0;
  memset(psk, wrong_key ? 0x43 : 0x42, 32);
  return 32;
}

static const char* or_none(const char* s) { return s != NULL ? s : "(none)"; }

/* One handshake between connections of the two contexts; `per_connection` sets the callbacks and
 * the hint on the connections instead. */
static void run(const char* what, SSL_CTX* client_ctx, SSL_CTX* server_ctx, int per_connection) {
  printf("  %s\n", what);
  SSL* client = SSL_new(client_ctx);
  SSL* server = SSL_new(server_ctx);
  if (per_connection) {
    SSL_set_psk_client_callback(client, client_callback);
    SSL_set_psk_server_callback(server, server_callback);
    printf("    connection hint: %d\n", SSL_use_psk_identity_hint(server, "connection hint"));
  }
  printf("    before: identity %s\n", or_none(SSL_get_psk_identity(server)));
  int ok = pair_join(client, server) && pair_handshake(client, server);
  printf("    handshake %d, %s\n", ok, ok ? SSL_get_version(client) : "-");
  printf("    server: identity %s, hint %s; client: identity %s, hint %s\n",
         or_none(SSL_get_psk_identity(server)), or_none(SSL_get_psk_identity_hint(server)),
         or_none(SSL_get_psk_identity(client)), or_none(SSL_get_psk_identity_hint(client)));
  ERR_clear_error();
  SSL_shutdown(client);
  SSL_shutdown(server);
  ERR_clear_error();
  SSL_free(client);
  SSL_free(server);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: psk_probe CERT KEY\n");
    return 2;
  }
  const int max_versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    printf("%s\n", v == 0 ? "TLS 1.2 only" : "TLS 1.3 allowed");
    /* Without a certificate: only the key can authenticate the server. */
    SSL_CTX* server_ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(server_ctx, max_versions[v]);
    SSL_CTX_set_max_proto_version(client_ctx, max_versions[v]);
    SSL_CTX_set_psk_client_callback(client_ctx, client_callback);
    SSL_CTX_set_psk_server_callback(server_ctx, server_callback);
    printf("  context hint: %d\n", SSL_CTX_use_psk_identity_hint(server_ctx, "context hint"));
    char too_long[PSK_MAX_IDENTITY_LEN + 2];
    memset(too_long, 'h', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    printf("  a hint too long: %d", SSL_CTX_use_psk_identity_hint(server_ctx, too_long));
    printf(", reason %d\n", ERR_GET_REASON(ERR_get_error()));
    ERR_clear_error();
    run("per context", client_ctx, server_ctx, 0);
    wrong_key = 1;
    run("the server's key differs", client_ctx, server_ctx, 0);
    wrong_key = 0;
    unknown_names = 1;
    run("the server knows no identity", client_ctx, server_ctx, 0);
    unknown_names = 0;
    SSL_CTX* bare_server = SSL_CTX_new(TLS_server_method());
    SSL_CTX* bare_client = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(bare_server, max_versions[v]);
    SSL_CTX_set_max_proto_version(bare_client, max_versions[v]);
    run("per connection", bare_client, bare_server, 1);
    /* With a certificate as well: OpenSSL still authenticates with the key when both have it. */
    SSL_CTX* cert_server = pair_server_ctx(argv[1], argv[2], 0);
    SSL_CTX_set_max_proto_version(cert_server, max_versions[v]);
    SSL_CTX_set_psk_server_callback(cert_server, server_callback);
    run("a server with a certificate too", client_ctx, cert_server, 0);
    SSL_CTX_free(cert_server);
    SSL_CTX_free(bare_server);
    SSL_CTX_free(bare_client);
    SSL_CTX_free(server_ctx);
    SSL_CTX_free(client_ctx);
  }
  return 0;
}
