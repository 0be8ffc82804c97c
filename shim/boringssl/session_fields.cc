// SSL_SESSION_set_cipher and SSL_SESSION_set1_master_key for BoringSSL sessions. BoringSSL has a
// setter for neither, so the session is read back from its own encoding (ssl/ssl_asn1.cc) with
// the field replaced: the suite is the third element of the SEQUENCE, the secret the fifth.
// BoringSSL neither encodes a session without a cipher nor reads one without a version, and a
// session from SSL_SESSION_new has neither, so what the program sets is held until it has both
// (OpenSSL's s_client sets the cipher, the key, then the version; its s_server the key first).
#include <openssl/bytestring.h>
#include <openssl/mem.h>

#include <utility>

#include "boringssl/session.h"

namespace sslshim::boringssl {
namespace {

constexpr unsigned kTimeTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 1;
constexpr unsigned kTimeoutTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 2;
constexpr unsigned kSessionIdContextTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 4;
constexpr unsigned kIsServerTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 22;
constexpr size_t kCipherField = 2;  // version, sslVersion, cipher, sessionID, secret
constexpr size_t kSecretField = 4;

bool AddUintField(CBB* seq, unsigned tag, uint64_t value) {
  CBB child;
  return CBB_add_asn1(seq, &child, tag) && CBB_add_asn1_uint64(&child, value) && CBB_flush(seq);
}

// The fields BoringSSL requires, from a session it cannot encode (one without a cipher): its
// version, ID, time, timeout and ID context, which are all such a session can hold, and whose
// end it is for (absent, BoringSSL reads a server's, which its client would not offer).
bool EncodeRequiredFields(const SSL_SESSION* session, bool server, uint16_t cipher,
                          const std::vector<uint8_t>& secret, CBB* out) {
  CBB seq, octets, is_server;
  unsigned id_len = 0;
  const uint8_t* id = SSL_SESSION_get_id(session, &id_len);
  unsigned sid_ctx_len = 0;
  const uint8_t* sid_ctx = SSL_SESSION_get0_id_context(session, &sid_ctx_len);
  return CBB_add_asn1(out, &seq, CBS_ASN1_SEQUENCE) && CBB_add_asn1_uint64(&seq, 1) &&
         CBB_add_asn1_uint64(&seq, SSL_SESSION_get_protocol_version(session)) &&
         CBB_add_asn1(&seq, &octets, CBS_ASN1_OCTETSTRING) && CBB_add_u16(&octets, cipher) &&
         CBB_add_asn1_octet_string(&seq, id, id_len) &&
         CBB_add_asn1_octet_string(&seq, secret.data(), secret.size()) &&
         AddUintField(&seq, kTimeTag, SSL_SESSION_get_time(session)) &&
         AddUintField(&seq, kTimeoutTag, SSL_SESSION_get_timeout(session)) &&
         CBB_add_asn1(&seq, &octets, kSessionIdContextTag) &&
         CBB_add_asn1_octet_string(&octets, sid_ctx, sid_ctx_len) &&
         (server ||
          (CBB_add_asn1(&seq, &is_server, kIsServerTag) && CBB_add_asn1_bool(&is_server, 0))) &&
         CBB_flush(out);
}

// `encoded` with its cipher and secret replaced.
bool ReplaceFields(const std::vector<uint8_t>& encoded, uint16_t cipher,
                   const std::vector<uint8_t>& secret, CBB* out) {
  CBS cbs, fields;
  CBS_init(&cbs, encoded.data(), encoded.size());
  CBB seq, octets;
  if (!CBS_get_asn1(&cbs, &fields, CBS_ASN1_SEQUENCE) ||
      !CBB_add_asn1(out, &seq, CBS_ASN1_SEQUENCE)) {
    return false;
  }
  for (size_t index = 0; CBS_len(&fields) > 0; index++) {
    CBS element;
    if (!CBS_get_any_asn1_element(&fields, &element, nullptr, nullptr)) return false;
    bool ok = index == kCipherField ? CBB_add_asn1(&seq, &octets, CBS_ASN1_OCTETSTRING) &&
                                          CBB_add_u16(&octets, cipher) && CBB_flush(&seq)
              : index == kSecretField
                  ? CBB_add_asn1_octet_string(&seq, secret.data(), secret.size())
                  : CBB_add_bytes(&seq, CBS_data(&element), CBS_len(&element));
    if (!ok) return false;
  }
  return CBB_flush(out);
}

}  // namespace

std::vector<uint8_t> BoringSslSession::AlpnSelected() const {
  if (alpn_) return *alpn_;
  const std::vector<uint8_t> encoded = Serialize();  // the CBS below points into it
  CBS contents, alpn;
  if (!FindSessionField(encoded, kEarlyAlpnTag, &contents) ||
      !CBS_get_asn1(&contents, &alpn, CBS_ASN1_OCTETSTRING)) {
    return {};
  }
  return std::vector<uint8_t>(CBS_data(&alpn), CBS_data(&alpn) + CBS_len(&alpn));
}

bool BoringSslSession::SetCipher(uint16_t value) {
  if (SSL_get_cipher_by_value(value) == nullptr) return false;
  std::optional<uint16_t> before = std::exchange(held_cipher_, value);
  if (ApplyHeldFields()) return true;
  held_cipher_ = before;
  return false;
}

bool BoringSslSession::SetMasterKey(const uint8_t* key, size_t len) {
  if (len > SSL_MAX_MASTER_KEY_LENGTH) return false;
  std::optional<std::vector<uint8_t>> before =
      std::exchange(held_secret_, std::vector<uint8_t>(key, key + len));
  if (!ApplyHeldFields()) {
    held_secret_ = std::move(before);
    return false;
  }
  secret_shown_ = true;
  return true;
}

bool BoringSslSession::ApplyHeldFields() {
  const SSL_CIPHER* current = SSL_SESSION_get0_cipher(session_.get());
  if (!held_cipher_ && !held_secret_) return true;
  if ((!held_cipher_ && current == nullptr) ||
      SSL_SESSION_get_protocol_version(session_.get()) == 0) {
    return true;  // held: BoringSSL could not read the session back yet
  }
  const uint16_t cipher = held_cipher_ ? *held_cipher_ : SSL_CIPHER_get_protocol_id(current);
  std::vector<uint8_t> secret;
  if (held_secret_) {
    secret = *held_secret_;
  } else {
    secret.resize(SSL_MAX_MASTER_KEY_LENGTH);
    secret.resize(SSL_SESSION_get_master_key(session_.get(), secret.data(), secret.size()));
  }
  bssl::ScopedCBB cbb;
  if (!CBB_init(cbb.get(), 256)) return false;
  bool ok = current != nullptr
                ? ReplaceFields(Serialize(), cipher, secret, cbb.get())
                : EncodeRequiredFields(session_.get(), server_, cipher, secret, cbb.get());
  if (!ok || !CBB_flush(cbb.get())) return false;
  bssl::UniquePtr<SSL_SESSION> rebuilt = ParseOwnEncoding(
      std::vector<uint8_t>(CBB_data(cbb.get()), CBB_data(cbb.get()) + CBB_len(cbb.get())));
  if (!rebuilt) return false;
  session_ = std::move(rebuilt);
  held_cipher_.reset();
  held_secret_.reset();
  return true;
}

}  // namespace sslshim::boringssl
