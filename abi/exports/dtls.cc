// DTLS's own functions (the DTLS methods are in methods.cc, the ctrl commands under OpenSSL's
// macros DTLSv1_get_timeout, DTLSv1_handle_timeout, SSL_set_mtu, DTLS_set_link_mtu in ctrl.cc).
// DTLS_set_timer_cb and DTLSv1_listen stay refused by design (refused-by-design.tsv says why).
#include "exports/dtls.h"

#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {

bool IsDatagram(const Ssl* ssl) {
  return ssl->ctx() != nullptr && ssl->ctx()->method != nullptr &&
         ssl->ctx()->method->spec.datagram;
}

long DtlsGetTimeout(Ssl* ssl, struct timeval* left) {
  long seconds = 0;
  long microseconds = 0;
  if (left == nullptr || !ssl->conn()->DtlsGetTimeout(&seconds, &microseconds)) return 0;
  left->tv_sec = seconds;
  left->tv_usec = microseconds;
  return 1;
}

}  // namespace sslshim

// The application data that fits one datagram at the current MTU and cipher; 0 before the
// handshake has a cipher, as in OpenSSL.
SSLSHIM_SSL_ENTRY(DTLS_get_data_mtu, 0) { return ssl->conn()->DtlsDataMtu(); }

SSLSHIM_SSL_ENTRY(SSL_is_dtls, 0) { return sslshim::IsDatagram(ssl) ? 1 : 0; }
