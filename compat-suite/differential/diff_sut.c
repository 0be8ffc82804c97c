/* compat-diff-sut: the program under test of the differential engine. An ordinary OpenSSL 3
 * program (linked with -lssl -lcrypto; the columns differ only in its environment) that plays one
 * scenario (scenario.h) on fd 3 and prints one JSON line per step and one at the end.
 *
 * Timing: a WANT_* answer is retried only while a retry could change it. Before deciding, the SUT
 * asks the peer over the control channel (fd 4) to settle: the peer reads and answers everything
 * the SUT has sent, then says so. Only then does the SUT look at its socket without waiting. So
 * whether a WANT_* is final does not depend on how fast the peer runs, and the record keeps the
 * final answer plus which WANT_* kinds came before it, never how many (and the runner compares
 * those kinds only on BIO pairs, where they do not depend on scheduling). */
#include <errno.h>
#include <linux/sockios.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/compat_common.h"
#include "scenario.h"
#include "setup.h"
#include "sut_transport.h"

enum { kCtlWaitMs = 5000, kMaxRetries = 2000, kReadBuf = 64, kMaxWrite = 1000000 };

typedef struct Sut {
  DiffScenario sc;
  SSL* ssl;
  DiffLink link;
  int ctl;
  unsigned long long written; /* stream offset of the next byte to write */
  unsigned long long read_bytes;
  int peer_reading; /* 0 between peer:stop_reading and peer:resume_reading */
} Sut;

/* Over TCP, bytes a write() accepted may still sit in the SUT's send queue; the peer settles on
 * what has arrived, so wait (up to 1 s) until it has all arrived. A socketpair write lands in the
 * peer's queue at once (and there SIOCOUTQ counts what the peer has not read: no waiting). */
static void wait_sent(int fd) {
  int domain = 0;
  socklen_t len = sizeof domain;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_INET) return;
  long long deadline = compat_now_ms() + 1000;
  int queued = 0;
  while (ioctl(fd, SIOCOUTQ, &queued) == 0 && queued > 0 && compat_now_ms() < deadline) {
    usleep(200);
  }
}

/* Peer event or settle request: one character out, one acknowledgement back. */
static int ask_peer(Sut* s, char request, char answer) {
  diff_link_pump(&s->link);
  wait_sent(s->link.fd);
  if (compat_ctl_send(s->ctl, request) != 0) return 0;
  return compat_ctl_wait(s->ctl, answer, kCtlWaitMs) == 0;
}

static int could_progress(Sut* s, int err) {
  long moved = diff_link_pump(&s->link);
  if (!ask_peer(s, 's', 'i')) return 0;
  return diff_link_can_progress(&s->link, err == SSL_ERROR_WANT_READ) || moved > 0;
}

typedef struct Answer {
  long ret;
  size_t n; /* bytes written or read */
  int err;
  int sys_errno;
} Answer;

/* One attempt of a call; buf/len are the arguments of this attempt. */
static Answer attempt(Sut* s, const DiffStep* step, const unsigned char* buf, int len) {
  Answer a = {0, 0, SSL_ERROR_NONE, 0};
  unsigned char in[kReadBuf];
  errno = 0;
  switch (step->kind) {
    case DIFF_WRITE:
      a.ret = SSL_write(s->ssl, buf, len);
      a.n = a.ret > 0 ? (size_t)a.ret : 0;
      break;
    case DIFF_WRITE_EX:
      a.ret = SSL_write_ex(s->ssl, buf, (size_t)len, &a.n);
      break;
    case DIFF_READ:
      a.ret = SSL_read(s->ssl, in, sizeof in);
      a.n = a.ret > 0 ? (size_t)a.ret : 0;
      break;
    case DIFF_PEEK:
      a.ret = SSL_peek(s->ssl, in, sizeof in);
      a.n = a.ret > 0 ? (size_t)a.ret : 0;
      break;
    case DIFF_SHUTDOWN:
      a.ret = SSL_shutdown(s->ssl);
      break;
    case DIFF_KEY_UPDATE:
      a.ret = SSL_key_update(s->ssl, SSL_KEY_UPDATE_REQUESTED);
      break;
    case DIFF_MODE_SET:
      a.ret = (long)SSL_set_mode(s->ssl, step->mode);
      return a;
    default:
      a.ret = (long)SSL_clear_mode(s->ssl, step->mode);
      return a;
  }
  int saved = errno;
  /* _ex calls report success as 1; every other call as a positive count. */
  int failed = (step->kind == DIFF_WRITE_EX) ? a.ret != 1 : a.ret <= 0;
  if (failed) a.err = SSL_get_error(s->ssl, (int)a.ret);
  a.sys_errno = a.err == SSL_ERROR_SYSCALL ? saved : 0;
  return a;
}

static int is_write(const DiffStep* step) {
  return step->kind == DIFF_WRITE || step->kind == DIFF_WRITE_EX;
}

