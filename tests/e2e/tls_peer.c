/* tls_peer: the other end of sslshim's end-to-end tests. Plain OpenSSL, never preloaded (the
 * harness strips LD_PRELOAD, LD_LIBRARY_PATH and SSLSHIM_* from its environment), blocking I/O.
 *
 * usage: tls_peer client|server SIZE FD|HOST:PORT [--cert F --key F] [--ca F] [--delay-ms N]
 *                 [--count-tickets MS]
 *
 * It accepts TLS 1.2 and 1.3, so the version the program under test asked for is the one that is
 * negotiated. After the handshake it sleeps --delay-ms (so the other side's socket fills up and a
 * non-blocking SSL_write must see WANT_WRITE), reads exactly SIZE bytes, sends back their SHA-256
 * (32 raw bytes), waits for close_notify, sends its own, and prints one JSON line: bytes, sha256,
 * negotiated version and cipher, and evidence of which TLS implementation the other side runs.
 *
 * With --count-tickets (client), the server (tls_app --await-peer) writes nothing until asked:
 * after the handshake the peer reads for up to MS milliseconds, counting the NewSessionTicket
 * messages (and the records they came in) that the server sent with or right after its
 * handshake, then sends one byte, the request, and goes on as above.
 *
 * That evidence is what the other side put on the wire, which a program cannot fake by linking
 * differently:
 *  - as server, the ClientHello: its supported_groups (extension 10), cipher suites and extension
 *    types. OpenSSL 3.0 offers x25519, P-256, x448, P-521, P-384 and, for TLS 1.3, ffdhe2048..8192;
 *    BoringSSL offers only x25519, P-256, P-384 (kDefaultGroups in ssl/extensions.cc).
 *  - as client, the ServerHello's extension order (both libraries pick the same cipher and group
 *    from an OpenSSL client's offer, but each emits extensions in its own fixed order). TLS 1.3:
 *    OpenSSL writes supported_versions (43) before key_share (51), following its ext_defs table;
 *    BoringSSL writes key_share before supported_versions (tls13_server.cc, do_send_server_hello).
 *    TLS 1.2: OpenSSL writes renegotiation_info (65281) first and extended_master_secret (23) after
 *    it; BoringSSL's kExtensions table puts extended_master_secret before renegotiation_info.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tls_common.h"

#define MAX_LIST 256

struct u16_list {
  unsigned values[MAX_LIST];
  size_t count;
};

/* What the other side's hello showed (filled from callbacks during the handshake). */
struct evidence {
  struct u16_list client_hello_groups;
  struct u16_list client_hello_ciphers;
  struct u16_list client_hello_extensions;
  struct u16_list server_hello_extensions;
  unsigned server_hello_cipher;
  /* --count-tickets: while counting, NewSessionTicket messages and records read. */
  int counting;
  long tickets, ticket_records;
};

static struct evidence g_evidence;
#define fail(...) e2e_fail("tls_peer", __VA_ARGS__)

static void usage(void) {
  fprintf(stderr,
          "usage: tls_peer client|server SIZE FD|HOST:PORT [--cert F --key F] [--ca F]"
          " [--delay-ms N] [--count-tickets MS]\n");
  exit(2);
}

static void push(struct u16_list* list, unsigned value) {
  if (list->count < MAX_LIST) list->values[list->count++] = value;
}

static unsigned u16_at(const unsigned char* p) { return (unsigned)p[0] << 8 | p[1]; }

