/* The SUT side of every case: the SSL_write sequence the case is about. The runner's case table
 * (runner/case_table.cc) names the peer's script and the expectations for each of these. */
#include <openssl/bio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/compat_common.h"
#include "sut.h"

enum {
  kCtlWaitMs = 5000,
  kSmallSndbuf = 16384, /* so a few records fill the socket and WANT_WRITE comes early */
};

/* Context + SSL on the transport in the role's state, then an explicit handshake. */
static int connected(Sut* s) {
  if (sut_make_ctx(s) == NULL || sut_make_ssl(s, 1, 'r') == NULL) {
    s->note = "setup failed (SSL_CTX_new/SSL_new/SSL_set_fd)";
    return 0;
  }
  return sut_handshake(s, "handshake") == 1;
}

static int prepared(Sut* s, int with_fd, char state) {
  if (sut_make_ctx(s) == NULL || sut_make_ssl(s, with_fd, state) == NULL) {
    s->note = "setup failed (SSL_CTX_new/SSL_new)";
    return 0;
  }
  return 1;
}

static int write_stream(Sut* s, const char* tag, int num) {
  unsigned char* buf = sut_stream_chunk(s, num > 0 ? (size_t)num : 16);
  int r = sut_write(s, tag, buf, num);
  free(buf);
  return r;
}

static long write_stream_all(Sut* s, const char* tag, int num, int partial) {
  unsigned char* buf = sut_stream_chunk(s, (size_t)num);
  long r = sut_write_all(s, tag, buf, num, partial);
  free(buf);
  return r;
}

static int wait_peer(Sut* s, char event) {
  if (compat_ctl_wait(s->ctl, event, kCtlWaitMs) == 0) return 1;
  s->note = "peer never signalled";
  return 0;
}

/* W01 + who did the TLS (the peer looks at the ClientHello). */
static int case_abi_and_tls(Sut* s) {
  if (connected(s)) write_stream(s, "write", 1000);
  return 0;
}

/* W02/W20: one blocking write, the peer reads exactly those bytes. */
static int case_write_basic(Sut* s) {
  if (connected(s)) write_stream(s, "write", 100000);
  return 0;
}

/* W03/W04: no SSL_connect/SSL_accept, the handshake happens inside SSL_write. */
static int case_implicit_handshake(Sut* s) {
  if (prepared(s, 1, 'r')) write_stream(s, "write", 5000);
  return 0;
}

/* W05/W10: the peer asked for a renegotiation (TLS 1.2) or a KeyUpdate (TLS 1.3); a non-blocking
 * SSL_read has taken the request in (so the handshake is under way), then a blocking SSL_write
 * must finish it and deliver the data. */
static int case_post_hs_pending_write(Sut* s) {
  if (!connected(s) || !wait_peer(s, 'R')) return 0;
  unsigned char scratch[64];
  compat_set_nonblocking(s->fd, 1);
  sut_read(s, "trigger", scratch, sizeof scratch);
  compat_set_nonblocking(s->fd, 0);
  write_stream_all(s, "write", 65536, 0);
  return 0;
}

/* W08/W10: a renegotiation / KeyUpdate plus 4 bytes of data are pending; SSL_read and then
 * SSL_write on a blocking socket with SSL_MODE_AUTO_RETRY on or off. */
static int post_hs_read_then_write(Sut* s, int auto_retry) {
  if (sut_make_ctx(s) == NULL) return 0;
  if (auto_retry) {
    SSL_CTX_set_mode(s->ctx, SSL_MODE_AUTO_RETRY);
  } else {
    SSL_CTX_clear_mode(s->ctx, SSL_MODE_AUTO_RETRY);
  }
  if (sut_make_ssl(s, 1, 'r') == NULL || sut_handshake(s, "handshake") != 1) return 0;
  if (!wait_peer(s, 'R')) return 0;
  unsigned char in[100];
  for (int i = 0; i < 20; i++) {
    int r = sut_read(s, "read", in, sizeof in);
    if (r > 0 || sut_last_error() != SSL_ERROR_WANT_READ) break;
  }
  write_stream_all(s, "write", 32768, 0);
  return 0;
}
static int case_post_hs_autoretry_on(Sut* s) { return post_hs_read_then_write(s, 1); }
static int case_post_hs_autoretry_off(Sut* s) { return post_hs_read_then_write(s, 0); }

