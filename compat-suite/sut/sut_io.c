/* The SUT's recorded libssl calls and its generic write loops. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../common/compat_common.h"
#include "sut.h"

/* Result of the last recorded call, kept because SSL_get_error must be read before the error
 * queue is drained into the report (afterwards it would answer differently). */
static int g_last_err = -1;
static uint64_t g_app_in = 0; /* application bytes SSL_read returned inside write loops */

/* Folding of identical consecutive WANT_* steps (a non-blocking retry loop can spin many times;
 * the report keeps the first and a count). */
static CompatJson g_last_step;
static int g_last_foldable = 0;
static long g_repeats = 0;

static void flush_repeats(void) {
  if (g_repeats == 0) return;
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "repeat");
  cj_int(&j, "count", g_repeats);
  cj_end_print(&j);
  g_repeats = 0;
}

void sut_record(Sut* s, const char* tag, const char* op, long num, long ret, int err_no) {
  int err = s->ssl != NULL ? SSL_get_error(s->ssl, (int)ret) : -1;
  g_last_err = err;
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "step");
  cj_str(&j, "tag", tag);
  cj_str(&j, "op", op);
  cj_int(&j, "num", num);
  cj_int(&j, "ret", ret);
  cj_int(&j, "err", err);
  cj_int(&j, "errno", ret > 0 ? 0 : err_no);
  cj_err_queue(&j, "queue");
  int foldable = (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE);
  if (foldable && g_last_foldable && strcmp(j.buf, g_last_step.buf) == 0) {
    g_repeats++;
    return;
  }
  flush_repeats();
  cj_end_print(&j);
  g_last_step = j;
  g_last_foldable = foldable;
}

SSL_CTX* sut_make_ctx(Sut* s) {
  SSL_CTX* ctx = SSL_CTX_new(s->is_server ? TLS_server_method() : TLS_client_method());
  if (ctx == NULL) return NULL;
  if (s->tls_version != 0) {
    SSL_CTX_set_min_proto_version(ctx, s->tls_version);
    SSL_CTX_set_max_proto_version(ctx, s->tls_version);
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  if (s->is_server) {
    if (SSL_CTX_use_certificate_file(ctx, s->cert_file, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, s->key_file, SSL_FILETYPE_PEM) != 1) {
      SSL_CTX_free(ctx);
      return NULL;
    }
  }
  s->ctx = ctx;
  return ctx;
}

SSL* sut_make_ssl(Sut* s, int with_fd, char state) {
  SSL* ssl = SSL_new(s->ctx);
  if (ssl == NULL) return NULL;
  if (with_fd && SSL_set_fd(ssl, s->fd) != 1) {
    SSL_free(ssl);
    return NULL;
  }
  if (state == 'r') state = s->is_server ? 'a' : 'c';
  if (state == 'c') SSL_set_connect_state(ssl);
  if (state == 'a') SSL_set_accept_state(ssl);
  s->ssl = ssl;
  return ssl;
}

int sut_handshake(Sut* s, const char* tag) {
  errno = 0;
  int ret = s->is_server ? SSL_accept(s->ssl) : SSL_connect(s->ssl);
  int e = errno;
  sut_record(s, tag, s->is_server ? "accept" : "connect", 0, ret, e);
  return ret;
}

void sut_set_sndbuf(Sut* s, int bytes) {
  setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

int sut_write(Sut* s, const char* tag, const void* buf, int num) {
  errno = 0;
  int ret = SSL_write(s->ssl, buf, num);
  int e = errno;
  sut_record(s, tag, "write", num, ret, e);
  if (ret > 0) s->written += (uint64_t)ret;
  return ret;
}

int sut_read(Sut* s, const char* tag, void* buf, int num) {
  errno = 0;
  int ret = SSL_read(s->ssl, buf, num);
  int e = errno;
  sut_record(s, tag, "read", num, ret, e);
  return ret;
}

int sut_shutdown(Sut* s, const char* tag) {
  errno = 0;
  int ret = SSL_shutdown(s->ssl);
  int e = errno;
  sut_record(s, tag, "shutdown", 0, ret, e);
  return ret;
}

/* Called when SSL_write asked for a read: take in what the peer sent (never blocking, so a write
 * that wrongly asks for a read cannot hang the case), then let the caller retry the write. */
static void satisfy_want_read(Sut* s) {
  unsigned char scratch[16384];
  int was_nonblocking = compat_is_nonblocking(s->fd);
  compat_set_nonblocking(s->fd, 1);
  int r = sut_read(s, "read_during_write", scratch, sizeof scratch);
  if (r > 0) g_app_in += (uint64_t)r;
  compat_set_nonblocking(s->fd, was_nonblocking);
  if (r <= 0 && g_last_err == SSL_ERROR_WANT_READ) {
    struct pollfd p = {s->fd, POLLIN, 0};
    poll(&p, 1, 100);
  }
}

long sut_write_all(Sut* s, const char* tag, const unsigned char* buf, int num, int partial) {
  long total = 0;
  long long deadline = compat_now_ms() + 8000;
  while (num > 0) {
    int r = sut_write(s, tag, buf, num);
    if (r > 0) {
      total += r;
      if (!partial || r >= num) return total;
      buf += r;
      num -= r;
      continue;
    }
    if (compat_now_ms() > deadline) {
      s->note = "write loop gave up after 8 s";
      return r;
    }
    if (g_last_err == SSL_ERROR_WANT_WRITE) {
      struct pollfd p = {s->fd, POLLOUT, 0};
      poll(&p, 1, 200);
    } else if (g_last_err == SSL_ERROR_WANT_READ) {
      satisfy_want_read(s);
    } else {
      return r;
    }
  }
  return total;
}

unsigned char* sut_stream_chunk(Sut* s, size_t n) {
  unsigned char* buf = malloc(n > 0 ? n : 1);
  if (buf != NULL) compat_stream_fill(buf, n, s->written);
  return buf;
}

static void put_library(CompatJson* j, const char* key, const void* addr) {
  Dl_info info;
  char resolved[PATH_MAX];
  const char* path = "";
  if (addr != NULL && dladdr(addr, &info) != 0 && info.dli_fname != NULL) {
    path = realpath(info.dli_fname, resolved) != NULL ? resolved : info.dli_fname;
  }
  cj_str(j, key, path);
}

void sut_summary(Sut* s) {
  flush_repeats();
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "summary");
  cj_int(&j, "written", (long long)s->written);
  cj_int(&j, "app_in", (long long)g_app_in);
  /* W01: where the program's call to SSL_write lands, through its own relocation and through
   * the dynamic linker with OpenSSL's symbol version. */
  int (*direct)(SSL*, const void*, int) = SSL_write;
  put_library(&j, "ssl_write_lib", (const void*)direct);
  put_library(&j, "ssl_write_versioned_lib", dlvsym(RTLD_DEFAULT, "SSL_write", "OPENSSL_3.0.0"));
  cj_str(&j, "libcrypto_version", OpenSSL_version(OPENSSL_VERSION));
  if (s->ssl != NULL) {
    cj_str(&j, "negotiated", SSL_get_version(s->ssl));
    const SSL_CIPHER* c = SSL_get_current_cipher(s->ssl);
    cj_str(&j, "cipher", c != NULL ? SSL_CIPHER_get_name(c) : "");
  }
  if (s->note != NULL) cj_str(&j, "note", s->note);
  cj_err_queue(&j, "leftover_queue");
  cj_end_print(&j);
}

int sut_last_error(void) { return g_last_err; }