/* Server role: records the ClientHello before OpenSSL processes it. */
static int on_client_hello(SSL* ssl, int* alert, void* arg) {
  (void)alert;
  struct evidence* ev = arg;
  memset(&ev->client_hello_groups, 0, sizeof ev->client_hello_groups);
  memset(&ev->client_hello_ciphers, 0, sizeof ev->client_hello_ciphers);
  memset(&ev->client_hello_extensions, 0, sizeof ev->client_hello_extensions);

  const unsigned char* groups = NULL;
  size_t groups_len = 0;
  /* supported_groups: a u16 length, then u16 group ids. */
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_supported_groups, &groups, &groups_len) == 1 &&
      groups_len >= 2) {
    size_t list_len = u16_at(groups);
    for (size_t i = 2; i + 1 < groups_len && i < 2 + list_len; i += 2) {
      push(&ev->client_hello_groups, u16_at(groups + i));
    }
  }
  const unsigned char* ciphers = NULL;
  size_t ciphers_len = SSL_client_hello_get0_ciphers(ssl, &ciphers);
  for (size_t i = 0; i + 1 < ciphers_len; i += 2)
    push(&ev->client_hello_ciphers, u16_at(ciphers + i));

  int* types = NULL;
  size_t types_len = 0;
  if (SSL_client_hello_get1_extensions_present(ssl, &types, &types_len) == 1) {
    for (size_t i = 0; i < types_len; i++) push(&ev->client_hello_extensions, (unsigned)types[i]);
    OPENSSL_free(types);
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

/* Client role: records the ServerHello's cipher and extension types, in wire order. */
static void on_message(int write_p, int version, int content_type, const void* buf, size_t len,
                       SSL* ssl, void* arg) {
  (void)version;
  (void)ssl;
  struct evidence* ev = arg;
  const unsigned char* m = buf;
  if (ev->counting && !write_p) {
    if (content_type == SSL3_RT_HEADER) ev->ticket_records++;
    if (content_type == SSL3_RT_HANDSHAKE && len >= 1 && m[0] == SSL3_MT_NEWSESSION_TICKET) {
      ev->tickets++;
    }
  }
  if (write_p || content_type != SSL3_RT_HANDSHAKE || len < 4 || m[0] != SSL3_MT_SERVER_HELLO) {
    return;
  }
  memset(&ev->server_hello_extensions, 0, sizeof ev->server_hello_extensions);
  /* type(1) length(3) legacy_version(2) random(32) session_id(1+n) cipher(2) compression(1) */
  size_t off = 4 + 2 + 32;
  if (off >= len) return;
  off += 1 + m[off];
  if (off + 3 > len) return;
  ev->server_hello_cipher = u16_at(m + off);
  off += 3;
  if (off + 2 > len) return;
  size_t end = off + 2 + u16_at(m + off);
  off += 2;
  while (off + 4 <= end && end <= len) {
    push(&ev->server_hello_extensions, u16_at(m + off));
    off += 4 + u16_at(m + off + 2);
  }
}

struct options {
  int is_server;
  size_t size;
  const char* endpoint;
  const char *cert, *key, *ca;
  long delay_ms;
  long count_tickets_ms; /* 0: no ticket count, no request byte */
};

static void parse_options(int argc, char** argv, struct options* o) {
  if (argc < 4) usage();
  memset(o, 0, sizeof *o);
  if (strcmp(argv[1], "server") == 0) {
    o->is_server = 1;
  } else if (strcmp(argv[1], "client") != 0) {
    usage();
  }
  char* end = NULL;
  o->size = strtoull(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0') usage();
  o->endpoint = argv[3];
  for (int i = 4; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--cert") == 0) {
      o->cert = argv[i + 1];
    } else if (strcmp(argv[i], "--key") == 0) {
      o->key = argv[i + 1];
    } else if (strcmp(argv[i], "--ca") == 0) {
      o->ca = argv[i + 1];
    } else if (strcmp(argv[i], "--delay-ms") == 0) {
      o->delay_ms = atol(argv[i + 1]);
    } else if (strcmp(argv[i], "--count-tickets") == 0) {
      o->count_tickets_ms = atol(argv[i + 1]);
    } else {
      usage();
    }
  }
  if ((argc - 4) % 2 != 0) usage();
  if (o->is_server ? (o->cert == NULL || o->key == NULL) : o->ca == NULL) usage();
  if (o->count_tickets_ms < 0 || (o->count_tickets_ms > 0 && o->is_server)) usage();
}

static SSL_CTX* make_ctx(const struct options* o) {
  SSL_CTX* ctx = SSL_CTX_new(o->is_server ? TLS_server_method() : TLS_client_method());
  if (ctx == NULL) return NULL;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  if (o->is_server) {
    if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1) {
      fail("loading %s / %s failed", o->cert, o->key);
      SSL_CTX_free(ctx);
      return NULL;
    }
    SSL_CTX_set_client_hello_cb(ctx, on_client_hello, &g_evidence);
  } else {
    if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
      fail("loading CA %s failed", o->ca);
      SSL_CTX_free(ctx);
      return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  }
  return ctx;
}

