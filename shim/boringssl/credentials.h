// Certificates and keys from the core's DER onto a BoringSSL SSL_CTX or SSL: the same steps for
// both (SSL_CTX_use_certificate_chain_file's and SSL_use_certificate's counterparts).
#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <vector>

namespace sslshim::boringssl {

// The SSL_CTX_* and SSL_* setters under one name, so InstallChain/InstallKey serve both.
inline int UseLeaf(SSL_CTX* ctx, const std::vector<uint8_t>& der) {
  return SSL_CTX_use_certificate_ASN1(ctx, der.size(), der.data());
}
inline int UseLeaf(SSL* ssl, const std::vector<uint8_t>& der) {
  return SSL_use_certificate_ASN1(ssl, der.data(), der.size());
}
inline int ClearChain(SSL_CTX* ctx) { return SSL_CTX_clear_chain_certs(ctx); }
inline int ClearChain(SSL* ssl) { return SSL_clear_chain_certs(ssl); }
inline int AddChainCert(SSL_CTX* ctx, X509* cert) { return SSL_CTX_add1_chain_cert(ctx, cert); }
inline int AddChainCert(SSL* ssl, X509* cert) { return SSL_add1_chain_cert(ssl, cert); }
inline int UseKey(SSL_CTX* ctx, EVP_PKEY* key) { return SSL_CTX_use_PrivateKey(ctx, key); }
inline int UseKey(SSL* ssl, EVP_PKEY* key) { return SSL_use_PrivateKey(ssl, key); }

// Leaf first, then the rest as the chain sent after it. False, with BoringSSL's errors left on its
// queue, when a certificate does not parse. `chain_der` must not be empty.
template <typename Target>
bool InstallChain(Target* target, const std::vector<std::vector<uint8_t>>& chain_der) {
  if (!UseLeaf(target, chain_der.front()) || !ClearChain(target)) return false;
  for (size_t i = 1; i < chain_der.size(); i++) {
    const uint8_t* der = chain_der[i].data();
    bssl::UniquePtr<X509> cert(d2i_X509(nullptr, &der, static_cast<long>(chain_der[i].size())));
    if (!cert || !AddChainCert(target, cert.get())) return false;
  }
  return true;
}

// PKCS#8 first, then the traditional RSA/EC encodings, as OpenSSL's d2i_AutoPrivateKey.
template <typename Target>
bool InstallKey(Target* target, const std::vector<uint8_t>& key_der) {
  const uint8_t* der = key_der.data();
  bssl::UniquePtr<EVP_PKEY> key(
      d2i_AutoPrivateKey(nullptr, &der, static_cast<long>(key_der.size())));
  return key && UseKey(target, key.get()) == 1;
}

}  // namespace sslshim::boringssl
