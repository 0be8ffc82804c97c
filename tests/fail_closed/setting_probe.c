/* setting_probe: the program under test of sslshim's fail-closed tests.
 *
 * An ordinary OpenSSL 3 program (it links -lssl -lcrypto and knows nothing of the shim). It makes
 * a context, applies ONE security setting by name, the way programs do, ignoring the setter's
 * answer (it only reports it), and runs a handshake over an inherited socket with a peer that
 * speaks only what the setting forbids. It prints one JSON line:
 *   {"setting":..., "setter":N, "handshake":0|1, "ssl_error":N, "reason":"...",
 *    "version":"...", "libssl":"<file that served SSL_CTX_new>"}
 *
 * usage: setting_probe client|server FD SETTING [--cert F --key F] [--ca F] [--verify]
 *   --ca F     trust F (client: the server's CA; server: the client's)
 *   --verify   SSL_VERIFY_PEER before the setting (the settings that narrow verification need it)
 * SETTING is one of the names in kSettings below, or "none" (the control: no setting).
 */
#define _GNU_SOURCE
/* TLSv1_2_method is deprecated, and still how programs pin a context's version. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A name unlikely to match any test certificate's names. */
#define WRONG_HOST "wrong-host.invalid"

static int always_refuse(const SSL* s, const SSL_CTX* ctx, int op, int bits, int nid, void* other,
                         void* ex) {
  (void)s, (void)ctx, (void)op, (void)bits, (void)nid, (void)other, (void)ex;
  return 0;
}

/* A client's OCSP check that insists on a stapled response (as "must staple" policies do). */
static int require_staple(SSL* ssl, void* arg) {
  (void)arg;
  const unsigned char* response = NULL;
  return SSL_get_tlsext_status_ocsp_resp(ssl, &response) > 0 ? 1 : 0;
}

static X509_VERIFY_PARAM* param_with_wrong_host(void) {
  X509_VERIFY_PARAM* p = X509_VERIFY_PARAM_new();
  if (p != NULL) X509_VERIFY_PARAM_set1_host(p, WRONG_HOST, 0);
  return p;
}

static long dane_with_wrong_tlsa(SSL* ssl) {
  /* A DANE-EE(3) SPKI(1) SHA-256(1) record that matches no key: OpenSSL fails verification. */
  static const unsigned char digest[32] = {1};
  SSL_CTX_dane_enable(SSL_get_SSL_CTX(ssl)); /* unchecked, as the rest */
  long r = SSL_dane_enable(ssl, "localhost");
  long added = SSL_dane_tlsa_add(ssl, 3, 1, 1, digest, sizeof digest);
  return r > 0 ? added : r;
}

/* Each setting restricts what the connection accepts; "ctx_" ones are set on the context before
 * SSL_new, "ssl_" ones on the connection. */
