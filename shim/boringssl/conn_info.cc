// What a BoringSslConn reports about itself: cipher suites, ALPN and NPN, SNI, handshake state,
// the handshake's randoms and exported keying material.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>
#include <string_view>

#include "boringssl/cipher_info.h"
#include "boringssl/conn.h"
#include "boringssl/error_translation.h"
#include "boringssl/handshake_state.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

// OpenSSL's TLS <= 1.2 exporter refuses a label that starts as TLS's own PRF labels do
// (TLS_MD_*_CONST), comparing the start of label || client_random || server_random with each;
// BoringSSL checks nothing, so the same bytes are compared here.
bool IsReservedExporterLabel(const char* label, size_t label_len,
                             const uint8_t client_random[kRandomSize],
                             const uint8_t server_random[kRandomSize]) {
  static constexpr std::string_view kReserved[] = {"client finished", "server finished",
                                                   "master secret", "extended master secret",
                                                   "key expansion"};
  std::string seed = label != nullptr ? std::string(label, label_len) : std::string();
  seed.append(reinterpret_cast<const char*>(client_random), kRandomSize);
  seed.append(reinterpret_cast<const char*>(server_random), kRandomSize);
  for (std::string_view reserved : kReserved) {
    if (std::string_view(seed).substr(0, reserved.size()) == reserved) return true;
  }
  return false;
}

// ALPN's or NPN's protocol, which `get` (SSL_get0_alpn_selected...) points at; empty for none.
template <typename Getter>
std::vector<uint8_t> NegotiatedProtocol(const SSL* ssl, Getter get) {
  const uint8_t* protocol = nullptr;
  unsigned len = 0;
  get(ssl, &protocol, &len);
  return protocol != nullptr ? std::vector<uint8_t>(protocol, protocol + len)
                             : std::vector<uint8_t>();
}

}  // namespace

bool BoringSslConn::CurrentCipher(CipherInfo* out) const {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  if (cipher == nullptr) return false;
  *out = DescribeCipher(cipher);
  return true;
}

// BoringSSL's pending cipher is only the handshake's in progress; OpenSSL's stays the handshake's
// choice after it, which is then the current one.
bool BoringSslConn::PendingCipher(CipherInfo* out) const {
  const SSL_CIPHER* cipher = SSL_get_pending_cipher(ssl_.get());
  if (cipher == nullptr) return CurrentCipher(out);
  *out = DescribeCipher(cipher);
  return true;
}

std::vector<CipherInfo> BoringSslConn::Ciphers() const {
  // OpenSSL's SSL_get_ciphers lists the TLS 1.3 suites first, then the configured TLS <= 1.2
  // list; BoringSSL's holds only the latter (its TLS 1.3 suites are fixed).
  std::vector<CipherInfo> ciphers;
  for (const SSL_CIPHER* cipher : Tls13Suites()) ciphers.push_back(DescribeCipher(cipher));
  const STACK_OF(SSL_CIPHER)* list = SSL_get_ciphers(ssl_.get());
  for (size_t i = 0; list != nullptr && i < sk_SSL_CIPHER_num(list); i++) {
    ciphers.push_back(DescribeCipher(sk_SSL_CIPHER_value(list, i)));
  }
  return ciphers;
}

std::vector<uint8_t> BoringSslConn::AlpnSelected() const {
  return NegotiatedProtocol(ssl_.get(), SSL_get0_alpn_selected);
}

std::vector<uint8_t> BoringSslConn::NextProtoNegotiated() const {
  return NegotiatedProtocol(ssl_.get(), SSL_get0_next_proto_negotiated);
}

void BoringSslConn::Randoms(uint8_t client[kRandomSize], uint8_t server[kRandomSize]) const {
  static_assert(kRandomSize == SSL3_RANDOM_SIZE);
  SSL_get_client_random(ssl_.get(), client, kRandomSize);
  SSL_get_server_random(ssl_.get(), server, kRandomSize);
}

