/* compat-diff-peer: the other end of a differential scenario. Plain OpenSSL 3, never preloaded (the
 * runner strips LD_PRELOAD, LD_LIBRARY_PATH and SSLSHIM_* from its environment). It plays the
 * opposite role on fd 3 with a non-blocking SSL, reads whatever arrives unless told to stop, and
 * on the control channel (fd 4) performs the scenario's peer events one by one ('e' -> 'a'),
 * settles on request ('s' -> 'i': everything the SUT has sent so far is read and answered), and at
 * the end ('z', or the SUT gone) reads to EOF and prints what it received: count and SHA-256. */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/compat_common.h"
#include "scenario.h"
#include "setup.h"

typedef struct Peer {
  DiffScenario sc;
  SSL* ssl;
  int fd; /* -1 once closed */
  int ctl;
  int handshake_done;
  int reading;   /* 0 after peer:stop_reading */
  int read_done; /* SSL_read reported the end (close_notify, EOF, error) */
  int next_event;
  unsigned long long app_bytes;
  unsigned long long sent;
  EVP_MD_CTX* digest;
  char events[512];
} Peer;

/* Reads and answers what is on the socket now, without waiting. 1 if anything happened. */
static int service(Peer* p) {
  if (p->fd < 0) return 0;
  int progress = 0;
  if (!p->handshake_done) {
    ERR_clear_error();
    int r = SSL_do_handshake(p->ssl);
    if (r == 1) {
      p->handshake_done = 1;
      progress = 1;
    } else {
      int e = SSL_get_error(p->ssl, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) p->read_done = 1;
      return 0;
    }
  }
  while (p->reading && !p->read_done) {
    unsigned char buf[16384];
    ERR_clear_error();
    int n = SSL_read(p->ssl, buf, sizeof buf);
    if (n > 0) {
      EVP_DigestUpdate(p->digest, buf, (size_t)n);
      p->app_bytes += (unsigned long long)n;
      progress = 1;
      continue;
    }
    int e = SSL_get_error(p->ssl, n);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) p->read_done = 1;
    break;
  }
  return progress;
}

/* The socket has nothing more for us right now (or is gone). */
static int socket_quiet(Peer* p) {
  if (p->fd < 0 || p->read_done) return 1;
  if (p->handshake_done && !p->reading) return 1;
  struct pollfd pf = {p->fd, POLLIN, 0};
  return poll(&pf, 1, 0) <= 0;
}

static void settle(Peer* p) {
  for (int rounds = 0; rounds < 10000; rounds++) {
    service(p);
    if (socket_quiet(p)) return;
  }
}