/* W05/W10: the peer asks for a renegotiation / KeyUpdate while a large blocking write runs. */
static int case_post_hs_mid_write(Sut* s) {
  if (!connected(s)) return 0;
  sut_set_sndbuf(s, kSmallSndbuf);
  write_stream_all(s, "write", 512 * 1024, 0);
  return 0;
}

/* W07: one blocking SSL_write much larger than the socket buffer, the peer drains slowly. */
static int case_blocking_slow_drain(Sut* s) {
  if (!connected(s)) return 0;
  sut_set_sndbuf(s, kSmallSndbuf);
  write_stream(s, "write", 1024 * 1024);
  return 0;
}

/* W09/W11/W13: non-blocking socket that fills up (the peer is not reading yet): WANT_WRITE, then
 * the same call repeated until it completes once the peer drains. */
static int case_nonblock_want_write(Sut* s) {
  if (!connected(s)) return 0;
  sut_set_sndbuf(s, kSmallSndbuf);
  compat_set_nonblocking(s->fd, 1);
  const int num = 512 * 1024;
  unsigned char* buf = sut_stream_chunk(s, num);
  int r = sut_write(s, "first", buf, num);
  compat_ctl_send(s->ctl, 'G');
  if (r <= 0) sut_write_all(s, "retry", buf, num, 0);
  free(buf);
  return 0;
}

/* Moves bytes between the BIO pair's network half and the socket. Returns bytes moved. */
static int pump(Sut* s, BIO* net, int wait_ms) {
  unsigned char buf[16384];
  int moved = 0;
  while (BIO_ctrl_pending(net) > 0) {
    int n = BIO_read(net, buf, sizeof buf);
    if (n <= 0) break;
    for (int off = 0; off < n;) {
      ssize_t w = write(s->fd, buf + off, (size_t)(n - off));
      if (w <= 0) return moved;
      off += (int)w;
    }
    moved += n;
  }
  size_t room = BIO_ctrl_get_write_guarantee(net);
  struct pollfd p = {s->fd, POLLIN, 0};
  if (room > 0 && poll(&p, 1, wait_ms) > 0) {
    ssize_t n = read(s->fd, buf, room < sizeof buf ? room : sizeof buf);
    if (n > 0) {
      BIO_write(net, buf, (int)n);
      moved += (int)n;
    }
  }
  return moved;
}

/* W12: SSL on one half of a BIO pair with small buffers; the program moves the bytes. */
static int case_bio_pair(Sut* s) {
  if (!prepared(s, 0, 'r')) return 0;
  BIO* internal = NULL;
  BIO* net = NULL;
  if (BIO_new_bio_pair(&internal, 4096, &net, 4096) != 1) {
    s->note = "BIO_new_bio_pair failed";
    return 0;
  }
  SSL_set_bio(s->ssl, internal, internal);
  long long deadline = compat_now_ms() + 5000;
  int r;
  while ((r = SSL_do_handshake(s->ssl)) != 1 && compat_now_ms() < deadline) {
    sut_record(s, "handshake", "do_handshake", 0, r, 0);
    int e = sut_last_error();
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) break;
    pump(s, net, 100);
  }
  if (r != 1) {
    BIO_free(net);
    return 0;
  }
  sut_record(s, "handshake", "do_handshake", 0, r, 0);
  const int num = 65536;
  unsigned char* buf = sut_stream_chunk(s, num);
  r = sut_write(s, "first", buf, num); /* nothing drained yet: the pair is full */
  while (r <= 0 && compat_now_ms() < deadline) {
    int e = sut_last_error();
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) break;
    pump(s, net, 0);
    r = sut_write(s, "retry", buf, num);
  }
  while (BIO_ctrl_pending(net) > 0 && pump(s, net, 0) > 0) {
  }
  free(buf);
  BIO_free(net);
  return 0;
}