struct result {
  long long bytes;
  char sha256[E2E_SHA256_HEX_LEN + 1];
  char version[32];
  char cipher[128];
  long negotiated_group_nid;
  int got_close_notify;
  long tickets_before_data, ticket_records_before_data; /* -1: not counted */
};

static long elapsed_ms(const struct timespec* since) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* --count-tickets: reads (non-blocking) what the server sends before it is asked for anything,
 * for up to o->count_tickets_ms, or until the tickets have stopped coming for a while; then sends
 * the one-byte request. Application data in this window is an error: the server must wait. */
static int count_tickets_then_request(SSL* ssl, int fd, const struct options* o, struct result* r) {
  const long kQuietMs = 300; /* a server's tickets come together, in one flight */
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    fail("fcntl(O_NONBLOCK) failed");
    return -1;
  }
  struct timespec start, last;
  clock_gettime(CLOCK_MONOTONIC, &start);
  last = start;
  g_evidence.counting = 1;
  int rc = 0;
  for (;;) {
    long before = g_evidence.tickets;
    unsigned char byte;
    int n = SSL_read(ssl, &byte, 1);
    int err = SSL_get_error(ssl, n);
    if (n > 0) {
      fail("the server sent application data before the request");
      rc = -1;
      break;
    }
    if (err != SSL_ERROR_WANT_READ) {
      fail("SSL_read while counting tickets returned %d, SSL_get_error %d", n, err);
      rc = -1;
      break;
    }
    if (g_evidence.tickets != before) clock_gettime(CLOCK_MONOTONIC, &last);
    long left = o->count_tickets_ms - elapsed_ms(&start);
    if (g_evidence.tickets > 0 && kQuietMs - elapsed_ms(&last) < left) {
      left = kQuietMs - elapsed_ms(&last);
    }
    if (left <= 0) break;
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, (int)left) == 0) break;
  }
  g_evidence.counting = 0;
  r->tickets_before_data = g_evidence.tickets;
  r->ticket_records_before_data = g_evidence.ticket_records;
  if (fcntl(fd, F_SETFL, flags) != 0) {
    fail("fcntl(blocking) failed");
    return -1;
  }
  if (rc != 0) return rc;
  if (SSL_write(ssl, "?", 1) != 1) {
    fail("SSL_write of the request failed");
    return -1;
  }
  return 0;
}

/* Reads exactly o->size bytes, hashing them, and answers with the digest. */
static int receive_and_answer(SSL* ssl, const struct options* o, struct result* r) {
  static unsigned char buf[65536];
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md, EVP_sha256(), NULL);
  while ((size_t)r->bytes < o->size) {
    size_t want = o->size - (size_t)r->bytes;
    int n = SSL_read(ssl, buf, (int)(want < sizeof buf ? want : sizeof buf));
    if (n <= 0) {
      fail("SSL_read after %lld of %zu bytes returned %d, SSL_get_error %d", r->bytes, o->size, n,
           SSL_get_error(ssl, n));
      EVP_MD_CTX_free(md);
      return -1;
    }
    EVP_DigestUpdate(md, buf, (size_t)n);
    r->bytes += n;
  }
  unsigned char digest[32];
  EVP_DigestFinal_ex(md, digest, NULL);
  EVP_MD_CTX_free(md);
  e2e_hex(digest, sizeof digest, r->sha256);
  int n = SSL_write(ssl, digest, sizeof digest);
  if (n != (int)sizeof digest) {
    fail("SSL_write of the digest returned %d, SSL_get_error %d", n, SSL_get_error(ssl, n));
    return -1;
  }
  return 0;
}

