// What a BoringSslConn reports about itself: cipher suites, ALPN, SNI, handshake state.
#include <openssl/ssl.h>

#include "boringssl/cipher_info.h"
#include "boringssl/conn.h"
#include "boringssl/handshake_state.h"

namespace sslshim::boringssl {

bool BoringSslConn::CurrentCipher(CipherInfo* out) const {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  if (cipher == nullptr) return false;
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
  const uint8_t* protocol = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl_.get(), &protocol, &len);
  return protocol != nullptr ? std::vector<uint8_t>(protocol, protocol + len)
                             : std::vector<uint8_t>();
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
