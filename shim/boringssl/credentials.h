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
// *type (if given) is the installed key's EVP_PKEY_* id.
template <typename Target>
bool InstallKey(Target* target, const std::vector<uint8_t>& key_der, int* type = nullptr) {
  const uint8_t* der = key_der.data();
  bssl::UniquePtr<EVP_PKEY> key(
      d2i_AutoPrivateKey(nullptr, &der, static_cast<long>(key_der.size())));
  if (!key || UseKey(target, key.get()) != 1) return false;
  if (type != nullptr) *type = EVP_PKEY_id(key.get());
  return true;
}

// BoringSSL signs with the program's RSA keys through the core (ConnObserver::SignWithProgramKey),
// where the program's libcrypto does it: OpenSSL 3's RSA is faster on CPUs with AVX-512 IFMA (a
// full RSA-2048 handshake cost nginx 1.3x native CPU with BoringSSL's), and a key in a provider or
// ENGINE is used as the program set it up. BoringSSL keeps its copy of the key for checks only.
// Other key types stay with BoringSSL, at least as fast as OpenSSL 3 for them.
const SSL_PRIVATE_KEY_METHOD* ProgramKeyMethodFor(int key_type);
inline void UseKeyMethod(SSL_CTX* ctx, const SSL_PRIVATE_KEY_METHOD* method) {
  SSL_CTX_set_private_key_method(ctx, method);
}
inline void UseKeyMethod(SSL* ssl, const SSL_PRIVATE_KEY_METHOD* method) {
  SSL_set_private_key_method(ssl, method);
}

}  // namespace sslshim::boringssl
