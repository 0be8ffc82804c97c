/* tls_app: the program under test of sslshim's end-to-end tests.
 *
 * An ordinary OpenSSL 3 program: it links -lssl -lcrypto and nothing else and knows nothing of the
 * shim. It runs one TLS session, writes SIZE bytes of a fixed pattern with SSL_write, reads back
 * the peer's SHA-256 of what arrived, shuts down, and prints one JSON line describing what it saw,
 * including which library its SSL_write resolved to (so a run shows whether it was native,
 * preloaded or served by the stand-in). Diagnostics go to stderr.
 *
 * usage: tls_app ROLE PROTO TRANSPORT SIZE ENDPOINT [options]
 *   ROLE       client | server
 *   PROTO      1.2 | 1.3                       (set as both minimum and maximum version)
 *   TRANSPORT  blocking | nonblocking | biopair
 *   SIZE       payload bytes
 *   ENDPOINT   fd number of an inherited connected socket, or host:port
 *   --cert FILE --key FILE   certificate chain and key (server)
 *   --ca FILE                CA to verify the server with, SSL_VERIFY_PEER (client)
 *   --handshake explicit|implicit
 *                            SSL_connect/SSL_accept first, or SSL_set_connect_state /
 *                            SSL_set_accept_state and let SSL_write negotiate
 *                            (default: explicit for a client, implicit for a server)
 *   --chunk N                bytes per SSL_write (default: SIZE, a single call)
 *   --foreign-ctx            make the SSL_CTX with SSL_CTX_new and TLS_method looked up by dlvsym
 *                            in the already loaded libssl.so.3: under LD_PRELOAD that is the real
 *                            libssl, so every later call gets an object the shim did not make
 *   --await-peer             read one byte from the peer (its request) before writing; with an
 *                            implicit handshake, that SSL_read negotiates
 *   --num-tickets N          SSL_CTX_set_num_tickets(N) (server)
 *   --request-cert           SSL_VERIFY_PEER on the server: it asks for a client certificate
 *                            (and accepts none)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls_common.h"

enum transport { kBlocking, kNonBlocking, kBioPair };

struct options {
  int is_server;
  const char* protocol;
  int tls_version;
  enum transport transport;
  const char* transport_name;
  size_t size;
  size_t chunk;
  const char* endpoint;
  const char *cert, *key, *ca;
  int implicit_handshake;
  int foreign_ctx;
  int await_peer;
  long num_tickets; /* -1: the library's default */
  int request_cert;
};

struct session {
  SSL* ssl;
  int fd;
  BIO* network; /* the BIO pair's network half (biopair transport), else NULL */
  /* SSL_write calls, and how many of them returned WANT_WRITE / WANT_READ (retried). */
  long ssl_write_calls, want_write_count, want_read_count;
};

#define fail(...) e2e_fail("tls_app", __VA_ARGS__)

static void usage(void) {
  fprintf(stderr,
          "usage: tls_app client|server 1.2|1.3 blocking|nonblocking|biopair SIZE FD|HOST:PORT\n"
          "       [--cert F --key F] [--ca F] [--handshake explicit|implicit] [--chunk N]\n"
          "       [--foreign-ctx] [--await-peer] [--num-tickets N] [--request-cert]\n");
  exit(2);
}

static size_t parse_size(const char* text) {
  char* end = NULL;
  unsigned long long v = strtoull(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v == 0 || v > (unsigned long long)INT_MAX) usage();
  return (size_t)v;
}

