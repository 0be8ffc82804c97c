// SSL_SESSION_get/set_max_early_data for BoringSSL sessions. BoringSSL keeps the limit
// (ticket_max_early_data) in its session but exports no accessor, so it is read from and written
// into the session's own encoding (ssl/ssl_asn1.cc: an optional [24] INTEGER, fields in tag order).
#include <openssl/bytestring.h>
#include <openssl/mem.h>

#include "boringssl/session.h"

namespace sslshim::boringssl {
namespace {

constexpr unsigned kTicketMaxEarlyDataTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 24;

}  // namespace

uint32_t BoringSslSession::MaxEarlyData() const {
  const std::vector<uint8_t> encoded = Serialize();  // the CBS below points into it
  CBS contents;
  uint64_t value;
  if (!FindSessionField(encoded, kTicketMaxEarlyDataTag, &contents) ||
      !CBS_get_asn1_uint64(&contents, &value) || value > UINT32_MAX) {
    return 0;
  }
  return static_cast<uint32_t>(value);
}

std::unique_ptr<BackendSession> BoringSslSession::WithMaxEarlyData(uint32_t max) const {
  std::vector<uint8_t> element;  // none for 0: BoringSSL leaves the field out then
  if (max != 0) {
    bssl::ScopedCBB cbb;
    CBB field;
    if (!CBB_init(cbb.get(), 16) || !CBB_add_asn1(cbb.get(), &field, kTicketMaxEarlyDataTag) ||
        !CBB_add_asn1_uint64(&field, max) || !CBB_flush(cbb.get())) {
      return nullptr;
    }
    element.assign(CBB_data(cbb.get()), CBB_data(cbb.get()) + CBB_len(cbb.get()));
  }
  std::vector<uint8_t> encoded;
  if (!WithSessionField(Serialize(), kTicketMaxEarlyDataTag, element, &encoded)) return nullptr;
  bssl::UniquePtr<SSL_SESSION> copy = ParseOwnEncoding(encoded);
  if (!copy) return nullptr;
  return std::make_unique<BoringSslSession>(std::move(copy), Hostname());
}

}  // namespace sslshim::boringssl
