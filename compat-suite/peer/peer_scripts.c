/* What the peer does in each case. The runner's case table picks the script. */
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/compat_common.h"
#include "peer.h"

enum { kCtlWaitMs = 5000 };

static int handshake_done(Peer* p) {
  peer_handshake(p);
  return peer_handshake_ok();
}

/* Nothing: the case never connects (no BIO). */
static void script_none(Peer* p) { (void)p; }

static void script_drain(Peer* p) {
  if (handshake_done(p)) peer_drain(p, 0, 0);
  peer_count_tail(p);
}

static void script_drain_slow(Peer* p) {
  if (handshake_done(p)) peer_drain(p, 1, 0);
  peer_count_tail(p);
}

/* Does not read until the SUT says 'G' (its socket is full by then). */
static void script_hold_drain(Peer* p) {
  if (!handshake_done(p)) return;
  if (compat_ctl_wait(p->ctl, 'G', kCtlWaitMs) != 0) p->note = "SUT never said go";
  peer_drain(p, 0, 0);
  peer_count_tail(p);
}

/* Renegotiation request (TLS 1.2) or KeyUpdate(update_requested) (TLS 1.3), then reads. */
static void script_post_hs_quiet(Peer* p) {
  if (!handshake_done(p)) return;
  peer_request_post_handshake(p);
  compat_ctl_send(p->ctl, 'R');
  peer_drain(p, 0, 0);
}

/* As above, followed by 4 bytes of application data, so a blocking SSL_read has data to return. */
static void script_post_hs_ping(Peer* p) {
  if (!handshake_done(p)) return;
  peer_request_post_handshake(p);
  SSL_write(p->ssl, "PING", 4);
  compat_ctl_send(p->ctl, 'R');
  peer_drain(p, 0, 0);
}

/* As above, but the 4 bytes follow only once the renegotiation has completed (the peer reads
 * non-blocking until then), so no application data is interleaved with the handshake. */
static void script_post_hs_ping_after(Peer* p) {
  if (!handshake_done(p)) return;
  peer_request_post_handshake(p);
  compat_ctl_send(p->ctl, 'R');
  if (SSL_version(p->ssl) != TLS1_3_VERSION && !peer_await_renegotiation(p)) {
    p->note = "the renegotiation did not complete within 5 s";
  }
  SSL_write(p->ssl, "PING", 4);
  peer_drain(p, 0, 0);
}

/* Requests the renegotiation / KeyUpdate after 64 KiB, in the middle of the SUT's write. */
static void script_post_hs_mid(Peer* p) {
  if (handshake_done(p)) peer_drain(p, 0, 65536);
}

/* Sends close_notify, tells the SUT, then counts what still arrives. */
static void script_close_notify(Peer* p) {
  if (!handshake_done(p)) return;
  SSL_shutdown(p->ssl);
  compat_ctl_send(p->ctl, 'C');
  peer_count_tail(p);
}

/* Closes the transport without close_notify (FIN, or EPIPE on a socketpair). */
static void script_close_fd(Peer* p) {
  if (!handshake_done(p)) return;
  close(p->fd);
  p->fd_closed = 1;
  compat_ctl_send(p->ctl, 'C');
}

/* Resets the TCP connection: SO_LINGER {1, 0} makes close() send RST. */
static void script_rst(Peer* p) {
  if (!handshake_done(p)) return;
  struct linger l = {1, 0};
  setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(p->fd);
  p->fd_closed = 1;
  compat_ctl_send(p->ctl, 'C');
}

/* Refuses the ClientHello with a handshake_failure alert (see on_client_hello). */
static void script_reject_hello(Peer* p) {
  peer_handshake(p);
  peer_count_tail(p);
}

/* Puts a record no key opens on the wire: the SUT must send a fatal alert and then nothing. */
static void script_garbage(Peer* p) {
  if (!handshake_done(p)) return;
  static const unsigned char kBadRecord[5 + 32] = {0x17, 0x03, 0x03, 0x00, 0x20};
  if (write(p->fd, kBadRecord, sizeof kBadRecord) != (ssize_t)sizeof kBadRecord) {
    p->note = "raw write failed";
  }
  compat_ctl_send(p->ctl, 'G');
  peer_count_tail(p);
}

const PeerScript kPeerScripts[] = {
    {"none", script_none},
    {"drain", script_drain},
    {"drain_slow", script_drain_slow},
    {"hold_drain", script_hold_drain},
    {"post_hs_quiet", script_post_hs_quiet},
    {"post_hs_ping", script_post_hs_ping},
    {"post_hs_ping_after", script_post_hs_ping_after},
    {"post_hs_mid", script_post_hs_mid},
    {"close_notify", script_close_notify},
    {"close_fd", script_close_fd},
    {"rst", script_rst},
    {"reject_hello", script_reject_hello},
    {"garbage", script_garbage},
    {NULL, NULL},
};
