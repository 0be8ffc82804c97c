#include "boringssl/shared_settings.h"

#include <openssl/ssl.h>

#include <string>
#include <utility>

#include "boringssl/error_translation.h"
#include "boringssl/name_translation.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {

int BoringSslMinBound(int version) {
  return version == openssl3::kSSL3_VERSION ? TLS1_VERSION : version;
}

bool RejectSsl3Ceiling(int version, std::vector<ErrorRecord>* errors) {
  if (version != openssl3::kSSL3_VERSION) return false;
  errors->push_back(MakeSslErrorRecord(static_cast<int>(openssl3::kSSL_R_UNSUPPORTED_PROTOCOL),
                                       "BoringSSL: SSL 3.0 is not available"));
  return true;
}

void NoteUnappliedCipherList(const char* openssl_list, std::vector<ErrorRecord>* errors) {
  if (openssl_list == nullptr || !NamesOpenSslOnlyCiphers(openssl_list)) return;
  if (errors->empty()) {
    errors->push_back(MakeSslErrorRecord(static_cast<int>(openssl3::kSSL_R_NO_CIPHER_MATCH), ""));
  }
  errors->back().backend_cannot_apply = true;
  errors->back().data =
      "BoringSSL has none of the suites \"" + std::string(openssl_list) + "\" selects in OpenSSL 3";
}

bool GroupListForBoringSsl(const char* openssl_list, std::string* boringssl_list,
                           std::vector<ErrorRecord>* errors) {
  std::string bad_name;
  if (TranslateGroupList(openssl_list != nullptr ? openssl_list : "", boringssl_list, &bad_name)) {
    return true;
  }
  ErrorRecord reason =
      MakeSslErrorRecord(static_cast<int>(openssl3::kSSL_R_UNSUPPORTED_ELLIPTIC_CURVE),
                         "BoringSSL: group \"" + bad_name + "\" is not available");
  // OpenSSL would have applied a list naming one of its groups; a name neither has it rejects.
  reason.backend_cannot_apply = IsOpenSslOnlyGroup(bad_name);
  errors->push_back(std::move(reason));
  return false;
}

bool AcceptTls13CipherSuites(const char* openssl_list, std::vector<ErrorRecord>* errors) {
  std::string bad_name;
  bool left_out = false;
  if (CheckTls13CipherSuites(openssl_list != nullptr ? openssl_list : "", &bad_name, &left_out)) {
    return true;
  }
  std::string why = left_out ? "BoringSSL cannot leave out TLS 1.3 suite \"" + bad_name + "\""
                             : "BoringSSL has no TLS 1.3 suite \"" + bad_name + "\"";
  ErrorRecord reason = MakeSslErrorRecord(
      static_cast<int>(openssl3::kSSL_R_NO_CIPHER_MATCH),
      why +
          "; it always offers exactly TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and "
          "TLS_CHACHA20_POLY1305_SHA256");
  // OpenSSL would have offered only the suites named (it skips names it does not know).
  reason.backend_cannot_apply = true;
  errors->push_back(std::move(reason));
  return false;
}

bool AcceptSecurityLevel(int level, std::vector<ErrorRecord>* errors) {
  if (level <= kHighestAppliedSecurityLevel) return true;
  ErrorRecord reason = MakeSslErrorRecord(
      static_cast<int>(openssl3::kSSL_R_UNSUPPORTED_PROTOCOL),
      "security level " + std::to_string(level) +
          ": BoringSSL has no security levels, and the shim applies OpenSSL's only up to level " +
          std::to_string(kHighestAppliedSecurityLevel));
  reason.backend_cannot_apply = true;
  errors->push_back(std::move(reason));
  return false;
}

