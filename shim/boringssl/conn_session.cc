// Resumption on a BoringSslConn: SSL_get1_session, SSL_set_session, SSL_session_reused.
#include <openssl/err.h>

#include <string>

#include "boringssl/conn.h"
#include "boringssl/ctx.h"
#include "boringssl/error_translation.h"
#include "boringssl/openssl3_constants.h"
#include "boringssl/session.h"

namespace sslshim::boringssl {

std::unique_ptr<BackendSession> BoringSslConn::Get1Session() const {
  SSL_SESSION* session = SSL_get_session(ssl_.get());
  // A TLS 1.3 client's handshake session is never resumable in BoringSSL; its tickets come as
  // separate sessions. OpenSSL's SSL_get1_session gives the ticketed one, so prefer the latest
  // ticket once the handshake is over (Python's SSLSocket.session relies on it).
  if (!server_ && latest_ticket_session_ && !SSL_in_init(ssl_.get())) {
    session = latest_ticket_session_.get();
  }
  if (session == nullptr) return nullptr;
  // OpenSSL's TLS 1.3 client handshake session holds no secret (SSL_SESSION_get_master_key
  // answers 0 until a ticket brings one); BoringSSL's holds the resumption secret.
  const bool secret_shown =
      server_ || !IsTls13(ssl_.get()) || session == latest_ticket_session_.get();
  return WrapSession(session, secret_shown);
}

std::unique_ptr<BoringSslSession> BoringSslConn::WrapSession(SSL_SESSION* session,
                                                             bool secret_shown) const {
  auto result =
      std::make_unique<BoringSslSession>(bssl::UpRef(session), ServerName(), secret_shown);
  result->SetVerifyResult(verify_result_);
  if (server_) result->MarkServer();
  if (result->AlpnSelected().empty()) {
    std::vector<uint8_t> alpn = AlpnSelected();
    if (!alpn.empty()) result->SetAlpnSelected(alpn);
  }
  return result;
}

bool BoringSslConn::CopyCertificateAndSessionIdContext(const BackendConn& from) {
  const auto* other = dynamic_cast<const BoringSslConn*>(&from);
  if (other == nullptr) {
    errors_.push_back(
        MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_PASSED_INVALID_ARGUMENT), ""));
    return false;
  }
  SSL* source = other->ssl_.get();
  ERR_clear_error();
  SSL_certs_clear(ssl_.get());
  bool ok = true;
  if (X509* leaf = SSL_get_certificate(source); leaf != nullptr) {
    STACK_OF(X509)* chain = nullptr;
    ok = SSL_use_certificate(ssl_.get(), leaf) == 1 && SSL_get0_chain_certs(source, &chain) == 1 &&
         (chain == nullptr || SSL_set1_chain(ssl_.get(), chain) == 1);
  }
  if (EVP_PKEY* key = SSL_get_privatekey(source); ok && key != nullptr) {
    ok = SSL_use_PrivateKey(ssl_.get(), key) == 1;
  }
  size_t sid_ctx_len = 0;
  const uint8_t* sid_ctx = SSL_get0_session_id_context(source, &sid_ctx_len);
  ok = ok && SSL_set_session_id_context(ssl_.get(), sid_ctx, sid_ctx_len) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::HandshakeStarted() const {
  // SSL_in_init is false once a handshake has finished (BoringSSL frees its handshake state).
  return io_started_ || SSL_in_init(ssl_.get()) == 0;
}

bool BoringSslConn::SetSession(const BackendSession* session) {
  // BoringSSL aborts the process when a session is set once the handshake has begun; OpenSSL
  // accepts it and ignores it for the running handshake. Refuse instead, with OpenSSL's reason
  // for a session that cannot be used here.
  if (HandshakeStarted()) {
    errors_.push_back(MakeSslErrorRecord(
        static_cast<int>(openssl3::kERR_R_SHOULD_NOT_HAVE_BEEN_CALLED),
        "BoringSSL: SSL_set_session is only possible before the handshake starts"));
    return false;
  }
  if (session == nullptr) {
    SSL_set_session(ssl_.get(), nullptr);
    return true;
  }
  auto* ours = dynamic_cast<const BoringSslSession*>(session);
  if (ours == nullptr) {
    errors_.push_back(MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_PASSED_INVALID_ARGUMENT),
                                         "BoringSSL: not a session of this backend"));
    return false;
  }
  ERR_clear_error();
  bool ok = SSL_set_session(ssl_.get(), ours->get()) == 1;  // takes its own reference
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::SessionReused() const { return SSL_session_reused(ssl_.get()) != 0; }

bool BoringSslConn::HasMatchingSessionId(const uint8_t* id, size_t len, int initial_version) const {
  return CacheHoldsSessionId(ssl_.get(), session_ctx_, initial_version, id, len);
}

}  // namespace sslshim::boringssl
