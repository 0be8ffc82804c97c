#include "boringssl/hello_messages.h"

#include <cstring>

namespace sslshim::boringssl {
namespace {

// OpenSSL 3.0's ext_defs, in its order.
constexpr uint16_t kOpenSslExtensions[] = {
    0xff01,  // renegotiation_info
    0,       // server_name
    1,       // max_fragment_length
    12,      // srp
    11,      // ec_point_formats
    10,      // supported_groups
    35,      // session_ticket
    5,       // status_request
    13172,   // next_protocol_negotiation
    16,      // application_layer_protocol_negotiation
    14,      // use_srtp
    22,      // encrypt_then_mac
    18,      // signed_certificate_timestamp
    23,      // extended_master_secret
    50,      // signature_algorithms_cert
    49,      // post_handshake_auth
    13,      // signature_algorithms
    43,      // supported_versions
    45,      // psk_key_exchange_modes
    51,      // key_share
    44,      // cookie
    0xfde8,  // OpenSSL's cryptopro bug workaround
    42,      // early_data
    47,      // certificate_authorities
    21,      // padding
    41,      // pre_shared_key
};

}  // namespace

bool IsHelloRetryRequest(const uint8_t* msg, size_t len) {
  static constexpr uint8_t kHelloRetryRequestRandom[32] = {
      0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
      0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
      0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
  constexpr size_t kRandomOffset = 4 + 2;
  return len >= kRandomOffset + sizeof(kHelloRetryRequestRandom) &&
         memcmp(msg + kRandomOffset, kHelloRetryRequestRandom, sizeof(kHelloRetryRequestRandom)) ==
             0;
}

bool ClientHelloExtensions(CBS body, bool datagram, CBS* extensions) {
  CBS session_id, cookie, suites, compression;
  uint16_t version = 0;
  return CBS_get_u16(&body, &version) && CBS_skip(&body, 32) &&
         CBS_get_u8_length_prefixed(&body, &session_id) &&
         (!datagram || CBS_get_u8_length_prefixed(&body, &cookie)) &&
         CBS_get_u16_length_prefixed(&body, &suites) &&
         CBS_get_u8_length_prefixed(&body, &compression) &&
         CBS_get_u16_length_prefixed(&body, extensions);
}

bool ServerHelloExtensions(CBS body, CBS* extensions) {
  CBS session_id;
  uint16_t version = 0, suite = 0;
  uint8_t compression = 0;
  return CBS_get_u16(&body, &version) && CBS_skip(&body, 32) &&
         CBS_get_u8_length_prefixed(&body, &session_id) && CBS_get_u16(&body, &suite) &&
         CBS_get_u8(&body, &compression) && CBS_get_u16_length_prefixed(&body, extensions);
}

bool FindExtension(CBS extensions, uint16_t type, CBS* out) {
  while (CBS_len(&extensions) > 0) {
    uint16_t ext_type = 0;
    CBS body;
    if (!CBS_get_u16(&extensions, &ext_type) || !CBS_get_u16_length_prefixed(&extensions, &body)) {
      return false;
    }
    if (ext_type == type) {
      *out = body;
      return true;
    }
  }
  return false;
}

bool OpenSslImplementsExtension(uint16_t type) {
  for (uint16_t known : kOpenSslExtensions) {
    if (known == type) return true;
  }
  return false;
}

}  // namespace sslshim::boringssl
