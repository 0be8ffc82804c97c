// DTLS on the real libssl: its DTLS ctrls and DTLS_get_data_mtu, through the dlvsym table (the
// header macros DTLSv1_get_timeout... would expand to a direct SSL_ctrl reference).
#include <sys/time.h>

#include "openssl_conn.h"

namespace sslshim::openssl_backend {

bool OpenSslConn::DtlsGetTimeout(long* seconds, long* microseconds) const {
  timeval left{};
  if (real_.SSL_ctrl(ssl_, DTLS_CTRL_GET_TIMEOUT, 0, &left) != 1) return false;
  *seconds = left.tv_sec;
  *microseconds = left.tv_usec;
  return true;
}

int OpenSslConn::DtlsHandleTimeout() {
  return static_cast<int>(real_.SSL_ctrl(ssl_, DTLS_CTRL_HANDLE_TIMEOUT, 0, nullptr));
}

bool OpenSslConn::DtlsSetMtu(long mtu) {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_MTU, mtu, nullptr) > 0;
}

bool OpenSslConn::DtlsSetLinkMtu(long mtu) {
  return real_.SSL_ctrl(ssl_, DTLS_CTRL_SET_LINK_MTU, mtu, nullptr) == 1;
}

size_t OpenSslConn::DtlsDataMtu() const { return real_.DTLS_get_data_mtu(ssl_); }

}  // namespace sslshim::openssl_backend