static const char* write_data(Peer* p) {
  unsigned char buf[100];
  compat_stream_fill(buf, sizeof buf, p->sent);
  long long deadline = compat_now_ms() + 2000;
  while (compat_now_ms() < deadline) {
    ERR_clear_error();
    int n = SSL_write(p->ssl, buf, sizeof buf);
    if (n > 0) {
      p->sent += (unsigned long long)n;
      return "ok";
    }
    int e = SSL_get_error(p->ssl, n);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return "failed";
    struct pollfd pf = {p->fd, (short)(e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    poll(&pf, 1, 100);
  }
  return "timeout";
}

static const char* close_socket(Peer* p, int reset) {
  if (p->fd < 0) return "already closed";
  settle(p);
  if (reset) {
    struct linger lg = {1, 0};
    setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }
  close(p->fd);
  p->fd = -1;
  return "ok";
}

static const char* perform(Peer* p, int event) {
  settle(p);
  int needs_tls = event == DIFF_PEER_DATA || event == DIFF_PEER_CLOSE_NOTIFY;
  if (needs_tls && (p->fd < 0 || !p->handshake_done)) return "skipped";
  switch (event) {
    case DIFF_PEER_DATA:
      return write_data(p);
    case DIFF_PEER_CLOSE_NOTIFY:
      ERR_clear_error();
      return SSL_shutdown(p->ssl) >= 0 ? "ok" : "failed";
    case DIFF_PEER_FIN:
      return p->fd >= 0 && shutdown(p->fd, SHUT_WR) == 0 ? "ok" : "failed";
    case DIFF_PEER_CLOSE:
      return close_socket(p, 0);
    case DIFF_PEER_RST:
      return close_socket(p, 1);
    case DIFF_PEER_STOP_READING:
      p->reading = 0;
      return "ok";
    default:
      p->reading = 1;
      return "ok";
  }
}

static void next_event(Peer* p) {
  while (p->next_event < p->sc.count && p->sc.steps[p->next_event].kind != DIFF_PEER) {
    p->next_event++;
  }
  if (p->next_event == p->sc.count) return;
  const DiffStep* step = &p->sc.steps[p->next_event++];
  char tok[64];
  diff_format_step(step, tok, sizeof tok);
  size_t used = strlen(p->events);
  snprintf(p->events + used, sizeof p->events - used, "%s%s=%s", used ? " " : "", tok,
           perform(p, step->event));
}

/* After the SUT is done: read everything still coming, until EOF, until the socket has been
 * quiet for a moment (the SUT has sent all it will and keeps its end open until told 'd', below),
 * or 3 s. Reading while the SUT is still there keeps the count exact: an answer the peer owes (to a
 * KeyUpdate that asks for one) must not meet a closed socket and end the read before the data
 * that followed it. */
static void read_to_end(Peer* p) {
  p->reading = 1;
  long long deadline = compat_now_ms() + 3000;
  while (p->fd >= 0 && !p->read_done && compat_now_ms() < deadline) {
    struct pollfd pf = {p->fd, POLLIN, 0};
    int ready = poll(&pf, 1, 10);
    if (ready > 0) {
      service(p);
    } else if (ready == 0) {
      return;
    }
  }
}

static void report(Peer* p) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(p->digest, md, &md_len);
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  for (unsigned int i = 0; i < md_len; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  CompatJson j;
  cj_begin(&j);
  cj_str(&j, "type", "peer");
  cj_int(&j, "app_bytes", (long long)p->app_bytes);
  cj_str(&j, "sha256", hex);
  cj_bool(&j, "handshake", p->handshake_done);
  cj_str(&j, "events", p->events);
  cj_end_print(&j);
}

static int setup(Peer* p, const char* cert, const char* key) {
  int sut_is_server = p->sc.is_server;
  SSL_CTX* ctx = diff_make_ctx(!sut_is_server, p->sc.tls13, cert, key);
  if (ctx == NULL) return 0;
  p->ssl = SSL_new(ctx);
  if (p->ssl == NULL || SSL_set_fd(p->ssl, p->fd) != 1) return 0;
  if (sut_is_server) {
    SSL_set_connect_state(p->ssl);
  } else {
    SSL_set_accept_state(p->ssl);
  }
  compat_set_nonblocking(p->fd, 1);
  p->digest = EVP_MD_CTX_new();
  return p->digest != NULL && EVP_DigestInit_ex(p->digest, EVP_sha256(), NULL) == 1;
}

int main(int argc, char** argv) {
  DiffArgs args;
  Peer p;
  memset(&p, 0, sizeof p);
  p.fd = 3;
  p.ctl = 4;
  p.reading = 1;
  char err[256];
  if (!diff_parse_args(argc, argv, &args) || !diff_parse(args.scenario, &p.sc, err, sizeof err) ||
      !setup(&p, args.cert, args.key)) {
    fprintf(stderr, "compat-diff-peer: bad arguments or set-up failed\n");
    return 2;
  }
  /* The SUT may exit while the peer still writes (session tickets, a KeyUpdate answer): that must
   * end in EPIPE, not kill the peer before its report. */
  signal(SIGPIPE, SIG_IGN);
  /* A client speaks first: nothing would make its socket readable before its ClientHello. */
  service(&p);
  for (;;) {
    struct pollfd pf[2] = {{p.ctl, POLLIN, 0}, {p.fd, POLLIN, 0}};
    int watch_socket =
        !socket_quiet(&p) || (p.fd >= 0 && !p.read_done && (p.reading || !p.handshake_done));
    if (poll(pf, watch_socket ? 2 : 1, 100) < 0 && errno != EINTR) break;
    if (watch_socket && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) service(&p);
    if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char c = 0;
    if (read(p.ctl, &c, 1) != 1 || c == 'z') break;
    if (c == 'e') {
      next_event(&p);
      compat_ctl_send(p.ctl, 'a');
    } else if (c == 's') {
      settle(&p);
      compat_ctl_send(p.ctl, 'i');
    }
  }
  read_to_end(&p);
  compat_ctl_send(p.ctl, 'd'); /* the SUT may close its end now */
  report(&p);
  return 0;
}