static int run(const struct options* o, struct result* r) {
  char err[256] = "";
  int fd = e2e_open_endpoint(o->endpoint, o->is_server, err, sizeof err);
  if (fd < 0) {
    fail("%s", err);
    return -1;
  }
  int rc = -1;
  SSL* ssl = NULL;
  SSL_CTX* ctx = make_ctx(o);
  if (ctx == NULL) {
    fail("SSL_CTX_new failed");
    goto out;
  }
  ssl = SSL_new(ctx);
  if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
    fail("SSL_new/SSL_set_fd failed");
    goto out;
  }
  if (!o->is_server) {
    SSL_set_msg_callback(ssl, on_message);
    SSL_set_msg_callback_arg(ssl, &g_evidence);
  }
  int hs = o->is_server ? SSL_accept(ssl) : SSL_connect(ssl);
  if (hs != 1) {
    fail("%s returned %d, SSL_get_error %d", o->is_server ? "SSL_accept" : "SSL_connect", hs,
         SSL_get_error(ssl, hs));
    goto out;
  }
  snprintf(r->version, sizeof r->version, "%s", SSL_get_version(ssl));
  snprintf(r->cipher, sizeof r->cipher, "%s", SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
  r->negotiated_group_nid = SSL_get_negotiated_group(ssl); /* a NID in OpenSSL 3.0 */
  if (o->count_tickets_ms > 0 && count_tickets_then_request(ssl, fd, o, r) != 0) goto out;
  if (o->delay_ms > 0) {
    struct timespec ts = {o->delay_ms / 1000, (o->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  if (receive_and_answer(ssl, o, r) != 0) goto out;

  unsigned char byte;
  int n = SSL_read(ssl, &byte, 1);
  int read_err = SSL_get_error(ssl, n);
  if (n != 0 || read_err != SSL_ERROR_ZERO_RETURN) {
    fail("expected close_notify, SSL_read returned %d, SSL_get_error %d", n, read_err);
    goto out;
  }
  r->got_close_notify = 1;
  n = SSL_shutdown(ssl);
  if (n != 1) {
    fail("SSL_shutdown after the peer's close_notify returned %d", n);
    goto out;
  }
  rc = 0;
out:
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return rc;
}

static void print_report(const struct options* o, const struct result* r) {
  const struct evidence* ev = &g_evidence;
  FILE* out = stdout;
  e2e_json_begin(out);
  e2e_json_bool(out, "ok", e2e_error[0] == '\0');
  e2e_json_str(out, "error", e2e_error);
  e2e_json_str(out, "role", o->is_server ? "server" : "client");
  e2e_json_long(out, "bytes", r->bytes);
  e2e_json_str(out, "sha256", r->sha256);
  e2e_json_str(out, "version", r->version);
  e2e_json_str(out, "cipher", r->cipher);
  e2e_json_long(out, "negotiated_group_nid", r->negotiated_group_nid);
  e2e_json_bool(out, "got_close_notify", r->got_close_notify);
  e2e_json_long(out, "tickets_before_data", r->tickets_before_data);
  e2e_json_long(out, "ticket_records_before_data", r->ticket_records_before_data);
  e2e_json_u16_array(out, "client_hello_groups", ev->client_hello_groups.values,
                     ev->client_hello_groups.count);
  e2e_json_u16_array(out, "client_hello_ciphers", ev->client_hello_ciphers.values,
                     ev->client_hello_ciphers.count);
  e2e_json_u16_array(out, "client_hello_extensions", ev->client_hello_extensions.values,
                     ev->client_hello_extensions.count);
  e2e_json_long(out, "server_hello_cipher", ev->server_hello_cipher);
  e2e_json_u16_array(out, "server_hello_extensions", ev->server_hello_extensions.values,
                     ev->server_hello_extensions.count);
  e2e_json_end(out);
}

int main(int argc, char** argv) {
  struct options o;
  parse_options(argc, argv, &o);
  signal(SIGPIPE, SIG_IGN);
  alarm(30); /* a last resort: the harness kills us much earlier */
  struct result r = {.tickets_before_data = -1, .ticket_records_before_data = -1};
  int rc = run(&o, &r);
  print_report(&o, &r);
  return rc == 0 ? 0 : 1;
}
