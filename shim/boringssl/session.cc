#include "boringssl/session.h"

#include <openssl/err.h>
#include <openssl/mem.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "boringssl/error_translation.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {

BoringSslSession::BoringSslSession(bssl::UniquePtr<SSL_SESSION> session, std::string hostname,
                                   bool secret_shown)
    : session_(std::move(session)), hostname_(std::move(hostname)), secret_shown_(secret_shown) {}

std::vector<uint8_t> BoringSslSession::Serialize() const {
  uint8_t* bytes = nullptr;
  size_t len = 0;
  if (!SSL_SESSION_to_bytes(session_.get(), &bytes, &len)) {
    ERR_clear_error();  // only allocation can fail here; the caller sees an empty encoding
    return {};
  }
  std::vector<uint8_t> out(bytes, bytes + len);
  OPENSSL_free(bytes);
  if (!alpn_) return out;
  std::vector<uint8_t> element;
  if (!alpn_->empty()) {
    bssl::ScopedCBB cbb;
    CBB field;
    if (!CBB_init(cbb.get(), alpn_->size() + 8) ||
        !CBB_add_asn1(cbb.get(), &field, kEarlyAlpnTag) ||
        !CBB_add_asn1_octet_string(&field, alpn_->data(), alpn_->size()) || !CBB_flush(cbb.get())) {
      return {};
    }
    element.assign(CBB_data(cbb.get()), CBB_data(cbb.get()) + CBB_len(cbb.get()));
  }
  std::vector<uint8_t> with_alpn;
  return WithSessionField(out, kEarlyAlpnTag, element, &with_alpn) ? with_alpn : out;
}

bssl::UniquePtr<SSL_SESSION> ParseOwnEncoding(const std::vector<uint8_t>& encoded) {
  // Any context will do for parsing: BoringSSL's contexts share one X.509 method.
  static SSL_CTX* const parse_ctx = SSL_CTX_new(TLS_method());
  if (parse_ctx == nullptr) return nullptr;
  bssl::UniquePtr<SSL_SESSION> session(
      SSL_SESSION_from_bytes(encoded.data(), encoded.size(), parse_ctx));
  if (!session) ERR_clear_error();
  return session;
}

std::vector<uint8_t> BoringSslSession::Id() const {
  unsigned len = 0;
  const uint8_t* id = SSL_SESSION_get_id(session_.get(), &len);
  return std::vector<uint8_t>(id, id + len);
}

long BoringSslSession::Time() const {
  if (time_) return *time_;
  return static_cast<long>(SSL_SESSION_get_time(session_.get()));
}

long BoringSslSession::Timeout() const {
  if (timeout_) return *timeout_;
  return static_cast<long>(SSL_SESSION_get_timeout(session_.get()));
}

void BoringSslSession::SetTime(long time) {
  time_ = time;
  if (server_) SSL_SESSION_set_time(session_.get(), static_cast<uint64_t>(time < 0 ? 0 : time));
}

void BoringSslSession::SetTimeout(long timeout) {
  timeout_ = timeout;
  // OpenSSL never expires a session whose time plus timeout overflows; the largest 32-bit
  // timeout is BoringSSL's nearest.
  const long most = static_cast<long>(UINT32_MAX);
  if (server_)
    SSL_SESSION_set_timeout(session_.get(), static_cast<uint32_t>(std::min(timeout, most)));
}

bool BoringSslSession::HasTicket() const { return SSL_SESSION_has_ticket(session_.get()) != 0; }

unsigned long BoringSslSession::TicketLifetimeHint() const {
  return SSL_SESSION_get_ticket_lifetime_hint(session_.get());
}

int BoringSslSession::ProtocolVersion() const {
  return SSL_SESSION_get_protocol_version(session_.get());
}

bool BoringSslSession::IsResumable() const { return SSL_SESSION_is_resumable(session_.get()) != 0; }

size_t BoringSslSession::MasterKey(uint8_t out[kMaxMasterKeyLength]) const {
  static_assert(kMaxMasterKeyLength == SSL_MAX_MASTER_KEY_LENGTH);
  if (!secret_shown_) return 0;
  if (held_secret_) {
    std::copy(held_secret_->begin(), held_secret_->end(), out);
    return held_secret_->size();
  }
  return SSL_SESSION_get_master_key(session_.get(), out, kMaxMasterKeyLength);
}

std::unique_ptr<BackendSession> ParseBoringSslSession(const uint8_t* der, size_t len,
                                                      const SSL_CTX* ctx,
                                                      std::vector<ErrorRecord>* errors) {
  if (der == nullptr) {
    errors->push_back(
        MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_PASSED_NULL_PARAMETER), ""));
    return nullptr;
  }
  ERR_clear_error();
  bssl::UniquePtr<SSL_SESSION> session(SSL_SESSION_from_bytes(der, len, ctx));
  if (!session) {
    size_t before = errors->size();
    DrainBoringSslErrors(errors);
    if (errors->size() == before) {
      errors->push_back(MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_INTERNAL_ERROR),
                                           "BoringSSL: SSL_SESSION_from_bytes failed"));
    }
    return nullptr;
  }
  return std::make_unique<BoringSslSession>(std::move(session), std::string());
}

bool BoringSslSession::SetId(const uint8_t* id, size_t len) {
  return SSL_SESSION_set1_id(session_.get(), id, len) == 1;
}

bool BoringSslSession::SetIdContext(const uint8_t* sid_ctx, size_t len) {
  return SSL_SESSION_set1_id_context(session_.get(), sid_ctx, len) == 1;
}

// BoringSSL takes only the versions it speaks (OpenSSL stores any number).
bool BoringSslSession::SetProtocolVersion(int version) {
  return SSL_SESSION_set_protocol_version(session_.get(), static_cast<uint16_t>(version)) == 1 &&
         ApplyHeldFields();
}

}  // namespace sslshim::boringssl
