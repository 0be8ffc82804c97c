// What a connection tells about itself once negotiated: version, Finished messages, the peer's
// certificate (as the program's own libcrypto X509). Ciphers: exports/ciphers.cc.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "exports/dispatch.h"

extern "C" const char* SSL_get_version(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_version, "unknown", s);
  return ssl->conn->Version();
}

extern "C" int SSL_version(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_version, 0, s);
  return ssl->conn->VersionNumber();
}

extern "C" size_t SSL_get_finished(const SSL* s, void* buf, size_t count) {
  SSLSHIM_SSL(ssl, s, SSL_get_finished, 0, s, buf, count);
  return ssl->conn->Finished(buf, count);
}

extern "C" size_t SSL_get_peer_finished(const SSL* s, void* buf, size_t count) {
  SSLSHIM_SSL(ssl, s, SSL_get_peer_finished, 0, s, buf, count);
  return ssl->conn->PeerFinished(buf, count);
}

extern "C" X509* SSL_get1_peer_certificate(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get1_peer_certificate, nullptr, s);
  std::vector<uint8_t> der = ssl->conn->PeerCertificateDer();
  if (der.empty()) return nullptr;
  const unsigned char* p = der.data();
  return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}
