// SSL_SESSION_get/set_max_early_data for BoringSSL sessions. BoringSSL keeps the limit
// (ticket_max_early_data) in its session but exports no accessor, so it is read from and written
// into the session's own encoding (ssl/ssl_asn1.cc: an optional [24] INTEGER, fields in tag order).
#include <openssl/bytestring.h>
#include <openssl/mem.h>

#include "boringssl/session.h"

namespace sslshim::boringssl {
namespace {

constexpr unsigned kTicketMaxEarlyDataTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 24;

bool IsContextTagAfterMaxEarlyData(unsigned tag) {
  return (tag & CBS_ASN1_CONTEXT_SPECIFIC) != 0 && (tag & CBS_ASN1_TAG_NUMBER_MASK) > 24;
}

// The session's fields: `*fields` spans the SEQUENCE's contents of `encoded`.
bool SessionFields(const std::vector<uint8_t>& encoded, CBS* fields) {
  CBS cbs;
  CBS_init(&cbs, encoded.data(), encoded.size());
  return CBS_get_asn1(&cbs, fields, CBS_ASN1_SEQUENCE);
}

bool AddMaxEarlyData(CBB* seq, uint32_t max) {
  CBB child;
  return max == 0 || (CBB_add_asn1(seq, &child, kTicketMaxEarlyDataTag) &&
                      CBB_add_asn1_uint64(&child, max) && CBB_flush(seq));
}

}  // namespace

uint32_t BoringSslSession::MaxEarlyData() const {
  CBS contents;
  uint64_t value;
  if (!FindSessionField(Serialize(), kTicketMaxEarlyDataTag, &contents) ||
      !CBS_get_asn1_uint64(&contents, &value) || value > UINT32_MAX) {
    return 0;
  }
  return static_cast<uint32_t>(value);
}

std::unique_ptr<BackendSession> BoringSslSession::WithMaxEarlyData(uint32_t max) const {
  std::vector<uint8_t> encoded = Serialize();
  CBS fields;
  if (!SessionFields(encoded, &fields)) return nullptr;
  bssl::ScopedCBB cbb;
  CBB seq;
  if (!CBB_init(cbb.get(), encoded.size() + 8) ||
      !CBB_add_asn1(cbb.get(), &seq, CBS_ASN1_SEQUENCE)) {
    return nullptr;
  }
  bool written = false;
  while (CBS_len(&fields) > 0) {
    CBS element;
    unsigned tag;
    size_t header_len;
    if (!CBS_get_any_asn1_element(&fields, &element, &tag, &header_len)) return nullptr;
    if (tag == kTicketMaxEarlyDataTag) continue;
    if (!written && IsContextTagAfterMaxEarlyData(tag)) {
      if (!AddMaxEarlyData(&seq, max)) return nullptr;
      written = true;
    }
    if (!CBB_add_bytes(&seq, CBS_data(&element), CBS_len(&element))) return nullptr;
  }
  if (!written && !AddMaxEarlyData(&seq, max)) return nullptr;
  uint8_t* out = nullptr;
  size_t out_len = 0;
  if (!CBB_finish(cbb.get(), &out, &out_len)) return nullptr;
  bssl::UniquePtr<uint8_t> owned(out);
  // Any context will do for parsing: BoringSSL's contexts share one X.509 method.
  static SSL_CTX* const parse_ctx = SSL_CTX_new(TLS_method());
  if (parse_ctx == nullptr) return nullptr;
  bssl::UniquePtr<SSL_SESSION> copy(SSL_SESSION_from_bytes(out, out_len, parse_ctx));
  if (!copy) return nullptr;
  return std::make_unique<BoringSslSession>(std::move(copy), Hostname());
}

}  // namespace sslshim::boringssl
