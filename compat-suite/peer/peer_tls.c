/* The peer's TLS machinery and its observation of the wire. */
#include <errno.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/compat_common.h"
#include "peer.h"

/* The handshake's and the final read's results, reported as steps. */
static CompatJson g_steps;
static int g_handshake_ok = 0;

static void step(Peer* p, const char* tag, long ret) {
  int err = p->ssl != NULL ? SSL_get_error(p->ssl, (int)ret) : -1;
  int e = errno;
  cj_open_obj(&g_steps, NULL);
  cj_str(&g_steps, "tag", tag);
  cj_int(&g_steps, "ret", ret);
  cj_int(&g_steps, "err", err);
  cj_int(&g_steps, "errno", ret > 0 ? 0 : e);
  cj_err_queue(&g_steps, "queue");
  cj_close_obj(&g_steps);
}

static void on_message(int write_p, int version, int content_type, const void* buf, size_t len,
                       SSL* ssl, void* arg) {
  Peer* p = arg;
  const unsigned char* b = buf;
  if (len == 0) return;
  if (!write_p && content_type == SSL3_RT_HEADER) {
    p->records_in++;
    if (SSL_version(ssl) != TLS1_3_VERSION && b[0] == SSL3_RT_APPLICATION_DATA) {
      p->app_records_in++;
    }
  } else if (!write_p && content_type == SSL3_RT_INNER_CONTENT_TYPE) {
    if (b[0] == SSL3_RT_APPLICATION_DATA) p->app_records_in++;
  } else if (content_type == SSL3_RT_ALERT && len >= 2) {
    if (write_p && p->alerts_out_count < 4) p->alerts_out[p->alerts_out_count++] = b[1];
    if (!write_p && p->alerts_in_count < 4) p->alerts_in[p->alerts_in_count++] = b[1];
  } else if (!write_p && content_type == SSL3_RT_HANDSHAKE && b[0] == SSL3_MT_KEY_UPDATE) {
    p->key_updates_in++;
  }
}

static long on_bio(BIO* b, int oper, const char* argp, size_t len, int argi, long argl, int ret,
                   size_t* processed) {
  Peer* p = (Peer*)BIO_get_callback_arg(b);
  if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && processed != NULL) {
    p->raw_in += *processed;
  }
  return ret;
}

/* Sees the ClientHello: proves which library made it (groups and ciphers differ between OpenSSL
 * and BoringSSL), counts renegotiations, and refuses the handshake when the script says so. */
