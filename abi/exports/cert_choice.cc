#include "exports/cert_choice.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <vector>

#include "core/objects.h"
#include "exports/cert_io.h"

namespace sslshim {
namespace {

int KeyTypeOf(X509* x) { return EVP_PKEY_get_base_id(X509_get0_pubkey(x)); }

}  // namespace

int CurveOf(const EVP_PKEY* key) {
  char name[64] = "";
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
      !EVP_PKEY_get_utf8_string_param(key, "group", name, sizeof name, nullptr)) {
    return NID_undef;
  }
  int nid = OBJ_txt2nid(name);
  return nid != NID_undef ? nid : EC_curve_nist2nid(name);
}

namespace {

// The TLS NamedGroup code of an EC curve OpenSSL and BoringSSL both sign with, or 0.
uint16_t GroupCodeOf(int curve) {
  switch (curve) {
    case NID_X9_62_prime256v1:
      return 23;
    case NID_secp384r1:
      return 24;
    case NID_secp521r1:
      return 25;
    default:
      return 0;
  }
}

// What one candidate is: its certificate, key and chain.
struct Candidate {
  X509* certificate;
  EVP_PKEY* key;
  STACK_OF(X509) * chain;
  bool current;  // the context's current one (the connection already holds it)
};

// Whether `candidate` can sign `scheme` in TLS 1.3 (where an ECDSA scheme names its curve).
bool SignsInTls13(const Candidate& candidate, uint16_t scheme) {
  const int type = EVP_PKEY_get_base_id(candidate.key);
  switch (scheme) {
    case 0x0403:
      return type == EVP_PKEY_EC && CurveOf(candidate.key) == NID_X9_62_prime256v1;
    case 0x0503:
      return type == EVP_PKEY_EC && CurveOf(candidate.key) == NID_secp384r1;
    case 0x0603:
      return type == EVP_PKEY_EC && CurveOf(candidate.key) == NID_secp521r1;
    case 0x0804:
    case 0x0805:
    case 0x0806:
      return type == EVP_PKEY_RSA;
    case 0x0807:
      return type == EVP_PKEY_ED25519;
    default:
      return false;
  }
}

// Whether a TLS 1.2 client can take `candidate` for a suite authenticated with `auth`: an ECDSA
// key on a curve the client named (or an Ed25519 key it offered to verify), or an RSA key.
bool ServesTls12(const Candidate& candidate, char auth, const CertificateChoiceInputs& inputs) {
  const int type = EVP_PKEY_get_base_id(candidate.key);
  auto offered = [&](uint16_t scheme) {
    return std::find(inputs.signature_algorithms.begin(), inputs.signature_algorithms.end(),
                     scheme) != inputs.signature_algorithms.end();
  };
  if (auth == 'R') return type == EVP_PKEY_RSA;
  if (type == EVP_PKEY_ED25519) return offered(0x0807);
  if (type != EVP_PKEY_EC) return false;
  const uint16_t group = GroupCodeOf(CurveOf(candidate.key));
  return group != 0 &&
         (inputs.groups.empty() ||
          std::find(inputs.groups.begin(), inputs.groups.end(), group) != inputs.groups.end());
}

// OpenSSL's choice (tls_choose_sigalg, ssl3_choose_cipher): in TLS 1.3 the first of the client's
// signature schemes a certificate can sign; in TLS 1.2 the first suite, in the server's order of
// picking them, whose authentication a certificate serves. nullptr: none can (the backend then
// goes on with the current one and fails as it would).
const Candidate* Choose(const std::vector<Candidate>& candidates,
                        const CertificateChoiceInputs& inputs) {
  if (inputs.tls13) {
    for (uint16_t scheme : inputs.signature_algorithms) {
      for (const Candidate& candidate : candidates) {
        if (SignsInTls13(candidate, scheme)) return &candidate;
      }
    }
    return nullptr;
  }
  for (char auth : inputs.suite_authentications) {
    for (const Candidate& candidate : candidates) {
      if (ServesTls12(candidate, auth, inputs)) return &candidate;
    }
  }
  return nullptr;
}

// Installs the candidate the client can use on the connection (its chain as the connection's
// own), unless it is the one the connection already holds: 1, or 0 with the error.
int ChooseServerCertificate(Ssl* ssl) {
  Ctx* ctx = ssl->ctx();
  std::vector<Candidate> candidates;
  if (ctx->certificate != nullptr && ctx->private_key != nullptr) {
    candidates.push_back(
        {ctx->certificate.get(), ctx->private_key.get(), ctx->cert_chain.get(), true});
  }
  for (const CertificateKey& other : ctx->other_keys) {
    if (other.certificate && other.private_key) {
      candidates.push_back(
          {other.certificate.get(), other.private_key.get(), other.chain.get(), false});
    }
  }
  if (candidates.size() < 2) return 1;
  const CertificateChoiceInputs inputs = ssl->conn()->ServerCertificateInputs();
  if (inputs.signature_algorithms.empty() && inputs.suite_authentications.empty()) return 1;
  const Candidate* chosen = Choose(candidates, inputs);
  if (chosen == nullptr || chosen->current) return 1;
  ssl->cert_chain.reset(chosen->chain != nullptr ? X509_chain_up_ref(chosen->chain) : nullptr);
  static constexpr char kFunc[] = "tls_choose_sigalg";
  return UseCertificate(TargetOf(ssl), chosen->certificate, kFunc) == 1 &&
                 UsePrivateKey(TargetOf(ssl), chosen->key, kFunc) == 1
             ? 1
             : 0;
}

}  // namespace