static void parse_options(int argc, char** argv, struct options* o) {
  if (argc < 6) usage();
  memset(o, 0, sizeof *o);
  if (strcmp(argv[1], "server") == 0) {
    o->is_server = 1;
  } else if (strcmp(argv[1], "client") != 0) {
    usage();
  }
  o->protocol = argv[2];
  o->tls_version = e2e_parse_tls_version(argv[2]);
  if (o->tls_version == 0) usage();
  o->transport_name = argv[3];
  if (strcmp(argv[3], "blocking") == 0) {
    o->transport = kBlocking;
  } else if (strcmp(argv[3], "nonblocking") == 0) {
    o->transport = kNonBlocking;
  } else if (strcmp(argv[3], "biopair") == 0) {
    o->transport = kBioPair;
  } else {
    usage();
  }
  o->size = parse_size(argv[4]);
  o->chunk = o->size;
  o->endpoint = argv[5];
  o->implicit_handshake = o->is_server;
  o->num_tickets = -1;
  for (int i = 6; i < argc; i++) {
    const char* arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(arg, "--foreign-ctx") == 0) {
      o->foreign_ctx = 1;
      continue;
    }
    if (strcmp(arg, "--await-peer") == 0) {
      o->await_peer = 1;
      continue;
    }
    if (strcmp(arg, "--request-cert") == 0) {
      o->request_cert = 1;
      continue;
    }
    if (value == NULL) usage();
    i++;
    if (strcmp(arg, "--cert") == 0) {
      o->cert = value;
    } else if (strcmp(arg, "--key") == 0) {
      o->key = value;
    } else if (strcmp(arg, "--ca") == 0) {
      o->ca = value;
    } else if (strcmp(arg, "--num-tickets") == 0) {
      o->num_tickets = atol(value);
    } else if (strcmp(arg, "--chunk") == 0) {
      o->chunk = parse_size(value);
    } else if (strcmp(arg, "--handshake") == 0) {
      if (strcmp(value, "implicit") == 0) {
        o->implicit_handshake = 1;
      } else if (strcmp(value, "explicit") == 0) {
        o->implicit_handshake = 0;
      } else {
        usage();
      }
    } else {
      usage();
    }
  }
  if (o->is_server ? (o->cert == NULL || o->key == NULL) : o->ca == NULL) usage();
}

/* The canonical path of the object that holds addr (dladdr), so the harness can compare it. */
static void library_of(const void* addr, char* out, size_t len) {
  Dl_info info;
  if (dladdr(addr, &info) == 0 || info.dli_fname == NULL) {
    snprintf(out, len, "?");
    return;
  }
  if (realpath(info.dli_fname, out) == NULL) snprintf(out, len, "%s", info.dli_fname);
}

/* Every loaded object whose name mentions libssl or sslshim, canonical paths joined by ':'. */
static int collect_ssl_objects(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  char* list = data;
  if (info->dlpi_name == NULL ||
      (strstr(info->dlpi_name, "libssl") == NULL && strstr(info->dlpi_name, "sslshim") == NULL)) {
    return 0;
  }
  char path[PATH_MAX];
  if (realpath(info->dlpi_name, path) == NULL) snprintf(path, sizeof path, "%s", info->dlpi_name);
  size_t used = strlen(list);
  snprintf(list + used, PATH_MAX * 4 - used, "%s%s", used == 0 ? "" : ":", path);
  return 0;
}

typedef SSL_CTX* (*ssl_ctx_new_fn)(const SSL_METHOD*);
typedef const SSL_METHOD* (*ssl_method_fn)(void);

/* Makes the SSL_CTX; *ctx_new_used gets the SSL_CTX_new that made it (for the report). */
static SSL_CTX* make_ctx(const struct options* o, const void** ctx_new_used) {
  if (!o->foreign_ctx) {
    *ctx_new_used = (const void*)&SSL_CTX_new;
    return SSL_CTX_new(o->is_server ? TLS_server_method() : TLS_client_method());
  }
  void* libssl = dlopen("libssl.so.3", RTLD_NOLOAD | RTLD_NOW);
  if (libssl == NULL) {
    fail("dlopen(libssl.so.3, RTLD_NOLOAD): %s", dlerror());
    return NULL;
  }
  ssl_ctx_new_fn ctx_new = (ssl_ctx_new_fn)dlvsym(libssl, "SSL_CTX_new", "OPENSSL_3.0.0");
  ssl_method_fn method = (ssl_method_fn)dlvsym(libssl, "TLS_method", "OPENSSL_3.0.0");
  dlclose(libssl); /* RTLD_NOLOAD took a reference on an object the program keeps loaded anyway */
  if (ctx_new == NULL || method == NULL) {
    fail("dlvsym(SSL_CTX_new/TLS_method, OPENSSL_3.0.0) in libssl.so.3 failed");
    return NULL;
  }
  *ctx_new_used = (const void*)ctx_new;
  return ctx_new(method());
}