static long apply(const char* name, SSL_CTX* ctx, SSL* ssl) {
  const int on_ctx = ssl == NULL;
#define CTX_SETTING(n, expr) \
  if (on_ctx && strcmp(name, "ctx_" n) == 0) return (long)(expr);
#define SSL_SETTING(n, expr) \
  if (!on_ctx && strcmp(name, "ssl_" n) == 0) return (long)(expr);
  /* Protocol versions */
  CTX_SETTING("min_tls1_3", SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION))
  SSL_SETTING("min_tls1_3", SSL_set_min_proto_version(ssl, TLS1_3_VERSION))
  CTX_SETTING("max_tls1_2", SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION))
  SSL_SETTING("max_tls1_2", SSL_set_max_proto_version(ssl, TLS1_2_VERSION))
  CTX_SETTING("no_tls1_2", SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_2))
  SSL_SETTING("no_tls1_2", SSL_set_options(ssl, SSL_OP_NO_TLSv1_2))
  CTX_SETTING("no_tls1_3", SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_3))
  SSL_SETTING("no_tls1_3", SSL_set_options(ssl, SSL_OP_NO_TLSv1_3))
  CTX_SETTING("ssl_version_tls1_2", SSL_CTX_set_ssl_version(ctx, TLSv1_2_method()))
  /* Cipher suites, groups, signature algorithms */
  CTX_SETTING("cipher_list", SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES256-GCM-SHA384"))
  SSL_SETTING("cipher_list", SSL_set_cipher_list(ssl, "ECDHE-ECDSA-AES256-GCM-SHA384"))
  CTX_SETTING("ciphersuites", SSL_CTX_set_ciphersuites(ctx, "TLS_AES_256_GCM_SHA384"))
  SSL_SETTING("ciphersuites", SSL_set_ciphersuites(ssl, "TLS_AES_256_GCM_SHA384"))
  CTX_SETTING("groups_list", SSL_CTX_set1_groups_list(ctx, "P-384"))
  SSL_SETTING("groups_list", SSL_set1_groups_list(ssl, "P-384"))
  CTX_SETTING("groups_x448", SSL_CTX_set1_groups_list(ctx, "X448"))
  CTX_SETTING("sigalgs", SSL_CTX_set1_sigalgs_list(ctx, "RSA-PSS+SHA512"))
  SSL_SETTING("sigalgs", SSL_set1_sigalgs_list(ssl, "RSA-PSS+SHA512"))
  /* Security level */
  CTX_SETTING("seclevel_1", (SSL_CTX_set_security_level(ctx, 1), 1))
  CTX_SETTING("seclevel_3", (SSL_CTX_set_security_level(ctx, 3), 1))
  SSL_SETTING("seclevel_3", (SSL_set_security_level(ssl, 3), 1))
  CTX_SETTING("cipher_seclevel_3", SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=3"))
  /* Verification */
  CTX_SETTING("verify_peer", (SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL), 1))
  SSL_SETTING("verify_peer", (SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL), 1))
  CTX_SETTING("require_peer_cert",
              (SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL), 1))
  SSL_SETTING("require_peer_cert",
              (SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL), 1))
  CTX_SETTING("verify_depth_0", (SSL_CTX_set_verify_depth(ctx, 0), 1))
  SSL_SETTING("verify_depth_0", (SSL_set_verify_depth(ssl, 0), 1))
  SSL_SETTING("set1_host", SSL_set1_host(ssl, WRONG_HOST))
  SSL_SETTING("add1_host", SSL_add1_host(ssl, WRONG_HOST))
  SSL_SETTING("set1_host_ip", SSL_set1_host(ssl, "192.0.2.1"))
  CTX_SETTING("param_host", X509_VERIFY_PARAM_set1_host(SSL_CTX_get0_param(ctx), WRONG_HOST, 0))
  SSL_SETTING("param_host", X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), WRONG_HOST, 0))
  SSL_SETTING("param_ip", X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "192.0.2.1"))
  CTX_SETTING("set1_param", ({
                X509_VERIFY_PARAM* p = param_with_wrong_host();
                int r = SSL_CTX_set1_param(ctx, p);
                X509_VERIFY_PARAM_free(p);
                r;
              }))
  SSL_SETTING("set1_param", ({
                X509_VERIFY_PARAM* p = param_with_wrong_host();
                int r = SSL_set1_param(ssl, p);
                X509_VERIFY_PARAM_free(p);
                r;
              }))
  CTX_SETTING("purpose_client", SSL_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT))
  SSL_SETTING("purpose_client", SSL_set_purpose(ssl, X509_PURPOSE_SSL_CLIENT))
  /* The verify store replaces the context's store (which holds the CA) with an empty one. */
  CTX_SETTING("verify_store", SSL_CTX_set0_verify_cert_store(ctx, X509_STORE_new()))
  SSL_SETTING("verify_store", SSL_set0_verify_cert_store(ssl, X509_STORE_new()))
  /* Suite B: a P-256 server's RSA certificate is outside it. */
  CTX_SETTING("suiteb", SSL_CTX_set_cert_flags(ctx, SSL_CERT_FLAG_SUITEB_128_LOS))
  SSL_SETTING("suiteb", SSL_set_cert_flags(ssl, SSL_CERT_FLAG_SUITEB_128_LOS))
  CTX_SETTING("store_crl_check",
              X509_STORE_set_flags(SSL_CTX_get_cert_store(ctx), X509_V_FLAG_CRL_CHECK))
  /* Not served by sslshim (guarded): each must fail closed */
  SSL_SETTING("dane", dane_with_wrong_tlsa(ssl))
  CTX_SETTING("ct_strict", SSL_CTX_enable_ct(ctx, SSL_CT_VALIDATION_STRICT))
  SSL_SETTING("ct_strict", SSL_enable_ct(ssl, SSL_CT_VALIDATION_STRICT))
  CTX_SETTING("ocsp_required", (SSL_CTX_set_tlsext_status_type(ctx, TLSEXT_STATUSTYPE_ocsp),
                                SSL_CTX_set_tlsext_status_cb(ctx, require_staple)))
  CTX_SETTING("security_callback", (SSL_CTX_set_security_callback(ctx, always_refuse), 1))
  SSL_SETTING("security_callback", (SSL_set_security_callback(ssl, always_refuse), 1))
