// PSK on an OpenSslConn: the real libssl runs the callbacks (in TLS 1.2 and, as an external PSK,
// in TLS 1.3), which reach the program's through the core, with the program's SSL.
#include <string>

#include "openssl_conn.h"

namespace sslshim::openssl_backend {
namespace {

// The callbacks have no argument: the table is the process's, as for the info callback.
OpenSslConn* ConnOf(const SSL* ssl) {
  const RealLibssl* real = ProcessRealLibssl(nullptr);
  if (real == nullptr) return nullptr;
  OpenSslConn* conn = OpenSslConn::FromSsl(*real, ssl);
  return conn != nullptr && conn->observer() != nullptr ? conn : nullptr;
}

unsigned ClientTrampoline(SSL* ssl, const char* hint, char* identity, unsigned max_identity_len,
                          unsigned char* psk, unsigned max_psk_len) {
  OpenSslConn* conn = ConnOf(ssl);
  if (conn == nullptr) return 0;
  return conn->observer()->OnPskClient(hint, identity, max_identity_len, psk, max_psk_len);
}

unsigned ServerTrampoline(SSL* ssl, const char* identity, unsigned char* psk,
                          unsigned max_psk_len) {
  OpenSslConn* conn = ConnOf(ssl);
  if (conn == nullptr) return 0;
  return conn->observer()->OnPskServer(identity, psk, max_psk_len);
}

bool Answer(const char* value, std::string* out) {
  if (value == nullptr) return false;
  *out = value;
  return true;
}

}  // namespace

bool OpenSslConn::SetPsk(bool client_callback, bool server_callback, const char* hint) {
  real_.SSL_set_psk_client_callback(ssl_, client_callback ? ClientTrampoline : nullptr);
  real_.SSL_set_psk_server_callback(ssl_, server_callback ? ServerTrampoline : nullptr);
  return real_.SSL_use_psk_identity_hint(ssl_, hint) == 1;
}

bool OpenSslConn::PskIdentity(std::string* out) const {
  return Answer(real_.SSL_get_psk_identity(ssl_), out);
}

bool OpenSslConn::PskIdentityHint(std::string* out) const {
  return Answer(real_.SSL_get_psk_identity_hint(ssl_), out);
}

}  // namespace sslshim::openssl_backend
