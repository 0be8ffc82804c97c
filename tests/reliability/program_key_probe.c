/* program_key_probe: a server whose RSA key (made here, with a self-signed certificate) carries the
 * program's own RSA_METHOD (as a key held by an ENGINE does), which counts the private-key
 * operations it is asked for and does them with OpenSSL's default method. Full handshakes over a
 * BIO pair: TLS 1.3, TLS 1.2 with ECDHE (a signature) and TLS 1.2 with the RSA key exchange (a
 * decryption). Prints, per handshake, whether it completed and how many operations went through the
 * program's method: natively OpenSSL signs with it; the shim must too, rather than with a copy of
 * the key. (Natively the RSA key exchange fails with such a key: OpenSSL 3 asks it for a padding
 * mode the legacy method lacks.)
 *
 * usage: program_key_probe
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* RSA_METHOD: how an ENGINE-style key is made */
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>

#include "probe_handshake.h"

static int private_ops;

static int counting_priv_enc(int flen, const unsigned char* from, unsigned char* to, RSA* rsa,
                             int padding) {
  private_ops++;
  return RSA_meth_get_priv_enc(RSA_PKCS1_OpenSSL())(flen, from, to, rsa, padding);
}

static int counting_priv_dec(int flen, const unsigned char* from, unsigned char* to, RSA* rsa,
                             int padding) {
  private_ops++;
  return RSA_meth_get_priv_dec(RSA_PKCS1_OpenSSL())(flen, from, to, rsa, padding);
}

int main(int argc, char** argv) {
  (void)argv;
  if (argc != 1) {
    fprintf(stderr, "usage: program_key_probe\n");
    return 2;
  }
  /* An RSA-2048 key and a self-signed certificate for it, made here. */
  RSA* rsa = RSA_new();
  BIGNUM* e = BN_new();
  X509* cert = X509_new();
  if (rsa == NULL || e == NULL || cert == NULL || !BN_set_word(e, RSA_F4) ||
      !RSA_generate_key_ex(rsa, 2048, e, NULL)) {
    fprintf(stderr, "cannot make the RSA key\n");
    return 1;
  }
  BN_free(e);
  RSA_METHOD* method = RSA_meth_dup(RSA_PKCS1_OpenSSL());
  EVP_PKEY* key = EVP_PKEY_new();
  if (rsa == NULL || method == NULL || key == NULL) {
    fprintf(stderr, "cannot read the RSA key\n");
    return 1;
  }
  RSA_meth_set_priv_enc(method, counting_priv_enc);
  RSA_meth_set_priv_dec(method, counting_priv_dec);
  RSA_set_method(rsa, method);
  EVP_PKEY_assign_RSA(key, rsa);
  X509_set_version(cert, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             (const unsigned char*)"localhost", -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  X509_set_pubkey(cert, key);
  if (!X509_sign(cert, key, EVP_sha256())) {
    fprintf(stderr, "cannot sign the certificate\n");
    return 1;
  }

  struct {
    const char* name;
    int version;
    const char* ciphers; /* TLS 1.2 only */
  } cases[] = {
      {"TLS 1.3", TLS1_3_VERSION, NULL},
      {"TLS 1.2, ECDHE-RSA", TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256"},
      {"TLS 1.2, RSA key exchange", TLS1_2_VERSION, "AES128-GCM-SHA256"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX* server_ctx = SSL_CTX_new(TLS_server_method());
    if (client_ctx == NULL || server_ctx == NULL ||
        SSL_CTX_use_certificate(server_ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey(server_ctx, key) != 1) {
      fprintf(stderr, "cannot set up the contexts\n");
      ERR_print_errors_fp(stderr);
      return 1;
    }
    SSL_CTX_set_min_proto_version(client_ctx, cases[i].version);
    SSL_CTX_set_max_proto_version(client_ctx, cases[i].version);
    if (cases[i].ciphers != NULL) SSL_CTX_set_cipher_list(client_ctx, cases[i].ciphers);
    SSL *client = NULL, *server = NULL;
    if (!connect_pair(client_ctx, server_ctx, &client, &server)) return 1;
    private_ops = 0;
    int ok = handshake_in_turn(client, server);
    printf("%s: handshake %s, private-key operations through the program's method: %d\n",
           cases[i].name, ok ? "done" : "failed", private_ops);
    ERR_clear_error();
    SSL_free(client);
    SSL_free(server);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  RSA_meth_free(method);
  return 0;
}
