/* supported_ciphers_probe: SSL_get1_supported_ciphers as programs call it (openvpn's
 * --show-tls, the openssl command's "ciphers -s") under version bounds, SSL_OP_NO_TLSv1_3 and a
 * cipher list, client and server. Default lists differ between TLS libraries, so for them it
 * prints what the answer is made of (the suites per version, whether PSK suites stay, and that it
 * is SSL_get_ciphers in order with some left out); for a list both libraries know, the names of
 * its TLS 1.2 and older suites. An
 * ordinary OpenSSL program; the test holds its output under the shim against its output natively.
 *
 * usage: supported_ciphers_probe
 */
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

/* 1 when `part` is `whole` with some entries left out, in the same order. */
static int is_ordered_subset(STACK_OF(SSL_CIPHER) * part, STACK_OF(SSL_CIPHER) * whole) {
  int j = 0;
  for (int i = 0; i < sk_SSL_CIPHER_num(part); i++) {
    while (j < sk_SSL_CIPHER_num(whole) &&
           sk_SSL_CIPHER_value(whole, j) != sk_SSL_CIPHER_value(part, i)) {
      j++;
    }
    if (j == sk_SSL_CIPHER_num(whole)) return 0;
    j++;
  }
  return 1;
}

static void show(const char* what, SSL_CTX* ctx, int names) {
  SSL* ssl = SSL_new(ctx);
  STACK_OF(SSL_CIPHER)* supported = SSL_get1_supported_ciphers(ssl);
  printf("%s:", what);
  if (supported == NULL) {
    printf(" NULL\n");
    SSL_free(ssl);
    return;
  }
  if (names) {
    /* The TLS 1.3 suites counted: BoringSSL orders its three by the hardware, not as OpenSSL. */
    int tls13 = 0;
    for (int i = 0; i < sk_SSL_CIPHER_num(supported); i++) {
      const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(supported, i);
      if (strcmp(SSL_CIPHER_get_version(cipher), "TLSv1.3") == 0) {
        tls13++;
      } else {
        printf(" %s", SSL_CIPHER_get_name(cipher));
      }
    }
    printf(", TLS 1.3 suites %d", tls13);
  } else {
    int tls13 = 0, tls12 = 0, older = 0, psk = 0;
    for (int i = 0; i < sk_SSL_CIPHER_num(supported); i++) {
      const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(supported, i);
      const char* version = SSL_CIPHER_get_version(cipher);
      if (strcmp(version, "TLSv1.3") == 0) {
        tls13++;
      } else if (strcmp(version, "TLSv1.2") == 0) {
        tls12 = 1;
      } else {
        older = 1;
      }
      if (SSL_CIPHER_get_auth_nid(cipher) == NID_auth_psk) psk = 1;
    }
    printf(" TLS 1.3 suites %d, TLS 1.2 suites %d, older suites %d, PSK %d", tls13, tls12, older,
           psk);
  }
  printf("; in SSL_get_ciphers' order %d\n", is_ordered_subset(supported, SSL_get_ciphers(ssl)));
  sk_SSL_CIPHER_free(supported);
  SSL_free(ssl);
}

int main(void) {
  for (int server = 0; server < 2; server++) {
    printf("%s\n", server ? "server" : "client");
    SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    show("  default", ctx, 0);
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    show("  at most TLS 1.2", ctx, 0);
    SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
    show("  at most TLS 1.1", ctx, 0);
    SSL_CTX_set_max_proto_version(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    show("  at least TLS 1.3", ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, 0);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_3);
    show("  SSL_OP_NO_TLSv1_3", ctx, 0);
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TLSv1_3);
    SSL_CTX_set_cipher_list(ctx, "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:PSK-AES128-CBC-SHA");
    show("  a list with a PSK suite", ctx, 1);
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    show("  the list, at most TLS 1.2", ctx, 1);
    SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
    show("  the list, at most TLS 1.1", ctx, 1);
    SSL_CTX_free(ctx);
  }
  return 0;
}