static int configure_ctx(SSL_CTX* ctx, const struct options* o) {
  if (SSL_CTX_set_min_proto_version(ctx, o->tls_version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, o->tls_version) != 1) {
    fail("SSL_CTX_set_min/max_proto_version(%s) failed", o->protocol);
    return -1;
  }
  if (o->is_server) {
    if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1) {
      fail("SSL_CTX_use_certificate_chain_file(%s) failed", o->cert);
      return -1;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1) {
      fail("SSL_CTX_use_PrivateKey_file(%s) failed", o->key);
      return -1;
    }
    if (o->num_tickets >= 0 && SSL_CTX_set_num_tickets(ctx, (size_t)o->num_tickets) != 1) {
      fail("SSL_CTX_set_num_tickets(%ld) failed", o->num_tickets);
      return -1;
    }
    if (o->request_cert) SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return 0;
  }
  if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
    fail("SSL_CTX_load_verify_locations(%s) failed", o->ca);
    return -1;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  return 0;
}

/* BIO pair transport: moves every ciphertext byte the SSL produced from the pair to the socket. */
static int flush_network(struct session* s) {
  unsigned char buf[16384];
  size_t pending;
  while ((pending = BIO_ctrl_pending(s->network)) > 0) {
    int n = BIO_read(s->network, buf, (int)(pending < sizeof buf ? pending : sizeof buf));
    if (n <= 0) {
      fail("BIO_read on the pair's network side returned %d with %zu pending", n, pending);
      return -1;
    }
    if (e2e_write_all_fd(s->fd, buf, (size_t)n) != 0) {
      fail("writing %d bytes of the pair's ciphertext to the socket: %s", n, strerror(errno));
      return -1;
    }
  }
  return 0;
}

/* BIO pair transport: waits for ciphertext on the socket and hands it to the pair. */
static int feed_network(struct session* s) {
  unsigned char buf[16384];
  size_t room = BIO_ctrl_get_write_guarantee(s->network);
  if (room == 0) {
    fail("SSL wants to read but the BIO pair's inbound buffer is full");
    return -1;
  }
  if (e2e_wait_fd(s->fd, POLLIN) != 0) {
    fail("timed out waiting for the peer's data");
    return -1;
  }
  ssize_t n = read(s->fd, buf, room < sizeof buf ? room : sizeof buf);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return 0;
    fail("read from socket: %s", strerror(errno));
    return -1;
  }
  if (n == 0) {
    BIO_shutdown_wr(s->network); /* the SSL sees EOF once it has read what is buffered */
    return 0;
  }
  if (BIO_write(s->network, buf, (int)n) != n) {
    fail("BIO_write of %zd bytes into the pair failed", n);
    return -1;
  }
  return 0;
}

/* After an SSL call returned WANT_READ/WANT_WRITE: waits (or pumps) until a retry can progress. */
static int wait_for_progress(struct session* s, int ssl_error) {
  if (s->network != NULL) {
    if (flush_network(s) != 0) return -1;
    return ssl_error == SSL_ERROR_WANT_READ ? feed_network(s) : 0;
  }
  if (e2e_wait_fd(s->fd, ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT) != 0) {
    fail("timed out waiting for the socket (%s)",
         ssl_error == SSL_ERROR_WANT_READ ? "WANT_READ" : "WANT_WRITE");
    return -1;
  }
  return 0;
}