static void run_call(Sut* s, int index, const DiffStep* step) {
  int len = step->len;
  /* Every call writes from the same two addresses, as a program with one send buffer does: a
   * fresh allocation per call would make "is this a retry from another buffer?" depend on
   * malloc. */
  static unsigned char data[kMaxWrite], moved[kMaxWrite];
  if (len > kMaxWrite) len = kMaxWrite;
  compat_stream_fill(data, (size_t)len, s->written);
  const unsigned char* buf = data;
  int wants_read = 0, wants_write = 0, retries = 0;
  Answer a;
  for (;;) {
    a = attempt(s, step, buf, len);
    if (a.err != SSL_ERROR_WANT_READ && a.err != SSL_ERROR_WANT_WRITE) break;
    /* A WANT_* keeps nothing on the queue worth comparing; drop it so the final answer's queue is
     * its own. */
    ERR_clear_error();
    if (a.err == SSL_ERROR_WANT_READ) wants_read = 1;
    if (a.err == SSL_ERROR_WANT_WRITE) wants_write = 1;
    if (retries == kMaxRetries || !could_progress(s, a.err)) break;
    retries++;
    /* The retry style applies only where the WANT_* itself is certain: every WANT_* on a BIO pair
     * (nothing moves until the program pumps), WANT_WRITE on a socket the peer has stopped
     * reading. Elsewhere whether a WANT_* comes at all depends on scheduling (the peer may answer
     * the handshake, or drain the socket, before libssl looks), so a retry after it keeps the
     * arguments. Shorter halves once. */
    int styled = is_write(step) && (diff_is_bio_pair(s->sc.transport) ||
                                    (a.err == SSL_ERROR_WANT_WRITE && !s->peer_reading));
    if (styled && step->retry == DIFF_RETRY_SHORTER && len == step->len && len > 1) len /= 2;
    if (styled && step->retry == DIFF_RETRY_MOVED) {
      const unsigned char* from = buf;
      buf = buf == data ? moved : data;
      memmove((void*)buf, from, (size_t)len);
    }
  }
  if (is_write(step) && a.err == SSL_ERROR_NONE) s->written += a.n;
  if (step->kind == DIFF_READ && a.err == SSL_ERROR_NONE) s->read_bytes += a.n;
  diff_link_pump(&s->link);

  char op[64];
  diff_format_step(step, op, sizeof op);
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "call");
  cj_int(&j, "i", index);
  cj_str(&j, "op", op);
  cj_int(&j, "ret", a.ret);
  cj_int(&j, "n", (long long)a.n);
  cj_int(&j, "err", a.err);
  cj_int(&j, "errno", a.sys_errno);
  cj_str(&j, "wants", wants_read && wants_write ? "RW" : wants_read ? "R" : wants_write ? "W" : "");
  cj_int(&j, "retries", retries);
  cj_int(&j, "shutdown", SSL_get_shutdown(s->ssl));
  cj_int(&j, "pending", SSL_pending(s->ssl));
  cj_err_queue(&j, "queue");
  cj_end_print(&j);
}

static void run_event(Sut* s, int index, const DiffStep* step) {
  int ok = ask_peer(s, 'e', 'a');
  if (step->event == DIFF_PEER_STOP_READING) s->peer_reading = 0;
  if (step->event == DIFF_PEER_RESUME_READING) s->peer_reading = 1;
  char op[64];
  diff_format_step(step, op, sizeof op);
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "event");
  cj_int(&j, "i", index);
  cj_str(&j, "op", op);
  cj_bool(&j, "acknowledged", ok);
  cj_end_print(&j);
}

static SSL* make_ssl(const DiffScenario* sc, const char* cert, const char* key) {
  SSL_CTX* ctx = diff_make_ctx(sc->is_server, sc->tls13, cert, key);
  SSL* ssl = ctx != NULL ? SSL_new(ctx) : NULL;
  if (ssl == NULL) return NULL;
  if (sc->is_server) {
    SSL_set_accept_state(ssl);
  } else {
    SSL_set_connect_state(ssl);
  }
  return ssl;
}

int main(int argc, char** argv) {
  DiffArgs args;
  Sut s;
  memset(&s, 0, sizeof s);
  char err[256] = "missing arguments";
  if (!diff_parse_args(argc, argv, &args) || !diff_parse(args.scenario, &s.sc, err, sizeof err)) {
    fprintf(stderr, "usage: compat-diff-sut --scenario TEXT --cert PEM --key PEM (%s)\n", err);
    return 2;
  }
  /* A reset must show as EPIPE/ECONNRESET answers, not kill the program. */
  signal(SIGPIPE, SIG_IGN);
  s.ctl = 4;
  s.peer_reading = 1;
  s.ssl = make_ssl(&s.sc, args.cert, args.key);
  if (s.ssl == NULL || !diff_link_attach(&s.link, s.ssl, s.sc.transport, 3)) {
    fprintf(stderr, "compat-diff-sut: set-up failed\n");
    ERR_print_errors_fp(stderr);
    return 3;
  }
  for (int i = 0; i < s.sc.count; i++) {
    if (s.sc.steps[i].kind == DIFF_PEER) {
      run_event(&s, i, &s.sc.steps[i]);
    } else {
      run_call(&s, i, &s.sc.steps[i]);
    }
  }
  compat_ctl_send(s.ctl, 'z');
  diff_link_flush_all(&s.link);
  /* Keep this end open until the peer has read what it will (its 'd'), so what it owes us on
   * the way (a KeyUpdate's answer) does not meet a closed socket and cut its count short. */
  compat_ctl_wait(s.ctl, 'd', 4000);
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "end");
  cj_int(&j, "written", (long long)s.written);
  cj_int(&j, "read", (long long)s.read_bytes);
  cj_end_print(&j);
  return 0;
}
