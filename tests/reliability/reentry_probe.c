/* reentry_probe: a TLS call made on a connection from inside one of its own callbacks. An
 * ordinary OpenSSL client; the peer (forbidden_peer) is a plain OpenSSL server on the inherited
 * socket. The first time CALLBACK runs (at the point WHEN names), it calls CALL on the same SSL
 * and reports the answer; then it reports how SSL_connect ended. One line each:
 *   inner CALL ret=N err=N queue=...   and   outer ret=N err=N
 *
 * usage: reentry_probe FD CALLBACK WHEN CALL
 *   CALLBACK  info | msg | verify | keylog
 *   WHEN      start (the handshake's first event) | end (info only: SSL_connect's last event)
 *   CALL      write | read | handshake | shutdown
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char* g_call;
static int g_at_end;
static int g_done;

static void reenter(SSL* ssl) {
  if (g_done) return;
  g_done = 1;
  char buf[4] = "x";
  ERR_set_mark();
  int ret;
  if (strcmp(g_call, "write") == 0) {
    ret = SSL_write(ssl, buf, 1);
  } else if (strcmp(g_call, "read") == 0) {
    ret = SSL_read(ssl, buf, 1);
  } else if (strcmp(g_call, "handshake") == 0) {
    ret = SSL_do_handshake(ssl);
  } else {
    ret = SSL_shutdown(ssl);
  }
  int err = SSL_get_error(ssl, ret);
  unsigned long queued = ERR_peek_last_error();
  char reason[160] = "";
  if (queued != 0) ERR_error_string_n(queued, reason, sizeof reason);
  ERR_pop_to_mark();
  printf("inner %s ret=%d err=%d queue=%s\n", g_call, ret, err, reason);
  fflush(stdout);
}

static void on_info(const SSL* ssl, int where, int ret) {
  (void)ret;
  if (g_at_end ? (where & SSL_CB_HANDSHAKE_DONE) : (where & SSL_CB_HANDSHAKE_START)) {
    reenter((SSL*)ssl);
  }
}

static void on_msg(int write_p, int version, int content_type, const void* buf, size_t len,
                   SSL* ssl, void* arg) {
  (void)write_p, (void)version, (void)content_type, (void)buf, (void)len, (void)arg;
  reenter(ssl);
}

static int on_verify(int preverify_ok, X509_STORE_CTX* store_ctx) {
  (void)preverify_ok;
  reenter(X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  return 1;
}

static void on_keylog(const SSL* ssl, const char* line) {
  (void)line;
  reenter((SSL*)ssl);
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc != 5) {
    fprintf(stderr, "usage: reentry_probe FD info|msg|verify|keylog start|end CALL\n");
    return 2;
  }
  const int fd = atoi(argv[1]);
  const char* callback = argv[2];
  g_at_end = strcmp(argv[3], "end") == 0;
  g_call = argv[4];
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (strcmp(callback, "info") == 0) {
    SSL_CTX_set_info_callback(ctx, on_info);
  } else if (strcmp(callback, "msg") == 0) {
    SSL_CTX_set_msg_callback(ctx, on_msg);
  } else if (strcmp(callback, "verify") == 0) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);
  } else {
    SSL_CTX_set_keylog_callback(ctx, on_keylog);
  }
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  int ret = SSL_connect(ssl);
  int err = ret == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, ret);
  printf("outer ret=%d err=%d\n", ret, err);
  if (ret == 1) {
    char byte;
    SSL_read(ssl, &byte, 1); /* the peer's byte, unless the callback read it */
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}