typedef int (*ssl_op)(SSL* ssl, void* arg);

/* Runs op, retrying on WANT_READ/WANT_WRITE, until it returns > 0 or fails otherwise. Returns op's
 * last return value and its SSL_get_error in *ssl_error. */
static int run_op(struct session* s, ssl_op op, void* arg, int* ssl_error) {
  for (;;) {
    int ret = op(s->ssl, arg);
    *ssl_error = ret > 0 ? SSL_ERROR_NONE : SSL_get_error(s->ssl, ret);
    if (s->network != NULL && flush_network(s) != 0) return -1;
    if (*ssl_error != SSL_ERROR_WANT_READ && *ssl_error != SSL_ERROR_WANT_WRITE) return ret;
    if (wait_for_progress(s, *ssl_error) != 0) return -1;
  }
}

static int op_connect(SSL* ssl, void* arg) {
  (void)arg;
  return SSL_connect(ssl);
}
static int op_accept(SSL* ssl, void* arg) {
  (void)arg;
  return SSL_accept(ssl);
}
static int op_shutdown(SSL* ssl, void* arg) {
  (void)arg;
  return SSL_shutdown(ssl);
}
struct read_args {
  unsigned char* buf;
  int len;
};
static int op_read(SSL* ssl, void* arg) {
  struct read_args* r = arg;
  return SSL_read(ssl, r->buf, r->len);
}

/* Writes the payload in chunks; a retry after WANT_READ/WANT_WRITE repeats the same arguments, as
 * SSL_write(3) requires. Without SSL_MODE_ENABLE_PARTIAL_WRITE every success must be the whole
 * chunk, so a shorter positive return is a failure. */
static long long write_payload(struct session* s, const unsigned char* data, size_t size,
                               size_t chunk) {
  size_t done = 0;
  while (done < size) {
    int num = (int)(size - done < chunk ? size - done : chunk);
    for (;;) {
      s->ssl_write_calls++;
      int ret = SSL_write(s->ssl, data + done, num);
      int err = ret > 0 ? SSL_ERROR_NONE : SSL_get_error(s->ssl, ret);
      if (s->network != NULL && flush_network(s) != 0) return -1;
      if (ret > 0) {
        if (ret != num) {
          fail("SSL_write(num=%d) returned %d without SSL_MODE_ENABLE_PARTIAL_WRITE", num, ret);
          return -1;
        }
        done += (size_t)ret;
        break;
      }
      if (err == SSL_ERROR_WANT_WRITE) {
        s->want_write_count++;
      } else if (err == SSL_ERROR_WANT_READ) {
        s->want_read_count++;
      } else {
        fail("SSL_write(num=%d) after %zu bytes returned %d, SSL_get_error %d, errno %d (%s)", num,
             done, ret, err, errno, strerror(errno));
        return -1;
      }
      if (wait_for_progress(s, err) != 0) return -1;
    }
  }
  return (long long)done;
}

/* Reads exactly len bytes (the peer's digest, or its one-byte request). */
static int read_exact(struct session* s, unsigned char* buf, int len) {
  int got = 0;
  while (got < len) {
    struct read_args r = {buf + got, len - got};
    int err;
    int ret = run_op(s, op_read, &r, &err);
    if (ret <= 0) {
      fail("SSL_read after %d of %d bytes returned %d, SSL_get_error %d", got, len, ret, err);
      return -1;
    }
    got += ret;
  }
  return 0;
}

