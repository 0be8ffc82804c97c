// What a connection knows about its peer after the handshake, as OpenSSL 3 answers it: the
// certificate without a new reference, the CA names a server asked for, the signature schemes the
// peer offered and the one it used, the name verification matched, and the answers for features
// the shim's connections never have (DANE). openssl s_client prints all of them once
// connected; each answered natively in a BIO-pair probe, TLS 1.2 and 1.3, both roles.
#include "exports/peer_info.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>
#include <vector>

#include "core/signature_schemes.h"
#include "core/unique_ptr.h"
#include "exports/entry_point.h"

namespace sslshim {

X509* PeerCertificate(Ssl* ssl) {
  return ssl->peer_certificate.Get(
      ssl->conn()->PeerCertificateDer(), [](const std::vector<uint8_t>& der) {
        const unsigned char* p = der.data();
        return UniquePtr<X509>(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
      });
}

namespace {

// SSL_get_sigalgs / SSL_get_peer_signature_*: OpenSSL's nids for a scheme it knows, NID_undef
// for one it does not (the raw bytes are still given).
void DescribeScheme(uint16_t code, int* sign, int* hash, int* sign_and_hash,
                    unsigned char* raw_sign, unsigned char* raw_hash) {
  const SignatureScheme* scheme = FindSignatureScheme(code);
  if (raw_hash != nullptr) *raw_hash = static_cast<unsigned char>(code >> 8);
  if (raw_sign != nullptr) *raw_sign = static_cast<unsigned char>(code & 0xff);
  if (sign != nullptr) *sign = scheme != nullptr ? scheme->sign_nid : NID_undef;
  if (hash != nullptr) *hash = scheme != nullptr ? scheme->hash_nid : NID_undef;
  if (sign_and_hash != nullptr)
    *sign_and_hash = scheme != nullptr ? scheme->sign_and_hash_nid : NID_undef;
}

}  // namespace
}  // namespace sslshim

SSLSHIM_SSL_ENTRY(SSL_get0_peer_certificate, nullptr) { return sslshim::PeerCertificate(ssl); }

SSLSHIM_SSL_ENTRY(SSL_get0_peer_CA_list, nullptr) {
  using Names = sslshim::UniquePtr<STACK_OF(X509_NAME)>;
  return ssl->peer_ca_names.Get(
      ssl->conn()->PeerCaNamesDer(), [](const std::vector<std::vector<uint8_t>>& names) {
        Names stack(sk_X509_NAME_new_null());
        for (const std::vector<uint8_t>& der : names) {
          const unsigned char* p = der.data();
          sslshim::UniquePtr<X509_NAME> name(
              d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())));
          if (name == nullptr || !sslshim::PushToStack(stack.get(), std::move(name))) {
            ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
            return Names();
          }
        }
        return stack;
      });
}

SSLSHIM_SSL_ENTRY(SSL_get_sigalgs, 0, idx, psign, phash, psignhash, rsig, rhash) {
  std::vector<uint16_t> schemes = ssl->conn()->PeerSignatureSchemes();
  if (idx >= 0) {
    if (idx >= static_cast<int>(schemes.size())) return 0;
    sslshim::DescribeScheme(schemes[idx], psign, phash, psignhash, rsig, rhash);
  }
  return static_cast<int>(schemes.size());
}

// OpenSSL 3 holds the shared list only while the handshake runs and frees it when it ends
// (measured: 0 after the handshake on both sides); the shim never holds one.
SSLSHIM_SSL_ENTRY(SSL_get_shared_sigalgs, 0, idx, psign, phash, psignhash, rsig, rhash) {
  (void)idx, (void)psign, (void)phash, (void)psignhash, (void)rsig, (void)rhash;
  return 0;
}

SSLSHIM_SSL_ENTRY(SSL_get_peer_signature_type_nid, 0, pnid) {
  const sslshim::SignatureScheme* scheme =
      sslshim::FindSignatureScheme(ssl->conn()->PeerSignatureScheme());
  if (scheme == nullptr) return 0;
  *pnid = scheme->sign_nid;
  return 1;
}

// The name host verification matched (moved from the verification's parameters, as OpenSSL's
// ssl_verify_cert_chain does; core/verify.cc).
SSLSHIM_SSL_ENTRY(SSL_get0_peername, nullptr) {
  return X509_VERIFY_PARAM_get0_peername(ssl->param.get());
}

SSLSHIM_SSL_ENTRY(SSL_get_key_update_type, SSL_KEY_UPDATE_NONE) {
  return ssl->connection.key_update_pending;
}
