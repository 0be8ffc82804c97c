// What OpenSSL 3 keeps from the peer's handshake messages and BoringSSL does not, read from the
// messages themselves as the message callback shows them (before BoringSSL processes each): the
// peer's key share (SSL_get_peer_tmp_key), a client's certificate types, a server's status
// request extensions, and the extensions OpenSSL's TLS extension debug callback reports.
#include <openssl/bytestring.h>
#include <openssl/ssl.h>

#include <vector>

#include "boringssl/conn.h"
#include "boringssl/hello_messages.h"

namespace sslshim::boringssl {
namespace {

// ECParameters.curve_type for a named curve (RFC 8422).
constexpr uint8_t kNamedCurve = 3;
// A DTLS handshake header adds a message sequence and fragment offset and length (RFC 6347).
constexpr size_t kDtlsHeaderExtra = 2 + 3 + 3;

}  // namespace

void BoringSslConn::ObserveReceivedMessage(const uint8_t* msg, size_t len) {
  CBS cbs, body;
  CBS_init(&cbs, msg, len);
  uint8_t type = 0;
  if (!CBS_get_u8(&cbs, &type) || !CBS_get_u24_length_prefixed(&cbs, &body)) return;
  if (datagram_) {
    // The length just read was the message's; its body follows the fragment fields.
    CBS_init(&cbs, msg, len);
    if (!CBS_skip(&cbs, 4 + kDtlsHeaderExtra)) return;
    body = cbs;
  }
  if (server_) {
    if (type == SSL3_MT_CLIENT_HELLO) {
      ObserveClientHello(&body);
    } else if (type == SSL3_MT_CERTIFICATE && IsTls13(ssl_.get())) {
      ObserveTls13Certificate(&body);
    }
    return;
  }
  switch (type) {
    case SSL3_MT_SERVER_HELLO:
      if (IsHelloRetryRequest(msg, len)) {
        CBS extensions;
        if (ServerHelloExtensions(body, &extensions)) ReportExtensions(extensions);
      } else {
        ObserveServerHello(&body);
      }
      break;
    case SSL3_MT_SERVER_KEY_EXCHANGE:
      ObserveServerKeyExchange(&body);
      break;
    case SSL3_MT_CERTIFICATE_REQUEST:
      ObserveCertificateRequest(&body);
      break;
    case SSL3_MT_ENCRYPTED_EXTENSIONS: {
      CBS extensions;
      if (CBS_get_u16_length_prefixed(&body, &extensions)) ReportExtensions(extensions);
      break;
    }
    case SSL3_MT_CERTIFICATE:
      if (IsTls13(ssl_.get())) ObserveTls13Certificate(&body);
      break;
    case SSL3_MT_NEW_SESSION_TICKET: {
      uint32_t lifetime = 0, age_add = 0;
      CBS nonce, ticket, extensions;
      if (IsTls13(ssl_.get()) && CBS_get_u32(&body, &lifetime) && CBS_get_u32(&body, &age_add) &&
          CBS_get_u8_length_prefixed(&body, &nonce) &&
          CBS_get_u16_length_prefixed(&body, &ticket) &&
          CBS_get_u16_length_prefixed(&body, &extensions)) {
        ReportExtensions(extensions);
      }
      break;
    }
    default:
      break;
  }
}

// A server keeps the client's key shares (for the chosen group's, at TLS 1.3) and the request
// extensions of its status_request, each from the latest ClientHello.
void BoringSslConn::ObserveClientHello(CBS* body) {
  client_key_shares_.clear();
  status_request_extensions_.clear();
  CBS extensions, found;
  if (!ClientHelloExtensions(*body, datagram_, &extensions)) return;
  ReportExtensions(extensions);
  ObservePointFormats(extensions);
  CBS shares;
  if (FindExtension(extensions, TLSEXT_TYPE_key_share, &found) &&
      CBS_get_u16_length_prefixed(&found, &shares)) {
    uint16_t group = 0;
    CBS key;
    while (CBS_get_u16(&shares, &group) && CBS_get_u16_length_prefixed(&shares, &key)) {
      client_key_shares_.push_back(
          {group, std::vector<uint8_t>(CBS_data(&key), CBS_data(&key) + CBS_len(&key))});
    }
  }
  uint8_t status_type = 0;
  CBS responders, request_extensions;
  if (FindExtension(extensions, TLSEXT_TYPE_status_request, &found) &&
      CBS_get_u8(&found, &status_type) && status_type == TLSEXT_STATUSTYPE_ocsp &&
      CBS_get_u16_length_prefixed(&found, &responders) &&
      CBS_get_u16_length_prefixed(&found, &request_extensions)) {
    status_request_extensions_.assign(CBS_data(&request_extensions),
                                      CBS_data(&request_extensions) + CBS_len(&request_extensions));
  }
}

// A client's record of the server's key share starts again with each ServerHello: a TLS 1.3
// one carries it; a TLS 1.2 one leaves it to the ServerKeyExchange, if any.
void BoringSslConn::ObserveServerHello(CBS* body) {
  server_key_share_ = KeyShare();
  certificate_requested_ = false;
  certificate_types_.clear();
  CBS extensions, found, key;
  if (!ServerHelloExtensions(*body, &extensions)) return;
  ReportExtensions(extensions);
  ObservePointFormats(extensions);
  uint16_t group = 0;
  if (FindExtension(extensions, TLSEXT_TYPE_key_share, &found) && CBS_get_u16(&found, &group) &&
      CBS_get_u16_length_prefixed(&found, &key)) {
    server_key_share_ = {group,
                         std::vector<uint8_t>(CBS_data(&key), CBS_data(&key) + CBS_len(&key))};
  }
}

// TLS 1.2 ECDHE (and ECDHE_PSK, whose identity hint comes first): the named curve and the point.
void BoringSslConn::ObserveServerKeyExchange(CBS* body) {
  const SSL_CIPHER* cipher = SSL_get_pending_cipher(ssl_.get());
  if (cipher == nullptr || SSL_CIPHER_get_kx_nid(cipher) != NID_kx_ecdhe) return;
  CBS hint, point;
  if (SSL_CIPHER_get_auth_nid(cipher) == NID_auth_psk &&
      !CBS_get_u16_length_prefixed(body, &hint)) {
    return;
  }
  uint8_t curve_type = 0;
  uint16_t group = 0;
  if (CBS_get_u8(body, &curve_type) && curve_type == kNamedCurve && CBS_get_u16(body, &group) &&
      CBS_get_u8_length_prefixed(body, &point)) {
    server_key_share_ = {
        group, std::vector<uint8_t>(CBS_data(&point), CBS_data(&point) + CBS_len(&point))};
  }
}

// TLS 1.2 lists certificate types; TLS 1.3 has a context and extensions instead.
void BoringSslConn::ObserveCertificateRequest(CBS* body) {
  certificate_requested_ = true;
  certificate_types_.clear();
  CBS types, context, extensions;
  if (IsTls13(ssl_.get())) {
    if (CBS_get_u8_length_prefixed(body, &context) &&
        CBS_get_u16_length_prefixed(body, &extensions)) {
      ReportExtensions(extensions);
    }
  } else if (CBS_get_u8_length_prefixed(body, &types)) {
    certificate_types_.assign(CBS_data(&types), CBS_data(&types) + CBS_len(&types));
  }
}

// Each TLS 1.3 certificate entry has extensions of its own.
void BoringSslConn::ObserveTls13Certificate(CBS* body) {
  CBS context, list, certificate, extensions;
  if (!CBS_get_u8_length_prefixed(body, &context) || !CBS_get_u24_length_prefixed(body, &list)) {
    return;
  }
  while (CBS_get_u24_length_prefixed(&list, &certificate) &&
         CBS_get_u16_length_prefixed(&list, &extensions)) {
    ReportExtensions(extensions);
  }
}

// The peer's ec_point_formats (ClientHello or ServerHello), kept as OpenSSL keeps it.
void BoringSslConn::ObservePointFormats(CBS extensions) {
  CBS found, formats;
  peer_ec_point_formats_.reset();
  if (FindExtension(extensions, TLSEXT_TYPE_ec_point_formats, &found) &&
      CBS_get_u8_length_prefixed(&found, &formats) && CBS_len(&formats) > 0) {
    peer_ec_point_formats_.emplace(CBS_data(&formats), CBS_data(&formats) + CBS_len(&formats));
  }
}

void BoringSslConn::ReportExtensions(CBS extensions) {
  if (observer_ == nullptr || !HookEnabled(kHookTlsextDebug)) return;
  const int client_server = server_ ? 0 : 1;
  while (CBS_len(&extensions) > 0) {
    uint16_t type = 0;
    CBS body;
    if (!CBS_get_u16(&extensions, &type) || !CBS_get_u16_length_prefixed(&extensions, &body)) {
      return;
    }
    if (OpenSslImplementsExtension(type)) {
      observer_->OnExtensionReceived(client_server, type, CBS_data(&body), CBS_len(&body));
    }
  }
}

// --- The answers --------------------------------------------------------------------------------

// OpenSSL's tls1_shared_group: the client's order, or the server's with
// SSL_OP_CIPHER_SERVER_PREFERENCE; the server's list is the one set, else BoringSSL's defaults
// (OpenSSL's default order without the groups BoringSSL lacks).
std::vector<uint16_t> BoringSslConn::SharedGroups() const {
  if (!server_) return {};
  static const std::vector<uint16_t> kDefaults = {29, 23, 24};
  const std::vector<uint16_t>& own = group_codes_.empty() ? kDefaults : group_codes_;
  const bool server_order = (SSL_get_options(ssl_.get()) & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0;
  const std::vector<uint16_t> peer = PeerGroups();
  const std::vector<uint16_t>& pref = server_order ? own : peer;
  const std::vector<uint16_t>& supp = server_order ? peer : own;
  std::vector<uint16_t> shared;
  for (uint16_t group : pref) {
    for (uint16_t other : supp) {
      if (other == group) {
        shared.push_back(group);
        break;
      }
    }
  }
  return shared;
}

// A client: the server's share. A TLS 1.3 server: the client's share of the group chosen. A TLS
// 1.2 server keeps none (OpenSSL frees the client's point once the secret is derived).
bool BoringSslConn::PeerKeyShare(uint16_t* group, std::vector<uint8_t>* public_key) const {
  if (!server_) {
    if (server_key_share_.group == 0) return false;
    *group = server_key_share_.group;
    *public_key = server_key_share_.key;
    return true;
  }
  if (!IsTls13(ssl_.get())) return false;
  const uint16_t chosen = NegotiatedGroup();
  for (const KeyShare& share : client_key_shares_) {
    if (share.group == chosen && chosen != 0) {
      *group = share.group;
      *public_key = share.key;
      return true;
    }
  }
  return false;
}

bool BoringSslConn::PeerCertificateTypes(std::vector<uint8_t>* types) const {
  if (server_ || !certificate_requested_) return false;
  *types = certificate_types_;
  return true;
}

// OpenSSL's server skips a status request on resumption (the extension is one it ignores
// then).
std::vector<uint8_t> BoringSslConn::StatusRequestExtensionsDer() const {
  if (!server_ || SSL_session_reused(ssl_.get())) return {};
  return status_request_extensions_;
}

// OpenSSL's server keeps the client's supported_groups of a resumed handshake only at TLS 1.3.
// OpenSSL parses the extension in TLS 1.2 and below only, and not when resuming.
bool BoringSslConn::PeerEcPointFormats(std::vector<uint8_t>* formats) const {
  if (!peer_ec_point_formats_ || IsTls13(ssl_.get()) || SSL_session_reused(ssl_.get())) {
    return false;
  }
  *formats = *peer_ec_point_formats_;
  return true;
}

std::vector<uint16_t> BoringSslConn::PeerGroups() const {
  if (SSL_session_reused(ssl_.get()) && !IsTls13(ssl_.get())) return {};
  return peer_groups_;
}

}  // namespace sslshim::boringssl
