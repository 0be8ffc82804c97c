// SSL_check_chain(ssl, x, pk, chain): OpenSSL 3's tls1_check_chain for a chain the program offers
// (openssl s_server's -xcert chains, from its certificate callback), worked out from what the
// connection knows of its peer while the handshake runs: the peer's signature algorithms, groups,
// certificate types and CA names, this side's signature algorithm list, groups and security
// level. The answer is OpenSSL's CERT_PKEY_* flags. OpenSSL's signature_algorithms_cert is taken
// as not sent (neither backend shows it; OpenSSL 3 sends it only when configured).
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <vector>

#include "core/named_groups.h"
#include "core/signature_schemes.h"
#include "exports/cert_choice.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

namespace sslshim {
namespace {

// OpenSSL's certificate slots (SSL_PKEY_* in ssl_local.h), the key kinds it tells apart.
enum class KeySlot { kNone, kRsa, kRsaPss, kDsa, kEc, kEd25519, kEd448 };

// The slot of a key type (an EVP_PKEY id).
KeySlot SlotOfType(int type) {
  switch (type) {
    case EVP_PKEY_RSA:
      return KeySlot::kRsa;
    case EVP_PKEY_RSA_PSS:
      return KeySlot::kRsaPss;
    case EVP_PKEY_DSA:
      return KeySlot::kDsa;
    case EVP_PKEY_EC:
      return KeySlot::kEc;
    case EVP_PKEY_ED25519:
      return KeySlot::kEd25519;
    case EVP_PKEY_ED448:
      return KeySlot::kEd448;
    default:
      return KeySlot::kNone;
  }
}

KeySlot SlotOfKey(const EVP_PKEY* key) { return SlotOfType(EVP_PKEY_get_base_id(key)); }

// The slot a scheme signs with (OpenSSL's sig_idx): rsa_pss_rsae_* with an RSA key.
KeySlot SlotOfScheme(const SignatureScheme& scheme) {
  if (scheme.code >= 0x0804 && scheme.code <= 0x0806) return KeySlot::kRsa;
  return SlotOfType(scheme.sign_nid);
}

// The curve a TLS 1.3 ECDSA scheme binds its key to (NID_undef: any).
int CurveOfScheme(uint16_t code) {
  switch (code) {
    case 0x0403:
      return NID_X9_62_prime256v1;
    case 0x0503:
      return NID_secp384r1;
    case 0x0603:
      return NID_secp521r1;
    default:
      return NID_undef;
  }
}

class ChainCheck {
 public:
  explicit ChainCheck(Ssl* ssl) : ssl_(ssl), version_(ssl->conn()->VersionNumber()) {
    server_ = ssl->role == Ssl::Role::kServer;
    tls13_ = version_ >= TLS1_3_VERSION && !ssl->session_ctx()->method->spec.datagram;
    peer_schemes_ = ssl->conn()->PeerSignatureSchemes();
    SharedSchemes();
  }

  int Flags(X509* x, EVP_PKEY* pk, STACK_OF(X509) * chain) const;

 private:
  // OpenSSL's tls12_sigalg_allowed for the shared list: what TLS 1.3 forbids and what the
  // security level forbids.
  bool Allowed(const SignatureScheme& scheme) const {
    if (tls13_ && (scheme.sign_nid == EVP_PKEY_DSA || scheme.hash_nid == NID_sha1 ||
                   scheme.hash_nid == NID_sha224)) {
      return false;
    }
    return SignatureSecurityBits(scheme) >= SecurityLevelMinimumBits(ssl_->security_level);
  }

