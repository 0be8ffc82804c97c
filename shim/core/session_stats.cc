#include "core/session_stats.h"

#include <openssl/ssl.h>

#include "core/objects.h"

namespace sslshim {

// As OpenSSL 3: a start counts as a connect/accept, or a renegotiation once a handshake has
// finished (tls_setup_handshake); a finish counts as good, and a resumed one as a hit
// (tls_finish_handshake for clients, ssl_get_prev_session for servers: the same handshakes once
// they complete). The counters belong to the context the connection was made from, which
// SSL_set_SSL_CTX does not change (OpenSSL's session_ctx).
void CountHandshakeEvent(Ssl* ssl, int where) {
  SessionStats& stats = ssl->session_stats();
  const bool server = ssl->conn()->IsServer();
  if (where & SSL_CB_HANDSHAKE_START) {
    if (ssl->connection.handshakes_done == 0) {
      ++(server ? stats.accept : stats.connect);
    } else {
      ++(server ? stats.accept_renegotiate : stats.connect_renegotiate);
    }
  }
  if (where & SSL_CB_HANDSHAKE_DONE) {
    ++ssl->connection.handshakes_done;
    ssl->connection.renegotiate_pending = false;
    ++(server ? stats.accept_good : stats.connect_good);
    if (ssl->conn()->SessionReused()) ++stats.hits;
  }
}

long SessionStatistic(const SessionStats& stats, int ctrl_cmd) {
  switch (ctrl_cmd) {
    case SSL_CTRL_SESS_CONNECT:
      return stats.connect;
    case SSL_CTRL_SESS_CONNECT_GOOD:
      return stats.connect_good;
    case SSL_CTRL_SESS_CONNECT_RENEGOTIATE:
      return stats.connect_renegotiate;
    case SSL_CTRL_SESS_ACCEPT:
      return stats.accept;
    case SSL_CTRL_SESS_ACCEPT_GOOD:
      return stats.accept_good;
    case SSL_CTRL_SESS_ACCEPT_RENEGOTIATE:
      return stats.accept_renegotiate;
    case SSL_CTRL_SESS_HIT:
      return stats.hits;
    default:
      // The internal cache's own counters (cb_hits, misses, timeouts, cache_full): the backend's
      // cache keeps none of OpenSSL's, so they stay 0. The number of sessions is the backend's
      // (exports/ctrl.cc).
      return 0;
  }
}

}  // namespace sslshim