#undef CTX_SETTING
#undef SSL_SETTING
  return -2; /* not a setting for this stage */
}

static int known(const char* name) {
  static const char* const kPrefixes[] = {"ctx_", "ssl_"};
  if (strcmp(name, "none") == 0) return 1;
  for (size_t i = 0; i < 2; i++) {
    if (strncmp(name, kPrefixes[i], 4) == 0) return 1;
  }
  return 0;
}

static void json_string(const char* key, const char* value, int last) {
  printf("\"%s\":\"", key);
  for (const char* p = value != NULL ? value : ""; *p; p++) {
    if (*p == '"' || *p == '\\') putchar('\\');
    putchar(*p >= 0x20 ? *p : '?');
  }
  printf("\"%s", last ? "" : ",");
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN); /* the other side may close first; write errors are reported */
  if (argc < 4 || !known(argv[3])) {
    fprintf(stderr,
            "usage: setting_probe client|server FD SETTING [--cert F --key F] [--ca F] "
            "[--verify]\n");
    return 2;
  }
  const int server = strcmp(argv[1], "server") == 0;
  const int fd = atoi(argv[2]);
  const char* setting = argv[3];
  const char *cert = NULL, *key = NULL, *ca = NULL;
  int verify = 0;
  for (int i = 4; i < argc; i++) {
    if (strcmp(argv[i], "--verify") == 0) {
      verify = 1;
    } else if (i + 1 < argc && strcmp(argv[i], "--cert") == 0) {
      cert = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--key") == 0) {
      key = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--ca") == 0) {
      ca = argv[++i];
    } else {
      fprintf(stderr, "setting_probe: unknown option %s\n", argv[i]);
      return 2;
    }
  }

  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  if (ctx == NULL) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (cert != NULL && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
                       SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (ca != NULL && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (verify) SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);

  long setter = apply(setting, ctx, NULL);
  SSL* ssl = SSL_new(ctx);
  if (ssl == NULL) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (setter == -2) setter = apply(setting, ctx, ssl);
  if (setter == -2 && strcmp(setting, "none") != 0) {
    fprintf(stderr, "setting_probe: no setting named %s\n", setting);
    return 2;
  }
  ERR_clear_error(); /* as a program that does not check the setter would see it */
  SSL_set_fd(ssl, fd);
  if (!server) SSL_set_tlsext_host_name(ssl, "localhost");
  int ret = server ? SSL_accept(ssl) : SSL_connect(ssl);
  int ssl_error = ret == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, ret);
  char reason[256] = "";
  unsigned long err = ERR_peek_error();
  if (err != 0) ERR_error_string_n(err, reason, sizeof reason);
  if (ret != 1) ERR_print_errors_fp(stderr);
  if (ret == 1) {
    char byte = 0;
    if (server) {
      SSL_write(ssl, "ok", 2);
    } else {
      SSL_read(ssl, &byte, 1); /* the peer's byte: the session carried data */
    }
    SSL_shutdown(ssl);
  }

  Dl_info info;
  void* ctx_new = dlsym(RTLD_DEFAULT, "SSL_CTX_new");
  const char* lib = ctx_new != NULL && dladdr(ctx_new, &info) != 0 ? info.dli_fname : "";
  printf("{");
  json_string("setting", setting, 0);
  printf("\"setter\":%ld,\"handshake\":%d,\"ssl_error\":%d,", setter, ret == 1, ssl_error);
  json_string("reason", reason, 0);
  json_string("version", ret == 1 ? SSL_get_version(ssl) : "", 0);
  json_string("libssl", lib, 1);
  printf("}\n");
  fflush(stdout);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return 0;
}
