// The ctrl commands that answer what a connection learnt from the peer's hello messages
// (exports/hello_info.cc), for SSL_ctrl's dispatcher.
#pragma once

#include "core/objects.h"

namespace sslshim {

// SSL_CTRL_GET_PEER_TMP_KEY (SSL_get_peer_tmp_key, SSL_get_server_tmp_key).
long PeerTmpKeyCtrl(Ssl* ssl, void* parg);
// SSL_CTRL_GET_SHARED_GROUP (SSL_get_shared_group).
long SharedGroupCtrl(Ssl* ssl, long n);
// SSL_CTRL_GET_CLIENT_CERT_TYPES (SSL_get0_certificate_types).
long CertificateTypesCtrl(Ssl* ssl, void* parg);
// SSL_CTRL_GET_TLSEXT_STATUS_REQ_EXTS (SSL_get_tlsext_status_exts).
long StatusRequestExtensionsCtrl(Ssl* ssl, void* parg);

}  // namespace sslshim
