#include "boringssl/ctx.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>
#include <utility>

#include "boringssl/conn.h"
#include "boringssl/error_translation.h"
#include "boringssl/mode_translation.h"
#include "boringssl/name_translation.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

int ToInt(long long value) { return static_cast<int>(value); }

// A bound BoringSSL understands for an OpenSSL bound: SSL 3.0 is a valid OpenSSL floor, but
// BoringSSL has no SSL 3.0, so the floor becomes TLS 1.0 (what OpenSSL builds without SSLv3 do).
int BoringSslMinBound(int version) {
  return version == openssl3::kSSL3_VERSION ? TLS1_VERSION : version;
}

}  // namespace

std::unique_ptr<BoringSslCtx> BoringSslCtx::Create(const MethodSpec& method,
                                                   const ProgramBioOps* bio_ops,
                                                   std::vector<ErrorRecord>* errors) {
  ERR_clear_error();
  bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_method()));
  if (!ctx) {
    DrainBoringSslErrors(errors);
    return nullptr;
  }
  std::unique_ptr<BoringSslCtx> result(new BoringSslCtx(std::move(ctx), method, bio_ops));
  if (!result->ApplyVersionBounds()) {
    result->TakeErrors(errors);
    return nullptr;
  }
  return result;
}

BoringSslCtx::BoringSslCtx(bssl::UniquePtr<SSL_CTX> ctx, const MethodSpec& method,
                           const ProgramBioOps* bio_ops)
    : ctx_(std::move(ctx)), method_(method), bio_ops_(bio_ops) {}

bool BoringSslCtx::Finish(bool ok) const {
  DrainBoringSslErrors(&errors_);
  return ok;
}

std::unique_ptr<BackendConn> BoringSslCtx::NewConn(ConnObserver* observer) {
  ERR_clear_error();
  bssl::UniquePtr<SSL> ssl(SSL_new(ctx_.get()));
  if (!ssl) {
    Finish(false);
    return nullptr;
  }
  ConnSettings settings;
  settings.endpoint = method_.endpoint;
  settings.verify_mode = verify_mode_;
  settings.forbid_renegotiation = OptionsForbidRenegotiation(options_);
  return std::make_unique<BoringSslConn>(std::move(ssl), bio_ops_, observer, settings);
}

// --- Versions -----------------------------------------------------------------------------------

bool BoringSslCtx::ApplyVersionBounds() {
  int min = method_.min_version != 0 ? method_.min_version : min_version_;
  int max = method_.max_version != 0 ? method_.max_version : max_version_;
  ERR_clear_error();
  bool ok =
      SSL_CTX_set_min_proto_version(ctx_.get(), static_cast<uint16_t>(BoringSslMinBound(min)));
  ok = ok && SSL_CTX_set_max_proto_version(ctx_.get(), static_cast<uint16_t>(max));
  return Finish(ok);
}

bool BoringSslCtx::SetMinVersion(int version) {
  int previous = min_version_;
  min_version_ = version;
  if (ApplyVersionBounds()) return true;
  min_version_ = previous;
  ApplyVersionBounds();
  return false;
}

bool BoringSslCtx::SetMaxVersion(int version) {
  if (version == openssl3::kSSL3_VERSION) {
    // OpenSSL would accept the bound and then fail every handshake; say so now.
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_UNSUPPORTED_PROTOCOL),
                                         "BoringSSL: SSL 3.0 is not available"));
    return false;
  }
  int previous = max_version_;
  max_version_ = version;
  if (ApplyVersionBounds()) return true;
  max_version_ = previous;
  ApplyVersionBounds();
  return false;
}

// --- Options, ciphers, groups -------------------------------------------------------------------

void BoringSslCtx::SetOptions(uint64_t openssl_options) {
  options_ = openssl_options;
  SSL_CTX_clear_options(ctx_.get(), BoringSslOptionBitsWeTranslate());
  SSL_CTX_set_options(ctx_.get(), TranslateOptionsToBoringSsl(openssl_options));
}

