// The peer's certificate as an object of the program's libcrypto (peer_info.cc).
#pragma once

#include <openssl/x509.h>

#include "core/objects.h"

namespace sslshim {

// Owned by the connection; the same object until the peer's certificate changes.
X509* PeerCertificate(Ssl* ssl);

}  // namespace sslshim
