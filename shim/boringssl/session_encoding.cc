// What BoringSSL keeps in a session without an accessor, read from the session's own encoding
// (ssl/ssl_asn1.cc), and SSL_SESSION_print's facts.
#include <openssl/bytestring.h>

#include "boringssl/cipher_info.h"
#include "boringssl/session.h"

namespace sslshim::boringssl {
namespace {

constexpr unsigned kVerifyResultTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 5;
constexpr unsigned kExtendedMasterSecretTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 17;

}  // namespace

bool FindSessionField(const std::vector<uint8_t>& encoded, unsigned tag, CBS* contents) {
  CBS cbs, fields;
  CBS_init(&cbs, encoded.data(), encoded.size());
  if (!CBS_get_asn1(&cbs, &fields, CBS_ASN1_SEQUENCE)) return false;
  while (CBS_len(&fields) > 0) {
    CBS element;
    unsigned element_tag;
    size_t header_len;
    if (!CBS_get_any_asn1_element(&fields, &element, &element_tag, &header_len)) return false;
    if (element_tag != tag) continue;
    CBS_init(contents, CBS_data(&element) + header_len, CBS_len(&element) - header_len);
    return true;
  }
  return false;
}

bool WithSessionField(const std::vector<uint8_t>& encoded, unsigned tag,
                      const std::vector<uint8_t>& element, std::vector<uint8_t>* out) {
  CBS cbs, fields;
  CBS_init(&cbs, encoded.data(), encoded.size());
  if (!CBS_get_asn1(&cbs, &fields, CBS_ASN1_SEQUENCE)) return false;
  const unsigned number = tag & CBS_ASN1_TAG_NUMBER_MASK;
  bssl::ScopedCBB cbb;
  CBB seq;
  if (!CBB_init(cbb.get(), encoded.size() + element.size()) ||
      !CBB_add_asn1(cbb.get(), &seq, CBS_ASN1_SEQUENCE)) {
    return false;
  }
  bool written = false;
  while (CBS_len(&fields) > 0) {
    CBS field;
    unsigned field_tag;
    size_t header_len;
    if (!CBS_get_any_asn1_element(&fields, &field, &field_tag, &header_len)) return false;
    if (field_tag == tag) continue;
    if (!written && (field_tag & CBS_ASN1_CONTEXT_SPECIFIC) != 0 &&
        (field_tag & CBS_ASN1_TAG_NUMBER_MASK) > number) {
      if (!CBB_add_bytes(&seq, element.data(), element.size())) return false;
      written = true;
    }
    if (!CBB_add_bytes(&seq, CBS_data(&field), CBS_len(&field))) return false;
  }
  if (!written && !CBB_add_bytes(&seq, element.data(), element.size())) return false;
  if (!CBB_flush(cbb.get())) return false;
  out->assign(CBB_data(cbb.get()), CBB_data(cbb.get()) + CBB_len(cbb.get()));
  return true;
}

BackendSession::Facts BoringSslSession::Describe() const {
  Facts facts;
  const SSL_CIPHER* cipher = held_cipher_ ? SSL_get_cipher_by_value(*held_cipher_)
                                          : SSL_SESSION_get0_cipher(session_.get());
  if (cipher != nullptr) {
    facts.has_cipher = true;
    facts.cipher = DescribeCipher(cipher);
  }
  unsigned len = 0;
  const uint8_t* id_context = SSL_SESSION_get0_id_context(session_.get(), &len);
  facts.id_context.assign(id_context, id_context + len);
  const uint8_t* ticket = nullptr;
  size_t ticket_len = 0;
  SSL_SESSION_get0_ticket(session_.get(), &ticket, &ticket_len);
  facts.ticket.assign(ticket, ticket + ticket_len);
  const STACK_OF(CRYPTO_BUFFER)* peer = SSL_SESSION_get0_peer_certificates(session_.get());
  if (peer != nullptr && sk_CRYPTO_BUFFER_num(peer) > 0) {
    const CRYPTO_BUFFER* leaf = sk_CRYPTO_BUFFER_value(peer, 0);
    facts.peer_certificate.assign(CRYPTO_BUFFER_data(leaf),
                                  CRYPTO_BUFFER_data(leaf) + CRYPTO_BUFFER_len(leaf));
  }

  std::vector<uint8_t> encoded = Serialize();
  CBS field;
  uint64_t verify_result = 0;
  if (FindSessionField(encoded, kVerifyResultTag, &field))
    CBS_get_asn1_uint64(&field, &verify_result);
  facts.verify_result = verify_result_.value_or(static_cast<long>(verify_result));
  int extended_master_secret = 0;
  if (FindSessionField(encoded, kExtendedMasterSecretTag, &field)) {
    CBS_get_asn1_bool(&field, &extended_master_secret);
  }
  facts.extended_master_secret = extended_master_secret != 0;
  return facts;
}

}  // namespace sslshim::boringssl