bool BoringSslCtx::SetCipherList(const char* list) {
  // The tolerant setter, not SSL_CTX_set_strict_cipher_list: like OpenSSL it skips names it does
  // not know (OpenSSL-only keywords such as @SECLEVEL=2 or suites BoringSSL dropped) and fails
  // only when nothing usable is left; the strict one would reject the whole string instead.
  ERR_clear_error();
  return Finish(SSL_CTX_set_cipher_list(ctx_.get(), list) == 1);
}

bool BoringSslCtx::SetCiphersuites(const char* list) {
  std::string bad_name;
  if (CheckTls13CipherSuites(list != nullptr ? list : "", &bad_name)) return true;
  errors_.push_back(MakeSslErrorRecord(
      ToInt(openssl3::kSSL_R_NO_CIPHER_MATCH),
      "BoringSSL: TLS 1.3 suite \"" + bad_name +
          "\" is not available; BoringSSL always offers exactly TLS_AES_128_GCM_SHA256, "
          "TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256"));
  return false;
}

bool BoringSslCtx::SetGroups(const char* list) {
  std::string groups;
  std::string bad_name;
  if (!TranslateGroupList(list != nullptr ? list : "", &groups, &bad_name)) {
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_UNSUPPORTED_ELLIPTIC_CURVE),
                                         "BoringSSL: group \"" + bad_name + "\" is not available"));
    return false;
  }
  ERR_clear_error();
  return Finish(SSL_CTX_set1_curves_list(ctx_.get(), groups.c_str()) == 1);
}

// --- Certificates and keys ----------------------------------------------------------------------

bool BoringSslCtx::UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) {
  if (chain_der.empty()) {
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kERR_R_PASSED_NULL_PARAMETER), ""));
    return false;
  }
  ERR_clear_error();
  const std::vector<uint8_t>& leaf = chain_der.front();
  if (!SSL_CTX_use_certificate_ASN1(ctx_.get(), leaf.size(), leaf.data()) ||
      !SSL_CTX_clear_chain_certs(ctx_.get())) {
    return Finish(false);
  }
  for (size_t i = 1; i < chain_der.size(); i++) {
    const uint8_t* der = chain_der[i].data();
    bssl::UniquePtr<X509> cert(d2i_X509(nullptr, &der, static_cast<long>(chain_der[i].size())));
    if (!cert || !SSL_CTX_add1_chain_cert(ctx_.get(), cert.get())) return Finish(false);
  }
  return Finish(true);
}

bool BoringSslCtx::UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) {
  ERR_clear_error();
  const uint8_t* der = pkcs8_der.data();
  // PKCS#8 first, then the traditional RSA/EC encodings, as OpenSSL's d2i_AutoPrivateKey.
  bssl::UniquePtr<EVP_PKEY> key(
      d2i_AutoPrivateKey(nullptr, &der, static_cast<long>(pkcs8_der.size())));
  if (!key) return Finish(false);
  return Finish(SSL_CTX_use_PrivateKey(ctx_.get(), key.get()) == 1);
}

bool BoringSslCtx::CheckPrivateKey() const {
  ERR_clear_error();
  return Finish(SSL_CTX_check_private_key(ctx_.get()) == 1);
}

// --- Sessions, ALPN -----------------------------------------------------------------------------

void BoringSslCtx::SetSessionCacheMode(long mode) {
  SSL_CTX_set_session_cache_mode(ctx_.get(), TranslateSessionCacheModeToBoringSsl(mode));
}

bool BoringSslCtx::SetAlpnProtos(const uint8_t* wire, size_t len) {
  ERR_clear_error();
  // BoringSSL returns 0 on success here (OpenSSL's convention too); the core turns our bool into
  // OpenSSL's return value.
  return Finish(SSL_CTX_set_alpn_protos(ctx_.get(), wire, len) == 0);
}

void BoringSslCtx::TakeErrors(std::vector<ErrorRecord>* out) {
  DrainBoringSslErrors(&errors_);
  for (ErrorRecord& record : errors_) out->push_back(std::move(record));
  errors_.clear();
}

}  // namespace sslshim::boringssl
