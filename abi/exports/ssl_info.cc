// What a connection tells about itself once negotiated: version, Finished messages, the peer's
// certificate (as the program's own libcrypto X509). Ciphers: exports/ciphers.cc.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/peer_info.h"

SSLSHIM_SSL_ENTRY(SSL_get_version, "unknown") { return ssl->conn()->Version(); }

SSLSHIM_SSL_ENTRY(SSL_version, 0) { return ssl->conn()->VersionNumber(); }

SSLSHIM_SSL_ENTRY(SSL_client_version, 0) { return ssl->conn()->ClientVersion(); }

SSLSHIM_SSL_ENTRY(SSL_get_finished, 0, buf, count) { return ssl->conn()->Finished(buf, count); }

SSLSHIM_SSL_ENTRY(SSL_get_peer_finished, 0, buf, count) {
  return ssl->conn()->PeerFinished(buf, count);
}

// The same object SSL_get0_peer_certificate answers, with a reference for the caller, as in
// OpenSSL (exports/peer_info.cc).
SSLSHIM_SSL_ENTRY(SSL_get1_peer_certificate, nullptr) {
  X509* certificate = sslshim::PeerCertificate(ssl);
  if (certificate != nullptr) X509_up_ref(certificate);
  return certificate;
}