/* W14/W15/W16: SSL_MODE_ENABLE_PARTIAL_WRITE on a non-blocking socket that fills up. */
static int case_partial_nonblock(Sut* s) {
  if (sut_make_ctx(s) == NULL) return 0;
  SSL_CTX_set_mode(s->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  if (sut_make_ssl(s, 1, 'r') == NULL || sut_handshake(s, "handshake") != 1) return 0;
  sut_set_sndbuf(s, kSmallSndbuf);
  compat_set_nonblocking(s->fd, 1);
  const int num = 256 * 1024;
  unsigned char* buf = sut_stream_chunk(s, num);
  int r = sut_write(s, "first", buf, num);
  compat_ctl_send(s->ctl, 'G');
  int done = r > 0 ? r : 0;
  if (done < num) sut_write_all(s, "rest", buf + done, num - done, 1);
  free(buf);
  return 0;
}

/* W14/W15/W16 on a blocking socket: every return is a positive count; the rest is rewritten. */
static int case_partial_blocking(Sut* s) {
  if (sut_make_ctx(s) == NULL) return 0;
  SSL_CTX_set_mode(s->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  if (sut_make_ssl(s, 1, 'r') == NULL || sut_handshake(s, "handshake") != 1) return 0;
  write_stream_all(s, "write", 256 * 1024, 1);
  return 0;
}

/* W17/W18: WANT_WRITE on a full socket, then a retry with other arguments, then (after the peer
 * starts draining) the retry with the original arguments. */
enum BadRetry { kOtherBuffer, kSmallerNum, kMovedBuffer };
static int retry_case(Sut* s, enum BadRetry kind) {
  if (sut_make_ctx(s) == NULL) return 0;
  if (kind == kMovedBuffer) SSL_CTX_set_mode(s->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (sut_make_ssl(s, 1, 'r') == NULL || sut_handshake(s, "handshake") != 1) return 0;
  sut_set_sndbuf(s, kSmallSndbuf);
  compat_set_nonblocking(s->fd, 1);
  const int num = 256 * 1024;
  unsigned char* buf = sut_stream_chunk(s, num);
  unsigned char* copy = malloc(num);
  memcpy(copy, buf, num);
  int r = sut_write(s, "first", buf, num);
  if (r > 0) {
    s->note = "first write did not block; the retry was not exercised";
  } else if (kind == kMovedBuffer) {
    compat_ctl_send(s->ctl, 'G');
    sut_write_all(s, "retry", copy, num, 0);
  } else {
    if (kind == kOtherBuffer) sut_write(s, "bad_retry", copy, num);
    if (kind == kSmallerNum) sut_write(s, "bad_retry", buf, 1);
    compat_ctl_send(s->ctl, 'G');
    sut_write_all(s, "retry", buf, num, 0);
  }
  compat_ctl_send(s->ctl, 'G');
  free(copy);
  free(buf);
  return 0;
}
static int case_retry_other_buffer(Sut* s) { return retry_case(s, kOtherBuffer); }
static int case_retry_smaller_num(Sut* s) { return retry_case(s, kSmallerNum); }
static int case_retry_moving_buffer(Sut* s) { return retry_case(s, kMovedBuffer); }

/* W19: num == 0 before and after the handshake, then a 10-byte marker. */
static int case_zero_before_handshake(Sut* s) {
  if (!prepared(s, 1, 'r')) return 0;
  write_stream(s, "zero", 0);
  write_stream_all(s, "marker", 10, 0);
  return 0;
}
static int case_zero_after_handshake(Sut* s) {
  if (!connected(s)) return 0;
  write_stream(s, "zero", 0);
  write_stream_all(s, "marker", 10, 0);
  return 0;
}

/* W21: the peer sent close_notify (SSL_read sees it), then we write. */
static int case_after_peer_close_notify(Sut* s) {
  if (!connected(s) || !wait_peer(s, 'C')) return 0;
  unsigned char in[100];
  sut_read(s, "read", in, sizeof in);
  write_stream(s, "write", 100);
  write_stream(s, "write2", 100);
  return 0;
}

/* W21/W25: the peer closed or reset the transport; up to three writes until one fails. */
static int write_after_transport_loss(Sut* s, int ignore_sigpipe) {
  if (ignore_sigpipe) signal(SIGPIPE, SIG_IGN);
  if (!connected(s) || !wait_peer(s, 'C')) return 0;
  struct pollfd p = {s->fd, POLLIN, 0};
  poll(&p, 1, 1000); /* let the FIN/RST arrive */
  for (int i = 0; i < 3; i++) {
    if (write_stream(s, "write", 1000) <= 0) break;
  }
  return 0;
}
static int case_reset_rst(Sut* s) { return write_after_transport_loss(s, 1); }
static int case_reset_epipe(Sut* s) { return write_after_transport_loss(s, 1); }
static int case_reset_epipe_sigpipe(Sut* s) { return write_after_transport_loss(s, 0); }

/* W24: our own close_notify went out; a write must fail and send nothing. */
static int case_after_own_shutdown(Sut* s) {
  if (!connected(s)) return 0;
  sut_shutdown(s, "shutdown");
  write_stream(s, "write", 100);
  return 0;
}

/* W26: num < 0, before and after the handshake; buf == NULL with num > 0. */
static int case_negative_before_handshake(Sut* s) {
  if (prepared(s, 1, 'r')) write_stream(s, "write", -1);
  return 0;
}
static int case_negative_after_handshake(Sut* s) {
  if (connected(s)) write_stream(s, "write", -1);
  return 0;
}
static int case_null_buffer(Sut* s) {
  if (connected(s)) sut_write(s, "write", NULL, 100);
  return 0;
}

/* No BIO at all (SSL_set_fd never called). */
static int case_no_bio(Sut* s) {
  if (prepared(s, 0, 'c')) write_stream(s, "write", 100);
  return 0;
}

/* W06: neither SSL_set_connect_state nor SSL_set_accept_state. */
static int case_no_state(Sut* s) {
  if (prepared(s, 1, 0)) write_stream(s, "write", 100);
  return 0;
}

/* After a fatal alert: the peer refused the handshake, or answered our bad record with an
 * alert, or we sent one because the peer's record was bad. Each time the write must fail. */
static int case_alert_in_handshake(Sut* s) {
  if (!prepared(s, 1, 'r')) return 0;
  sut_handshake(s, "handshake");
  write_stream(s, "write", 100);
  return 0;
}

static int case_alert_received(Sut* s) {
  if (!connected(s)) return 0;
  /* An application-data record no key can open: the peer must answer with a fatal alert. */
  static const unsigned char kBadRecord[5 + 32] = {0x17, 0x03, 0x03, 0x00, 0x20};
  if (write(s->fd, kBadRecord, sizeof kBadRecord) != (ssize_t)sizeof kBadRecord) {
    s->note = "raw write of the bad record failed";
    return 0;
  }
  unsigned char in[100];
  sut_read(s, "read", in, sizeof in);
  write_stream(s, "write", 100);
  return 0;
}

static int case_alert_sent(Sut* s) {
  if (!connected(s) || !wait_peer(s, 'G')) return 0;
  unsigned char in[100];
  sut_read(s, "read", in, sizeof in);
  write_stream(s, "write", 100);
  return 0;
}

const SutCase kSutCases[] = {
    {"abi_and_tls", case_abi_and_tls},
    {"write_basic", case_write_basic},
    {"implicit_handshake_client", case_implicit_handshake},
    {"implicit_handshake_server", case_implicit_handshake},
    {"post_hs_pending_write", case_post_hs_pending_write},
    {"post_hs_autoretry_on", case_post_hs_autoretry_on},
    {"post_hs_autoretry_off", case_post_hs_autoretry_off},
    {"reneg_interleaved_data", case_post_hs_autoretry_on},
    {"post_hs_mid_write", case_post_hs_mid_write},
    {"blocking_slow_drain", case_blocking_slow_drain},
    {"nonblock_want_write", case_nonblock_want_write},
    {"bio_pair", case_bio_pair},
    {"partial_nonblock", case_partial_nonblock},
    {"partial_blocking", case_partial_blocking},
    {"retry_other_buffer", case_retry_other_buffer},
    {"retry_smaller_num", case_retry_smaller_num},
    {"retry_moving_buffer", case_retry_moving_buffer},
    {"zero_before_handshake", case_zero_before_handshake},
    {"zero_after_handshake", case_zero_after_handshake},
    {"after_peer_close_notify", case_after_peer_close_notify},
    {"reset_rst", case_reset_rst},
    {"reset_epipe", case_reset_epipe},
    {"reset_epipe_sigpipe", case_reset_epipe_sigpipe},
    {"after_own_shutdown", case_after_own_shutdown},
    {"negative_before_handshake", case_negative_before_handshake},
    {"negative_after_handshake", case_negative_after_handshake},
    {"null_buffer", case_null_buffer},
    {"no_bio", case_no_bio},
    {"no_state", case_no_state},
    {"alert_in_handshake", case_alert_in_handshake},
    {"alert_received", case_alert_received},
    {"alert_sent", case_alert_sent},
    {NULL, NULL},
};