/* Sends close_notify, then reads until the peer's close_notify (SSL_ERROR_ZERO_RETURN). */
static int shutdown_both_ways(struct session* s) {
  int err;
  int ret = run_op(s, op_shutdown, NULL, &err);
  if (ret == 1) return 0;
  if (ret < 0) {
    fail("SSL_shutdown returned %d, SSL_get_error %d", ret, err);
    return -1;
  }
  unsigned char byte;
  struct read_args r = {&byte, 1};
  ret = run_op(s, op_read, &r, &err);
  if (ret == 0 && err == SSL_ERROR_ZERO_RETURN) return 0;
  fail("waiting for the peer's close_notify: SSL_read returned %d, SSL_get_error %d", ret, err);
  return -1;
}

static int attach_transport(struct session* s, const struct options* o) {
  if (o->transport == kBioPair) {
    BIO* internal = NULL;
    if (BIO_new_bio_pair(&internal, 0, &s->network, 0) != 1) {
      fail("BIO_new_bio_pair failed");
      return -1;
    }
    SSL_set_bio(s->ssl, internal, internal);
    return 0;
  }
  if (o->transport == kNonBlocking) {
    int flags = fcntl(s->fd, F_GETFL);
    if (flags < 0 || fcntl(s->fd, F_SETFL, flags | O_NONBLOCK) != 0) {
      fail("fcntl(O_NONBLOCK): %s", strerror(errno));
      return -1;
    }
  }
  if (SSL_set_fd(s->ssl, s->fd) != 1) {
    fail("SSL_set_fd failed");
    return -1;
  }
  return 0;
}

static int handshake(struct session* s, const struct options* o) {
  if (o->implicit_handshake) {
    /* SSL_write negotiates (SSL_write(3): "If necessary, SSL_write() will negotiate"). */
    if (o->is_server) {
      SSL_set_accept_state(s->ssl);
    } else {
      SSL_set_connect_state(s->ssl);
    }
    return 0;
  }
  int err;
  int ret = run_op(s, o->is_server ? op_accept : op_connect, NULL, &err);
  if (ret != 1) {
    fail("%s returned %d, SSL_get_error %d", o->is_server ? "SSL_accept" : "SSL_connect", ret, err);
    return -1;
  }
  return 0;
}

struct report {
  long long bytes_written;
  char sha256[E2E_SHA256_HEX_LEN + 1];
  char peer_sha256[E2E_SHA256_HEX_LEN + 1];
  char version[32];
  char cipher[128];
  long verify_result;
  int peer_close_notify;
  const void* ctx_new_used;
};

static void print_report(const struct options* o, const struct session* s, const struct report* r) {
  char write_lib[PATH_MAX], ctx_new_lib[PATH_MAX], ssl_objects[PATH_MAX * 4] = "";
  library_of((const void*)&SSL_write, write_lib, sizeof write_lib);
  if (r->ctx_new_used != NULL) {
    library_of(r->ctx_new_used, ctx_new_lib, sizeof ctx_new_lib);
  } else {
    snprintf(ctx_new_lib, sizeof ctx_new_lib, "?");
  }
  dl_iterate_phdr(collect_ssl_objects, ssl_objects);

  FILE* out = stdout;
  e2e_json_begin(out);
  e2e_json_bool(out, "ok", e2e_error[0] == '\0');
  e2e_json_str(out, "error", e2e_error);
  e2e_json_str(out, "role", o->is_server ? "server" : "client");
  e2e_json_str(out, "protocol", o->protocol);
  e2e_json_str(out, "transport", o->transport_name);
  e2e_json_str(out, "handshake", o->implicit_handshake ? "implicit" : "explicit");
  e2e_json_bool(out, "foreign_ctx", o->foreign_ctx);
  e2e_json_long(out, "bytes_requested", (long long)o->size);
  e2e_json_long(out, "bytes_written", r->bytes_written);
  e2e_json_str(out, "sha256", r->sha256);
  e2e_json_str(out, "peer_sha256", r->peer_sha256);
  e2e_json_bool(out, "digest_match",
                r->sha256[0] != '\0' && strcmp(r->sha256, r->peer_sha256) == 0);
  e2e_json_str(out, "version", r->version);
  e2e_json_str(out, "cipher", r->cipher);
  e2e_json_long(out, "verify_result", r->verify_result);
  e2e_json_bool(out, "peer_close_notify", r->peer_close_notify);
  e2e_json_long(out, "ssl_write_calls", s->ssl_write_calls);
  e2e_json_long(out, "want_write_count", s->want_write_count);
  e2e_json_long(out, "want_read_count", s->want_read_count);
  e2e_json_str(out, "ssl_write_lib", write_lib);
  e2e_json_str(out, "ssl_ctx_new_lib", ctx_new_lib);
  e2e_json_str(out, "loaded_ssl_objects", ssl_objects);
  e2e_json_end(out);
}

