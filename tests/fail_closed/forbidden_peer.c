/* forbidden_peer: the other end of sslshim's fail-closed tests. Plain OpenSSL, never preloaded,
 * blocking I/O over an inherited socket. It speaks only what its options allow (a version, a
 * cipher suite, a group, a certificate), runs one handshake, sends or reads one byte, and prints
 * one JSON line: {"handshake":0|1, "version":"...", "peer_stack":"openssl|boringssl|unknown"}.
 *
 * peer_stack is evidence of who built the other side's ClientHello (when this peer is the
 * server): OpenSSL 3 offers x448 (group 0x001e) in supported_groups, BoringSSL never does.
 *
 * usage: forbidden_peer client|server FD [--cert F --key F] [--ca F] [--version 1.1|1.2|1.3]
 *        [--cipher LIST] [--suites LIST] [--groups LIST] [--sigalgs LIST] [--seclevel N]
 *        [--request-cert]
 * Options apply in order: a --seclevel that --cipher or --version needs goes first.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char* g_peer_stack = "unknown";

static int read_client_hello(SSL* ssl, int* alert, void* arg) {
  (void)alert, (void)arg;
  const unsigned char* ext = NULL;
  size_t len = 0;
  if (SSL_client_hello_get0_ext(ssl, 10 /* supported_groups */, &ext, &len) && len >= 2) {
    g_peer_stack = "boringssl";
    for (size_t i = 2; i + 1 < len; i += 2) {
      if (ext[i] == 0x00 && ext[i + 1] == 0x1e) g_peer_stack = "openssl";
    }
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

static int version_number(const char* v) {
  if (strcmp(v, "1.1") == 0) return TLS1_1_VERSION;
  if (strcmp(v, "1.2") == 0) return TLS1_2_VERSION;
  if (strcmp(v, "1.3") == 0) return TLS1_3_VERSION;
  return -1;
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN); /* the other side may close first; write errors are reported */
  if (argc < 3) {
    fprintf(stderr, "usage: forbidden_peer client|server FD [options]\n");
    return 2;
  }
  const int server = strcmp(argv[1], "server") == 0;
  const int fd = atoi(argv[2]);
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  if (ctx == NULL) return 1;
  const char *cert = NULL, *key = NULL;
  for (int i = 3; i < argc; i++) {
    const char* opt = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : NULL;
    int ok = value != NULL;
    if (strcmp(opt, "--request-cert") == 0) {
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
      continue;
    }
    if (!ok) {
      fprintf(stderr, "forbidden_peer: %s needs a value\n", opt);
      return 2;
    }
    i++;
    if (strcmp(opt, "--cert") == 0) {
      cert = value;
    } else if (strcmp(opt, "--key") == 0) {
      key = value;
    } else if (strcmp(opt, "--ca") == 0) {
      ok = SSL_CTX_load_verify_locations(ctx, value, NULL) == 1;
    } else if (strcmp(opt, "--version") == 0) {
      int v = version_number(value);
      ok = v > 0 && SSL_CTX_set_min_proto_version(ctx, v) && SSL_CTX_set_max_proto_version(ctx, v);
    } else if (strcmp(opt, "--cipher") == 0) {
      ok = SSL_CTX_set_cipher_list(ctx, value) == 1;
    } else if (strcmp(opt, "--suites") == 0) {
      ok = SSL_CTX_set_ciphersuites(ctx, value) == 1;
    } else if (strcmp(opt, "--sigalgs") == 0) {
      ok = SSL_CTX_set1_sigalgs_list(ctx, value) == 1;
    } else if (strcmp(opt, "--groups") == 0) {
      ok = SSL_CTX_set1_groups_list(ctx, value) == 1;
    } else if (strcmp(opt, "--seclevel") == 0) {
      SSL_CTX_set_security_level(ctx, atoi(value));
    } else {
      fprintf(stderr, "forbidden_peer: unknown option %s\n", opt);
      return 2;
    }
    if (!ok) {
      fprintf(stderr, "forbidden_peer: %s %s refused\n", opt, value);
      ERR_print_errors_fp(stderr);
      return 2;
    }
  }
  if (cert != NULL && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
                       SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
    ERR_print_errors_fp(stderr);
    return 2;
  }
  if (server) SSL_CTX_set_client_hello_cb(ctx, read_client_hello, NULL);
  SSL* ssl = SSL_new(ctx);
  if (ssl == NULL) return 1;
  SSL_set_fd(ssl, fd);
  int ret = server ? SSL_accept(ssl) : SSL_connect(ssl);
  if (ret == 1) {
    char byte = 0;
    if (server) {
      SSL_write(ssl, "k", 1);
    } else {
      SSL_read(ssl, &byte, 1);
    }
    SSL_shutdown(ssl);
  } else {
    ERR_print_errors_fp(stderr);
  }
  printf("{\"handshake\":%d,\"version\":\"%s\",\"peer_stack\":\"%s\"}\n", ret == 1,
         ret == 1 ? SSL_get_version(ssl) : "", g_peer_stack);
  fflush(stdout);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return 0;
}
