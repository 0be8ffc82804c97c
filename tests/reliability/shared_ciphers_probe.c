/* shared_ciphers_probe: SSL_get_shared_ciphers as servers log it (the client's suites the server
 * also has, in the client's order, colon-separated into the program's buffer), before and after
 * the handshake, on both sides, and into buffers too small for the list. A client and a server
 * with cipher lists both TLS libraries know, in one process over a BIO pair; over TLS 1.3 the
 * client's TLS 1.3 suites (whose order BoringSSL chooses by the hardware) are counted, not named.
 * An ordinary OpenSSL program; the test holds its output under the shim against its output
 * natively.
 *
 * usage: shared_ciphers_probe CERT KEY (an ECDSA certificate)
 */
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

#include "probe_pair.h"

/* Prints SSL_get_shared_ciphers' answer into a buffer of `size` bytes: NULL, or the text with
 * its TLS 1.3 names counted. */
static void show(const char* what, SSL* ssl, int size) {
  char buf[512];
  memset(buf, 'x', sizeof buf);
  char* ret = SSL_get_shared_ciphers(ssl, buf, size);
  printf("  %s, size %d: ", what, size);
  if (ret == NULL) {
    printf("NULL\n");
    return;
  }
  int tls13 = 0;
  printf("%s\"", ret == buf ? "buf" : "another pointer");
  const char* sep = "";
  for (char* name = strtok(buf, ":"); name != NULL; name = strtok(NULL, ":")) {
    if (strncmp(name, "TLS_", 4) == 0) {
      tls13++;
    } else {
      printf("%s%s", sep, name);
      sep = ":";
    }
  }
  printf("\", TLS 1.3 names %d\n", tls13);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: shared_ciphers_probe CERT KEY\n");
    return 2;
  }
  const int versions[2] = {TLS1_2_VERSION, TLS1_3_VERSION};
  for (int v = 0; v < 2; v++) {
    printf("TLS 1.%d\n", v == 0 ? 2 : 3);
    SSL_CTX* server_ctx = pair_server_ctx(argv[1], argv[2], versions[v]);
    SSL_CTX* client_ctx = pair_client_ctx(versions[v]);
    if (server_ctx == NULL || client_ctx == NULL ||
        SSL_CTX_set_cipher_list(client_ctx,
                                "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:"
                                "AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305") != 1 ||
        SSL_CTX_set_cipher_list(server_ctx,
                                "AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305:"
                                "ECDHE-ECDSA-AES128-GCM-SHA256") != 1) {
      return 1;
    }
    SSL* client = SSL_new(client_ctx);
    SSL* server = SSL_new(server_ctx);
    if (!pair_join(client, server)) return 1;
    show("server before the handshake", server, 512);
    int ok = pair_handshake(client, server);
    printf("  handshake %d\n", ok);
    show("client", client, 512);
    /* The TLS 1.2 names fill these exactly, or miss by a byte; the TLS 1.3 ones are in the
     * client library's order, so only a buffer that holds them all and one too small for any. */
    const int sizes[] = {512, 66, 65, 64, 30, 29, 28, 2, 1, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
      if (v == 0 || sizes[i] == 512 || sizes[i] <= 2) show("server", server, sizes[i]);
    }
    SSL_shutdown(client);
    SSL_shutdown(server);
    SSL_free(client);
    SSL_free(server);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
  }
  return 0;
}
