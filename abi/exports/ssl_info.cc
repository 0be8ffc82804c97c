// What a connection tells about itself once negotiated: version, Finished messages, the peer's
// certificate (as the program's own libcrypto X509). Ciphers: exports/ciphers.cc.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "exports/dispatch.h"
#include "exports/entry_point.h"

SSLSHIM_SSL_ENTRY(SSL_get_version, "unknown") { return ssl->conn->Version(); }

SSLSHIM_SSL_ENTRY(SSL_version, 0) { return ssl->conn->VersionNumber(); }

SSLSHIM_SSL_ENTRY(SSL_get_finished, 0, buf, count) { return ssl->conn->Finished(buf, count); }

SSLSHIM_SSL_ENTRY(SSL_get_peer_finished, 0, buf, count) {
  return ssl->conn->PeerFinished(buf, count);
}

SSLSHIM_SSL_ENTRY(SSL_get1_peer_certificate, nullptr) {
  std::vector<uint8_t> der = ssl->conn->PeerCertificateDer();
  if (der.empty()) return nullptr;
  const unsigned char* p = der.data();
  return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}