/* The session itself; fills r as far as it gets. Returns 0 on success. */
static int run_session(const struct options* o, struct session* s, struct report* r) {
  char err[256] = "";
  s->fd = e2e_open_endpoint(o->endpoint, o->is_server, err, sizeof err);
  if (s->fd < 0) {
    fail("%s", err);
    return -1;
  }
  SSL_CTX* ctx = make_ctx(o, &r->ctx_new_used);
  if (ctx == NULL) {
    fail("SSL_CTX_new failed");
    return -1;
  }
  int rc = -1;
  if (configure_ctx(ctx, o) != 0) goto out_ctx;
  s->ssl = SSL_new(ctx);
  if (s->ssl == NULL) {
    fail("SSL_new failed");
    goto out_ctx;
  }
  if (attach_transport(s, o) != 0 || handshake(s, o) != 0) goto out_ssl;
  unsigned char request;
  if (o->await_peer && read_exact(s, &request, 1) != 0) goto out_ssl;

  unsigned char* payload = malloc(o->size);
  if (payload == NULL) {
    fail("out of memory");
    goto out_ssl;
  }
  e2e_fill_pattern(payload, o->size);
  unsigned char digest[32];
  EVP_Digest(payload, o->size, digest, NULL, EVP_sha256(), NULL);
  e2e_hex(digest, sizeof digest, r->sha256);
  r->bytes_written = write_payload(s, payload, o->size, o->chunk);
  free(payload);
  if (r->bytes_written < 0) goto out_ssl;

  unsigned char peer_digest[32];
  if (read_exact(s, peer_digest, sizeof peer_digest) != 0) goto out_ssl;
  e2e_hex(peer_digest, sizeof peer_digest, r->peer_sha256);
  snprintf(r->version, sizeof r->version, "%s", SSL_get_version(s->ssl));
  snprintf(r->cipher, sizeof r->cipher, "%s", SSL_CIPHER_get_name(SSL_get_current_cipher(s->ssl)));
  if (shutdown_both_ways(s) != 0) goto out_ssl;
  r->peer_close_notify = 1;
  if (strcmp(r->sha256, r->peer_sha256) != 0) {
    fail("the peer's SHA-256 %s differs from what was written (%s)", r->peer_sha256, r->sha256);
    goto out_ssl;
  }
  rc = 0;
out_ssl:
  /* Also after a failed handshake: it says why the peer's certificate was refused. */
  r->verify_result = SSL_get_verify_result(s->ssl);
  SSL_free(s->ssl); /* frees the pair's internal half with it */
  s->ssl = NULL;
  BIO_free(s->network);
out_ctx:
  SSL_CTX_free(ctx);
  close(s->fd);
  return rc;
}

int main(int argc, char** argv) {
  struct options o;
  parse_options(argc, argv, &o);
  signal(SIGPIPE, SIG_IGN); /* report a reset peer as an error instead of dying silently */
  alarm(30);                /* a last resort: the harness kills us much earlier */

  struct session s = {.fd = -1};
  struct report r = {.verify_result = -1};
  int rc = run_session(&o, &s, &r);
  print_report(&o, &s, &r);
  return rc == 0 ? 0 : 1;
}