namespace {

// The SignatureScheme codes BoringSSL signs and verifies in TLS (ssl/ssl_privkey.cc), and which of
// them use SHA-1.
bool BoringSslSignsAndVerifies(uint16_t code) {
  switch (code) {
    case SSL_SIGN_RSA_PKCS1_SHA1:
    case SSL_SIGN_RSA_PKCS1_SHA256:
    case SSL_SIGN_RSA_PKCS1_SHA384:
    case SSL_SIGN_RSA_PKCS1_SHA512:
    case SSL_SIGN_RSA_PSS_RSAE_SHA256:
    case SSL_SIGN_RSA_PSS_RSAE_SHA384:
    case SSL_SIGN_RSA_PSS_RSAE_SHA512:
    case SSL_SIGN_ECDSA_SHA1:
    case SSL_SIGN_ECDSA_SECP256R1_SHA256:
    case SSL_SIGN_ECDSA_SECP384R1_SHA384:
    case SSL_SIGN_ECDSA_SECP521R1_SHA512:
    case SSL_SIGN_ED25519:
      return true;
    default:
      return false;
  }
}

bool UsesSha1(uint16_t code) {
  return code == SSL_SIGN_RSA_PKCS1_SHA1 || code == SSL_SIGN_ECDSA_SHA1;
}

}  // namespace

SignatureRules SignatureRulesFor(int level, bool datagram,
                                 const std::vector<uint16_t>& configured) {
  SignatureRules rules;
  if (level >= 1) rules.version_floor = datagram ? DTLS1_2_VERSION : TLS1_2_VERSION;
  if (!configured.empty()) {
    for (uint16_t code : configured) {
      if (BoringSslSignsAndVerifies(code) && !(level >= 1 && UsesSha1(code))) {
        rules.verify_prefs.push_back(code);
      }
    }
    rules.signing_prefs = rules.verify_prefs;
    return rules;
  }
  if (level < 1) return rules;
  // BoringSSL's default lists (ssl/extensions.cc) without rsa_pkcs1_sha1 and ecdsa_sha1.
  rules.verify_prefs = {
      SSL_SIGN_ECDSA_SECP256R1_SHA256, SSL_SIGN_RSA_PSS_RSAE_SHA256, SSL_SIGN_RSA_PKCS1_SHA256,
      SSL_SIGN_ECDSA_SECP384R1_SHA384, SSL_SIGN_RSA_PSS_RSAE_SHA384, SSL_SIGN_RSA_PKCS1_SHA384,
      SSL_SIGN_RSA_PSS_RSAE_SHA512,    SSL_SIGN_RSA_PKCS1_SHA512,
  };
  rules.signing_prefs = {
      SSL_SIGN_ED25519,          SSL_SIGN_ECDSA_SECP256R1_SHA256, SSL_SIGN_RSA_PSS_RSAE_SHA256,
      SSL_SIGN_RSA_PKCS1_SHA256, SSL_SIGN_ECDSA_SECP384R1_SHA384, SSL_SIGN_RSA_PSS_RSAE_SHA384,
      SSL_SIGN_RSA_PKCS1_SHA384, SSL_SIGN_ECDSA_SECP521R1_SHA512, SSL_SIGN_RSA_PSS_RSAE_SHA512,
      SSL_SIGN_RSA_PKCS1_SHA512,
  };
  return rules;
}

bool ApplyableSignatureRules(const SignatureRules& rules, const std::vector<uint16_t>& configured,
                             std::vector<ErrorRecord>* errors) {
  if (configured.empty() || !rules.verify_prefs.empty()) return true;
  ErrorRecord reason = MakeSslErrorRecord(
      static_cast<int>(openssl3::kSSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM),
      "signature algorithms: none of those set is one BoringSSL signs and verifies (it has no "
      "DSA, SHA-224, RSA-PSS-key or Ed448 ones) and the security level allows (SHA-1 only at "
      "level 0)");
  reason.backend_cannot_apply = true;
  errors->push_back(std::move(reason));
  return false;
}

int RaiseMinVersion(int min_version, const SignatureRules& rules, bool datagram) {
  if (rules.version_floor == 0) return min_version;
  if (min_version == 0) return rules.version_floor;
  // DTLS numbers count down (DTLS 1.2 is 0xfefd, DTLS 1.0 0xfeff).
  if (datagram) return min_version > rules.version_floor ? rules.version_floor : min_version;
  return min_version < rules.version_floor ? rules.version_floor : min_version;
}

}  // namespace sslshim::boringssl
