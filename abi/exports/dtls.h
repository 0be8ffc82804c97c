// DTLS helpers shared by the DTLS exports (dtls.cc) and SSL_ctrl's DTLS commands (ctrl.cc).
#pragma once

#include <openssl/ssl.h>
#include <sys/time.h>

#include "core/objects.h"

namespace sslshim {

// OpenSSL's smallest link MTU (dtls1_link_min_mtu), what DTLS_get_link_min_mtu answers.
inline constexpr long kDtlsLinkMinMtu = 256;

// Whether the connection was made from a DTLS method.
bool IsDatagram(const Ssl* ssl);

// DTLSv1_get_timeout: 1 with the time left in *left, 0 when no retransmission timer runs (and on
// TLS connections).
long DtlsGetTimeout(Ssl* ssl, struct timeval* left);

}  // namespace sslshim
