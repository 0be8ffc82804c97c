// Which signature algorithm signs the handshake. OpenSSL 3 takes the first of the peer's list
// that its own allows (its own first only with SSL_OP_CIPHER_SERVER_PREFERENCE:
// tls1_set_shared_sigalgs); BoringSSL takes the first of its own list that the peer allows. With
// a list the program set, the backend gives BoringSSL that list in OpenSSL's order once the
// peer's is known, in the certificate callback, before BoringSSL chooses. A client whose key can
// sign with none of them sends no certificate, as OpenSSL's does (ssl3_check_client_certificate),
// where BoringSSL would fail the handshake. With no list set, BoringSSL's defaults and choice
// stay.
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>

#include <algorithm>

#include "boringssl/conn.h"

namespace sslshim::boringssl {
namespace {

// The curve a TLS 1.3 ECDSA scheme binds its key to (RFC 8446 4.2.3), by the scheme's digest.
int CurveOfTls13Ecdsa(const EVP_MD* digest) {
  if (digest == EVP_sha256()) return NID_X9_62_prime256v1;
  if (digest == EVP_sha384()) return NID_secp384r1;
  if (digest == EVP_sha512()) return NID_secp521r1;
  return NID_undef;
}

// Whether `key` can sign with `sigalg` at this version, as BoringSSL's
// ssl_private_key_supports_signature_algorithm decides.
bool KeyCanSign(const EVP_PKEY* key, uint16_t sigalg, bool tls13) {
  const int type = EVP_PKEY_id(key);
  if (SSL_get_signature_algorithm_key_type(sigalg) != type) return false;
  const EVP_MD* digest = SSL_get_signature_algorithm_digest(sigalg);
  const bool pss = SSL_is_signature_algorithm_rsa_pss(sigalg);
  if (tls13) {
    if (digest == EVP_sha1() || digest == EVP_md5_sha1()) return false;
    if (type == EVP_PKEY_RSA && !pss) return false;
    if (type == EVP_PKEY_EC) {
      const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
      const EC_GROUP* group = ec != nullptr ? EC_KEY_get0_group(ec) : nullptr;
      if (group == nullptr || EC_GROUP_get_curve_name(group) != CurveOfTls13Ecdsa(digest)) {
        return false;
      }
    }
  }
  // RSA-PSS needs room for the salt (the digest's length) and the encoding (RFC 8017 9.1.1).
  if (pss && digest != nullptr &&
      static_cast<size_t>(EVP_PKEY_size(key)) < 2 * EVP_MD_size(digest) + 2) {
    return false;
  }
  return true;
}

}  // namespace

void BoringSslConn::OrderSigningByPeer() {
  if (signing_prefs_.empty() || peer_signature_schemes_.empty()) return;
  SSL* ssl = ssl_.get();
  const bool own_order = (SSL_get_options(ssl) & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0;
  const std::vector<uint16_t>& pref = own_order ? signing_prefs_ : peer_signature_schemes_;
  const std::vector<uint16_t>& allow = own_order ? peer_signature_schemes_ : signing_prefs_;
  std::vector<uint16_t> shared;
  for (uint16_t sigalg : pref) {
    if (std::find(allow.begin(), allow.end(), sigalg) != allow.end()) shared.push_back(sigalg);
  }
  // Nothing shared: BoringSSL's own answer (a server's NO_COMMON_SIGNATURE_ALGORITHMS) stands.
  if (shared.empty()) return;
  SSL_set_signing_algorithm_prefs(ssl, shared.data(), shared.size());
  if (server_ || SSL_version(ssl) < TLS1_2_VERSION) return;
  X509* leaf = SSL_get_certificate(ssl);
  bssl::UniquePtr<EVP_PKEY> key(leaf != nullptr ? X509_get_pubkey(leaf) : nullptr);
  if (!key) return;
  const bool tls13 = SSL_version(ssl) >= TLS1_3_VERSION;
  if (std::none_of(shared.begin(), shared.end(),
                   [&](uint16_t sigalg) { return KeyCanSign(key.get(), sigalg, tls13); })) {
    SSL_certs_clear(ssl);
  }
}

}  // namespace sslshim::boringssl
