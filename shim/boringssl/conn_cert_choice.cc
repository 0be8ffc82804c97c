// What a server's choice among certificates of different key types rests on (BackendConn::
// ServerCertificateInputs). BoringSSL holds one certificate per connection; the core keeps the
// program's others and installs the one it chooses from these inputs, from inside the
// certificate callback, before BoringSSL picks the suite.
#include <openssl/ssl.h>

#include <algorithm>

#include "conn.h"

namespace sslshim::boringssl {
namespace {

// 'E' or 'R' for a TLS 1.2 suite's authentication; 0 for one that needs no certificate.
char Authentication(const SSL_CIPHER* cipher) {
  switch (SSL_CIPHER_get_auth_nid(cipher)) {
    case NID_auth_ecdsa:
      return 'E';
    case NID_auth_rsa:
      return 'R';
    default:
      return 0;
  }
}

}  // namespace

CertificateChoiceInputs BoringSslConn::ServerCertificateInputs() const {
  CertificateChoiceInputs inputs;
  if (!server_) return inputs;
  inputs.tls13 = IsTls13(ssl_.get());
  inputs.signature_algorithms = peer_signature_schemes_;
  inputs.groups = peer_groups_;
  if (inputs.tls13) return inputs;
  // The suites both sides enable, in the order the server picks them: the client's, or with
  // SSL_OP_CIPHER_SERVER_PREFERENCE its own.
  const STACK_OF(SSL_CIPHER)* ours = SSL_get_ciphers(ssl_.get());
  auto enabled = [&](uint16_t code) -> const SSL_CIPHER* {
    for (size_t i = 0; i < sk_SSL_CIPHER_num(ours); i++) {
      const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ours, i);
      if (SSL_CIPHER_get_protocol_id(cipher) == code) return cipher;
    }
    return nullptr;
  };
  auto note = [&](const SSL_CIPHER* cipher) {
    char auth = cipher != nullptr ? Authentication(cipher) : 0;
    if (auth != 0 && inputs.suite_authentications.find(auth) == std::string::npos) {
      inputs.suite_authentications += auth;
    }
  };
  if ((SSL_get_options(ssl_.get()) & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0) {
    for (size_t i = 0; i < sk_SSL_CIPHER_num(ours); i++) {
      const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ours, i);
      const uint16_t code = SSL_CIPHER_get_protocol_id(cipher);
      if (std::find(peer_cipher_suites_.begin(), peer_cipher_suites_.end(), code) !=
          peer_cipher_suites_.end()) {
        note(cipher);
      }
    }
  } else {
    for (uint16_t code : peer_cipher_suites_) note(enabled(code));
  }
  return inputs;
}

}  // namespace sslshim::boringssl