  // tls1_set_shared_sigalgs: the peer's order, or this side's with
  // SSL_OP_CIPHER_SERVER_PREFERENCE.
  void SharedSchemes() {
    const std::vector<uint16_t>& own =
        ssl_->signature_algorithms.empty() ? DefaultSignatureSchemes() : ssl_->signature_algorithms;
    const bool own_order = (ssl_->options & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0;
    const std::vector<uint16_t>& pref = own_order ? own : peer_schemes_;
    const std::vector<uint16_t>& allow = own_order ? peer_schemes_ : own;
    for (uint16_t code : pref) {
      const SignatureScheme* scheme = FindSignatureScheme(code);
      if (scheme != nullptr && std::find(allow.begin(), allow.end(), code) != allow.end() &&
          Allowed(*scheme)) {
        shared_.push_back(scheme);
      }
    }
  }

  // tls1_check_sig_alg: the certificate's own signature (by its issuer) is one the peer takes.
  bool SignatureAccepted(X509* x, int default_nid) const {
    if (default_nid == -1) return true;
    const int sig_nid = X509_get_signature_nid(x);
    if (default_nid != 0) return sig_nid == default_nid;
    return std::any_of(shared_.begin(), shared_.end(), [&](const SignatureScheme* scheme) {
      return scheme->sign_and_hash_nid == sig_nid;
    });
  }

  // find_sig_alg (TLS 1.3): a shared scheme the key can sign with.
  bool SignableInTls13(EVP_PKEY* pk) const {
    const KeySlot slot = SlotOfKey(pk);
    for (const SignatureScheme* scheme : shared_) {
      if (scheme->hash_nid == NID_sha1 || scheme->hash_nid == NID_sha224 ||
          scheme->sign_nid == EVP_PKEY_DSA || scheme->sign_nid == EVP_PKEY_RSA ||
          SlotOfScheme(*scheme) != slot) {
        continue;
      }
      if (slot == KeySlot::kEc && CurveOfScheme(scheme->code) != NID_undef &&
          CurveOfScheme(scheme->code) != CurveOf(pk)) {
        continue;
      }
      // rsa_pss_check_min_key_size: room for the salt and the encoding.
      const EVP_MD* md = EVP_get_digestbynid(scheme->hash_nid);
      if (scheme->sign_nid == EVP_PKEY_RSA_PSS && md != nullptr &&
          EVP_PKEY_get_size(pk) < 2 * EVP_MD_get_size(md) + 2) {
        continue;
      }
      return true;
    }
    return false;
  }

  // tls1_check_cert_param: an EC key's curve is one the peer (a server's client) takes and, on a
  // client, one of this side's.
  bool ParametersAccepted(X509* x) const {
    EVP_PKEY* key = X509_get0_pubkey(x);
    if (key == nullptr) return false;
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return true;
    const uint16_t group = GroupCodeOfNid(CurveOf(key));
    if (!server_) {
      const std::vector<uint16_t> own =
          ssl_->groups.empty() ? DefaultGroupCodes() : GroupCodesOfList(ssl_->groups.c_str());
      if (std::find(own.begin(), own.end(), group) == own.end()) return false;
    }
    if (GroupSecurityBits(group) < SecurityLevelMinimumBits(ssl_->security_level)) return false;
    if (!server_) return true;
    const std::vector<uint16_t> peer = ssl_->conn()->PeerGroups();
    return peer.empty() || std::find(peer.begin(), peer.end(), group) != peer.end();
  }

  Ssl* ssl_;
  int version_;
  bool server_ = false;
  bool tls13_ = false;
  std::vector<uint16_t> peer_schemes_;
  std::vector<const SignatureScheme*> shared_;
};

// The default signature of RFC 5246 7.4.1.4.1 for a key kind, when the peer sent no list.
int DefaultSignatureNid(KeySlot slot) {
  switch (slot) {
    case KeySlot::kRsa:
      return NID_sha1WithRSAEncryption;
    case KeySlot::kDsa:
      return NID_dsaWithSHA1;
    case KeySlot::kEc:
      return NID_ecdsa_with_SHA1;
    default:
      return -1;
  }
}

bool IssuerNamed(const STACK_OF(X509_NAME) * names, X509* x) {
  for (int i = 0; i < sk_X509_NAME_num(names); i++) {
    if (X509_NAME_cmp(X509_get_issuer_name(x), sk_X509_NAME_value(names, i)) == 0) return true;
  }
  return false;
}

int ChainCheck::Flags(X509* x, EVP_PKEY* pk, STACK_OF(X509) * chain) const {
  const KeySlot slot = SlotOfKey(pk);
  if (slot == KeySlot::kNone) return 0;
  // SSL_CERT_FLAG_TLS_STRICT (or Suite B) holds the whole chain to the peer's lists.
  constexpr long kStrictCertFlags = SSL_CERT_FLAG_SUITEB_128_LOS | SSL_CERT_FLAG_TLS_STRICT;
  constexpr int kValidFlags = CERT_PKEY_EE_SIGNATURE | CERT_PKEY_EE_PARAM;
  const int check_flags = (ssl_->cert_flags & kStrictCertFlags) != 0
                              ? kValidFlags | CERT_PKEY_CA_SIGNATURE | CERT_PKEY_CA_PARAM |
                                    CERT_PKEY_ISSUER_NAME | CERT_PKEY_CERT_TYPE
                              : kValidFlags;
  int rv = 0;
  const int chain_count = chain != nullptr ? sk_X509_num(chain) : 0;
  if (version_ >= TLS1_2_VERSION) {
    const int default_nid = peer_schemes_.empty() ? DefaultSignatureNid(slot) : 0;
    if (tls13_) {
      if (SignableInTls13(pk)) rv |= CERT_PKEY_EE_SIGNATURE;
    } else if (SignatureAccepted(x, default_nid)) {
      rv |= CERT_PKEY_EE_SIGNATURE;
    }
    rv |= CERT_PKEY_CA_SIGNATURE;
    for (int i = 0; i < chain_count; i++) {
      if (!SignatureAccepted(sk_X509_value(chain, i), default_nid)) {
        rv &= ~CERT_PKEY_CA_SIGNATURE;
        break;
      }
    }
  } else {
    rv |= CERT_PKEY_EE_SIGNATURE | CERT_PKEY_CA_SIGNATURE;
  }
  if (ParametersAccepted(x)) rv |= CERT_PKEY_EE_PARAM;
  rv |= CERT_PKEY_CA_PARAM;
  for (int i = 0; server_ && i < chain_count; i++) {
    if (!ParametersAccepted(sk_X509_value(chain, i))) {
      rv &= ~CERT_PKEY_CA_PARAM;
      break;
    }
  }
  if (!server_) {
    const int type = slot == KeySlot::kRsa   ? TLS_CT_RSA_SIGN
                     : slot == KeySlot::kDsa ? TLS_CT_DSS_SIGN
                     : slot == KeySlot::kEc  ? TLS_CT_ECDSA_SIGN
                                             : 0;
    const unsigned char* types = nullptr;
    const long count = SSL_ctrl(ssl_->api(), SSL_CTRL_GET_CLIENT_CERT_TYPES, 0, &types);
    if (type == 0 || (types != nullptr && std::find(types, types + count, type) != types + count)) {
      rv |= CERT_PKEY_CERT_TYPE;
    }
    const STACK_OF(X509_NAME)* names = SSL_get0_peer_CA_list(ssl_->api());
    bool named = names == nullptr || sk_X509_NAME_num(names) == 0 || IssuerNamed(names, x);
    for (int i = 0; !named && i < chain_count; i++)
      named = IssuerNamed(names, sk_X509_value(chain, i));
    if (named) rv |= CERT_PKEY_ISSUER_NAME;
  } else {
    rv |= CERT_PKEY_ISSUER_NAME | CERT_PKEY_CERT_TYPE;
  }
  if ((rv & check_flags) == check_flags) rv |= CERT_PKEY_VALID;
  if (version_ < TLS1_2_VERSION) return rv | CERT_PKEY_SIGN | CERT_PKEY_EXPLICIT_SIGN;
  // tls1_process_sigalgs: this key can sign if a shared scheme is for its kind (in TLS 1.3, not
  // with PKCS#1).
  const bool can_sign = std::any_of(shared_.begin(), shared_.end(), [&](const SignatureScheme* s) {
    return SlotOfScheme(*s) == slot && !(tls13_ && s->sign_nid == EVP_PKEY_RSA);
  });
  return can_sign ? rv | CERT_PKEY_SIGN | CERT_PKEY_EXPLICIT_SIGN : rv;
}

}  // namespace
}  // namespace sslshim

SSLSHIM_SSL_ENTRY(SSL_check_chain, 0, x, pk, chain) {
  if (x == nullptr || pk == nullptr) return 0;
  return sslshim::ChainCheck(ssl).Flags(x, pk, chain);
}
