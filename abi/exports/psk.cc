// PSK (TLS 1.2's, and in OpenSSL 3 TLS 1.3's external PSK from the same callbacks): the program's
// callbacks and identity hint, per context (what SSL_new copies) and per connection, and what the
// handshake used. On the BoringSSL backend a connection that could reach TLS 1.3 with a callback
// set refuses to handshake (core/fail_closed.h, docs/contract.md).
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>
#include <memory>
#include <string>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// OpenSSL's check (PSK_MAX_IDENTITY_LEN) and copy; a null hint clears it. False with the reason.
bool KeepHint(const char* hint, std::unique_ptr<std::string>* kept, const char* func) {
  if (hint != nullptr && std::strlen(hint) > PSK_MAX_IDENTITY_LEN) {
    PushError(ERR_LIB_SSL, SSL_R_DATA_LENGTH_TOO_LONG, func);
    return false;
  }
  *kept = hint != nullptr ? std::make_unique<std::string>(hint) : nullptr;
  return true;
}

// A string the connection keeps, so the pointer handed out stays good until the next call.
const char* HandOut(bool present, const std::string& value, std::string* kept) {
  if (!present) return nullptr;
  *kept = value;
  return kept->c_str();
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_psk_client_callback, , cb) { ctx->psk_client_callback = cb; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_psk_server_callback, , cb) { ctx->psk_server_callback = cb; }

SSLSHIM_CTX_ENTRY(SSL_CTX_use_psk_identity_hint, 0, identity_hint) {
  return sslshim::KeepHint(identity_hint, &ctx->psk_identity_hint, "SSL_CTX_use_psk_identity_hint")
             ? 1
             : 0;
}

SSLSHIM_SSL_ENTRY(SSL_set_psk_client_callback, , cb) {
  ssl->psk_client_callback = cb;
  sslshim::FinishConnCall(ssl, ssl->UpdatePsk(), 0, "SSL_set_psk_client_callback");
}

SSLSHIM_SSL_ENTRY(SSL_set_psk_server_callback, , cb) {
  ssl->psk_server_callback = cb;
  sslshim::FinishConnCall(ssl, ssl->UpdatePsk(), 0, "SSL_set_psk_server_callback");
}

SSLSHIM_SSL_ENTRY(SSL_use_psk_identity_hint, 0, identity_hint) {
  static constexpr char kFunc[] = "SSL_use_psk_identity_hint";
  if (!sslshim::KeepHint(identity_hint, &ssl->psk_identity_hint, kFunc)) return 0;
  return sslshim::FinishConnCall(ssl, ssl->UpdatePsk(), ERR_R_INTERNAL_ERROR, kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_get_psk_identity, nullptr) {
  std::string identity;
  const bool present = ssl->conn()->PskIdentity(&identity);
  return sslshim::HandOut(present, identity, &ssl->psk_identity_seen);
}

SSLSHIM_SSL_ENTRY(SSL_get_psk_identity_hint, nullptr) {
  std::string hint;
  const bool present = ssl->conn()->PskIdentityHint(&hint);
  return sslshim::HandOut(present, hint, &ssl->psk_identity_hint_seen);
}