int BoringSslConn::ExportKeyingMaterial(uint8_t* out, size_t out_len, const char* label,
                                        size_t label_len, const uint8_t* context,
                                        size_t context_len, bool use_context) {
  // OpenSSL answers -1, queueing nothing, while the connection has no session: a server's
  // before the ClientHello, a client's before its first handshake call (OpenSSL makes the
  // session with the ClientHello; BoringSSL only with the ServerHello).
  if (SSL_get_session(ssl_.get()) == nullptr && (server_ || !io_started_)) return -1;
  if (!SSL_in_init(ssl_.get()) && !IsTls13(ssl_.get())) {
    uint8_t client_random[kRandomSize], server_random[kRandomSize];
    Randoms(client_random, server_random);
    if (IsReservedExporterLabel(label, label_len, client_random, server_random)) {
      errors_.push_back(
          MakeSslErrorRecord(static_cast<int>(openssl3::kSSL_R_TLS_ILLEGAL_EXPORTER_LABEL), ""));
      return 0;
    }
  }
  ERR_clear_error();
  int ok = SSL_export_keying_material(ssl_.get(), out, out_len, label, label_len, context,
                                      context_len, use_context ? 1 : 0);
  DrainBoringSslErrors(&errors_);
  return ok == 1 ? 1 : 0;
}

std::string BoringSslConn::ServerName() const {
  const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name);
  return name != nullptr ? name : "";
}

const char* BoringSslConn::StateString(bool long_form) const {
  // BoringSSL's strings: the long form names the handshake step; the short form is always
  // "!!!!!!" there (OpenSSL's six-letter codes have no BoringSSL counterpart).
  return long_form ? SSL_state_string_long(ssl_.get()) : SSL_state_string(ssl_.get());
}

uint16_t BoringSslConn::PeerSignatureScheme() const {
  return SSL_get_peer_signature_algorithm(ssl_.get());
}

std::vector<uint16_t> BoringSslConn::PeerSignatureSchemes() const {
  return peer_signature_schemes_;
}

std::vector<std::vector<uint8_t>> BoringSslConn::PeerCaNamesDer() const { return peer_ca_names_; }

bool BoringSslConn::SecureRenegotiationSupported() const {
  // BoringSSL says yes for every TLS 1.3 connection; OpenSSL 3's answer there is whether the
  // peer signalled it (measured: 0 on a client, whose TLS 1.3 server sends no renegotiation_info;
  // 1 on a server, whose clients, OpenSSL's and BoringSSL's, always signal it).
  // (Before a version is chosen both say no.)
  if (SSL_get_secure_renegotiation_support(ssl_.get()) == 0) return false;
  return SSL_version(ssl_.get()) != TLS1_3_VERSION || server_;
}

int BoringSslConn::TotalRenegotiations() const { return SSL_total_renegotiations(ssl_.get()); }

bool BoringSslConn::FindCipher(uint16_t code, CipherInfo* out) const {
  const SSL_CIPHER* cipher = SSL_get_cipher_by_value(code);
  if (cipher == nullptr) return false;
  *out = DescribeCipher(cipher);
  return true;
}

uint16_t BoringSslConn::NegotiatedGroup() const { return SSL_get_curve_id(ssl_.get()); }

HandshakeState BoringSslConn::GetHandshakeState() const {
  if (reporting_done_after_tickets_) return HandshakeState::kSwSessionTicket;
  if (SSL_is_init_finished(ssl_.get())) return HandshakeState::kOk;
  // Before the handshake has started BoringSSL already names its first step (start_connect);
  // between handshakes, with no handshake state, it says "finished successfully".
  std::optional<HandshakeState> state =
      OpenSslHandshakeState(SSL_state_string_long(ssl_.get()), SSL_session_reused(ssl_.get()) != 0);
  return state.value_or(HandshakeState::kBefore);
}

}  // namespace sslshim::boringssl