int CertificateSlotIndex(int key_type) {
  switch (key_type) {
    case EVP_PKEY_RSA:
      return 0;
    case EVP_PKEY_RSA_PSS:
      return 1;
    case EVP_PKEY_DSA:
      return 2;
    case EVP_PKEY_EC:
      return 3;
    case EVP_PKEY_ED25519:
      return 7;
    case EVP_PKEY_ED448:
      return 8;
    default:
      return 9;
  }
}

int MakeCurrentCertificate(Ctx* ctx, X509* certificate, const char* func) {
  if (!SelectCertificateKeyType(ctx, KeyTypeOf(certificate))) return 1;
  EVP_PKEY* key = ctx->private_key.get();
  if (ctx->certificate == nullptr) return 1;
  UniquePtr<X509> current = std::move(ctx->certificate);
  int ok = UseCertificate(TargetOf(ctx), current.get(), func);
  if (ok == 1 && key != nullptr) ok = UsePrivateKey(TargetOf(ctx), key, func);
  return ok;
}

bool SelectCertificateKeyType(Ctx* ctx, int key_type) {
  if (ctx->certificate == nullptr || KeyTypeOf(ctx->certificate.get()) == key_type) return false;
  // The current one joins the others (a key of another type than its certificate's stays).
  CertificateKey current;
  current.certificate = std::move(ctx->certificate);
  current.chain = std::move(ctx->cert_chain);
  const int current_type = KeyTypeOf(current.certificate.get());
  if (ctx->private_key != nullptr && EVP_PKEY_get_base_id(ctx->private_key.get()) == current_type) {
    current.private_key = std::move(ctx->private_key);
  }
  auto of_type = [](int type) {
    return [type](const CertificateKey& k) { return KeyTypeOf(k.certificate.get()) == type; };
  };
  std::vector<CertificateKey>& others = ctx->other_keys;
  others.erase(std::remove_if(others.begin(), others.end(), of_type(current_type)), others.end());
  // Those of `key_type` come back.
  auto kept = std::find_if(others.begin(), others.end(), of_type(key_type));
  if (kept != others.end()) {
    ctx->certificate = std::move(kept->certificate);
    ctx->cert_chain = std::move(kept->chain);
    if (kept->private_key) {
      ctx->private_key = std::move(kept->private_key);
    }
    others.erase(kept);
  }
  others.push_back(std::move(current));
  ctx->choose_server_certificate = &ChooseServerCertificate;
  return true;
}

}  // namespace sslshim
