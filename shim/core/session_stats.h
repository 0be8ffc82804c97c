// SSL_CTX_sess_connect(), SSL_CTX_sess_accept(), SSL_CTX_sess_hits() and the other counters of
// OpenSSL's SSL_CTX_sess_number(3): handshakes counted per context, from the connections' info
// events, the same on every backend (BoringSSL keeps no such counters).
#pragma once

#include <atomic>

namespace sslshim {

class Ssl;

struct SessionStats {
  std::atomic<long> connect{0};
  std::atomic<long> connect_renegotiate{0};
  std::atomic<long> connect_good{0};
  std::atomic<long> accept{0};
  std::atomic<long> accept_renegotiate{0};
  std::atomic<long> accept_good{0};
  std::atomic<long> hits{0};
};

// Counts a handshake starting or finishing on `ssl` (its SSL_CB_HANDSHAKE_START / _DONE event).
void CountHandshakeEvent(Ssl* ssl, int where);

// SSL_CTX_ctrl's answer for one SSL_CTRL_SESS_* statistic.
long SessionStatistic(const SessionStats& stats, int ctrl_cmd);

}  // namespace sslshim