static int on_client_hello(SSL* ssl, int* alert, void* arg) {
  Peer* p = arg;
  p->hellos++;
  if (p->hellos == 1) {
    const unsigned char* ciphers = NULL;
    p->hello_ciphers = (int)(SSL_client_hello_get0_ciphers(ssl, &ciphers) / 2);
    const unsigned char* ext = NULL;
    size_t ext_len = 0;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_supported_groups, &ext, &ext_len) &&
        ext_len >= 2) {
      for (size_t i = 2; i + 1 < ext_len && p->hello_group_count < 32; i += 2) {
        p->hello_groups[p->hello_group_count++] = (ext[i] << 8) | ext[i + 1];
      }
    }
  }
  if (strcmp(p->script, "reject_hello") == 0) {
    *alert = SSL_AD_HANDSHAKE_FAILURE;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

int peer_setup(Peer* p) {
  cj_begin(&g_steps); /* used only as an array builder: steps are copied into the report */
  g_steps.len = 0;
  g_steps.buf[0] = '\0';
  g_steps.first[0] = 1;
  struct timeval tv = {6, 0};
  setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(p->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  p->digest = EVP_MD_CTX_new();
  EVP_DigestInit_ex(p->digest, EVP_sha256(), NULL);
  p->ctx = SSL_CTX_new(p->is_server ? TLS_server_method() : TLS_client_method());
  if (p->ctx == NULL) return 0;
  if (p->tls_version != 0) {
    SSL_CTX_set_min_proto_version(p->ctx, p->tls_version);
    SSL_CTX_set_max_proto_version(p->ctx, p->tls_version);
  }
  SSL_CTX_set_verify(p->ctx, SSL_VERIFY_NONE, NULL);
  if (p->is_server) {
    if (SSL_CTX_use_certificate_file(p->ctx, p->cert_file, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(p->ctx, p->key_file, SSL_FILETYPE_PEM) != 1) {
      return 0;
    }
    SSL_CTX_set_client_hello_cb(p->ctx, on_client_hello, p);
  }
  p->ssl = SSL_new(p->ctx);
  if (p->ssl == NULL || SSL_set_fd(p->ssl, p->fd) != 1) return 0;
  SSL_set_msg_callback(p->ssl, on_message);
  SSL_set_msg_callback_arg(p->ssl, p);
  BIO_set_callback_ex(SSL_get_rbio(p->ssl), on_bio);
  BIO_set_callback_arg(SSL_get_rbio(p->ssl), (char*)p);
  return 1;
}

void peer_handshake(Peer* p) {
  errno = 0;
  int r = p->is_server ? SSL_accept(p->ssl) : SSL_connect(p->ssl);
  step(p, "handshake", r);
  g_handshake_ok = (r == 1);
}

int peer_handshake_ok(void) { return g_handshake_ok; }

static void take(Peer* p, const unsigned char* buf, int n) {
  for (int i = 0; i < n; i++) {
    if (p->stream_ok && buf[i] != compat_stream_byte(p->app_bytes + i)) {
      p->stream_ok = 0;
      p->first_mismatch = (int64_t)(p->app_bytes + i);
    }
  }
  EVP_DigestUpdate(p->digest, buf, (size_t)n);
  p->app_bytes += (uint64_t)n;
}

void peer_request_post_handshake(Peer* p) {
  int ok;
  if (SSL_version(p->ssl) == TLS1_3_VERSION) {
    ok = SSL_key_update(p->ssl, SSL_KEY_UPDATE_REQUESTED);
  } else {
    ok = SSL_renegotiate(p->ssl);
  }
  errno = 0;
  int r = ok ? SSL_do_handshake(p->ssl) : 0;
  step(p, "request", r);
  p->request_sent = ok && r == 1;
}

int peer_await_renegotiation(Peer* p) {
  unsigned char buf[16384];
  long long deadline = compat_now_ms() + 5000;
  compat_set_nonblocking(p->fd, 1);
  while (SSL_renegotiate_pending(p->ssl) && compat_now_ms() < deadline) {
    int r = SSL_read(p->ssl, buf, sizeof buf);
    if (r > 0) {
      take(p, buf, r);
      continue;
    }
    int err = SSL_get_error(p->ssl, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) break;
    struct pollfd pf = {p->fd, POLLIN, 0};
    poll(&pf, 1, 50);
  }
  compat_set_nonblocking(p->fd, 0);
  ERR_clear_error();
  return !SSL_renegotiate_pending(p->ssl);
}

/* Reads application data until EOF, close_notify or an error. request_after > 0: once that many
 * bytes have arrived, ask for a renegotiation / KeyUpdate (once) and keep reading. */
void peer_drain(Peer* p, int slow, uint64_t request_after) {
  unsigned char buf[16384];
  for (;;) {
    errno = 0;
    int r = SSL_read(p->ssl, buf, slow ? 4096 : (int)sizeof buf);
    if (r <= 0) {
      step(p, "read_end", r);
      return;
    }
    take(p, buf, r);
    if (slow) usleep(500);
    if (request_after > 0 && p->app_bytes >= request_after) {
      request_after = 0;
      peer_request_post_handshake(p);
    }
  }
}

/* After the peer stopped speaking TLS (own close_notify, alert, refused handshake): what else
 * does the SUT put on the wire until it exits? Counted raw, records split by their headers. */
void peer_count_tail(Peer* p) {
  if (p->fd_closed) return;
  unsigned char buf[4096];
  unsigned char header[5];
  size_t header_have = 0;
  uint64_t body_left = 0;
  long long deadline = compat_now_ms() + 6000;
  while (compat_now_ms() < deadline) {
    struct pollfd pf = {p->fd, POLLIN, 0};
    if (poll(&pf, 1, 500) <= 0) continue;
    ssize_t n = read(p->fd, buf, sizeof buf);
    if (n <= 0) break;
    p->tail_bytes += (uint64_t)n;
    for (ssize_t i = 0; i < n; i++) {
      if (body_left > 0) {
        body_left--;
        continue;
      }
      header[header_have++] = buf[i];
      if (header_have == 5) {
        if (p->tail_type_count < 4) p->tail_types[p->tail_type_count++] = header[0];
        p->tail_records++;
        body_left = ((uint64_t)header[3] << 8) | header[4];
        header_have = 0;
      }
    }
  }
}

static void int_array(CompatJson* j, const char* key, const int* v, int n) {
  cj_open_arr(j, key);
  for (int i = 0; i < n; i++) cj_int(j, NULL, v[i]);
  cj_close_arr(j);
}

void peer_report(Peer* p) {
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "peer");
  cj_str(&j, "script", p->script);
  cj_bool(&j, "handshake_ok", g_handshake_ok);
  cj_int(&j, "hellos", p->hellos);
  int_array(&j, "hello_groups", p->hello_groups, p->hello_group_count);
  cj_int(&j, "hello_ciphers", p->hello_ciphers);
  cj_str(&j, "negotiated", p->ssl != NULL && g_handshake_ok ? SSL_get_version(p->ssl) : "");
  cj_int(&j, "raw_in", (long long)p->raw_in);
  cj_int(&j, "app_bytes", (long long)p->app_bytes);
  cj_bool(&j, "stream_ok", p->stream_ok);
  cj_int(&j, "first_mismatch", p->first_mismatch);
  unsigned char md[32];
  unsigned int md_len = 0;
  char hex[65] = {0};
  if (p->digest != NULL && EVP_DigestFinal_ex(p->digest, md, &md_len) == 1) {
    for (unsigned int i = 0; i < md_len && i < 32; i++) sprintf(hex + 2 * i, "%02x", md[i]);
  }
  cj_str(&j, "sha256", hex);
  cj_int(&j, "records_in", p->records_in);
  cj_int(&j, "app_records_in", p->app_records_in);
  cj_int(&j, "key_updates_in", p->key_updates_in);
  int_array(&j, "alerts_in", p->alerts_in, p->alerts_in_count);
  int_array(&j, "alerts_out", p->alerts_out, p->alerts_out_count);
  cj_bool(&j, "request_sent", p->request_sent);
  cj_int(&j, "tail_bytes", (long long)p->tail_bytes);
  cj_int(&j, "tail_records", p->tail_records);
  int_array(&j, "tail_types", p->tail_types, p->tail_type_count);
  if (p->note != NULL) cj_str(&j, "note", p->note);
  /* The handshake/read results gathered by step(), spliced in as an array. */
  cj_open_arr(&j, "steps");
  size_t n = strlen(g_steps.buf);
  if (n > 0 && j.len + n + 2 < sizeof j.buf) {
    memcpy(j.buf + j.len, g_steps.buf, n);
    j.len += n;
    j.buf[j.len] = '\0';
  }
  cj_close_arr(&j);
  cj_end_print(&j);
}
