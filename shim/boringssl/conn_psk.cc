// TLS 1.2 PSK on a BoringSslConn: BoringSSL's callbacks have OpenSSL's signatures; they reach the
// program's through the core, with the program's SSL. BoringSSL has no TLS 1.3 external PSK
// (HasTls13ExternalPsk), which the core answers for.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include "boringssl/conn.h"
#include "boringssl/error_translation.h"

namespace sslshim::boringssl {

bool BoringSslConn::SetPsk(bool client_callback, bool server_callback, const char* hint) {
  SSL_set_psk_client_callback(ssl_.get(), client_callback ? PskClientCallback : nullptr);
  SSL_set_psk_server_callback(ssl_.get(), server_callback ? PskServerCallback : nullptr);
  ERR_clear_error();
  const bool ok = SSL_use_psk_identity_hint(ssl_.get(), hint) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::PskIdentity(std::string* out) const {
  const char* identity = SSL_get_psk_identity(ssl_.get());
  if (identity == nullptr) return false;
  *out = identity;
  return true;
}

// OpenSSL's answer is the session's: the hint a client received; a server keeps none there.
bool BoringSslConn::PskIdentityHint(std::string* out) const {
  if (server_ || !peer_psk_hint_seen_) return false;
  *out = peer_psk_hint_;
  return true;
}

// OpenSSL offers the identity PSK_MAX_IDENTITY_LEN bytes (its buffer less the terminator);
// BoringSSL counts the terminator in.
unsigned BoringSslConn::PskClientCallback(SSL* ssl, const char* hint, char* identity,
                                          unsigned max_identity_len, uint8_t* psk,
                                          unsigned max_psk_len) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr) return 0;
  conn->peer_psk_hint_seen_ = hint != nullptr;
  conn->peer_psk_hint_ = hint != nullptr ? hint : "";
  const unsigned room = max_identity_len > 0 ? max_identity_len - 1 : 0;
  return conn->observer_->OnPskClient(hint, identity, room, psk, max_psk_len);
}

unsigned BoringSslConn::PskServerCallback(SSL* ssl, const char* identity, uint8_t* psk,
                                          unsigned max_psk_len) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr) return 0;
  return conn->observer_->OnPskServer(identity, psk, max_psk_len);
}

}  // namespace sslshim::boringssl
