// The other ways a program hands over its certificate and key: DER in memory
// (SSL_(CTX_)use_certificate_ASN1, SSL_(CTX_)use_PrivateKey_ASN1) and the RSA-only forms
// (SSL_(CTX_)use_RSAPrivateKey, _file, _ASN1). Each is OpenSSL 3's body (ssl/ssl_rsa.c,
// ssl/ssl_rsa_legacy.c) over the shim's SSL_(CTX_)use_certificate / _PrivateKey, with its error
// reasons.
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/errors.h"
#include "exports/cert_io.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

int UseCertificateDer(const CertTarget& target, const unsigned char* d, long len,
                      const char* func) {
  UniquePtr<X509> x(d2i_X509(nullptr, &d, len));
  if (x == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
    return 0;
  }
  return UseCertificate(target, x.get(), func);
}

// Takes the key the caller made (nullptr: it has already said why).
int UseOwnedKey(const CertTarget& target, UniquePtr<EVP_PKEY> pkey, const char* func) {
  return pkey != nullptr ? UsePrivateKey(target, pkey.get(), func) : 0;
}

UniquePtr<EVP_PKEY> PrivateKeyFromDer(int type, const unsigned char* d, long len,
                                      const char* func) {
  UniquePtr<EVP_PKEY> pkey(d2i_PrivateKey(type, nullptr, &d, len));
  if (pkey == nullptr) PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
  return pkey;
}

UniquePtr<EVP_PKEY> RsaKeyFromDer(const unsigned char* d, long len, const char* func) {
  UniquePtr<RSA> rsa(d2i_RSAPrivateKey(nullptr, &d, len));
  if (rsa == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
    return nullptr;
  }
  return WrapRsaKey(rsa.get(), func);
}

// The object of an entry whose object is its second parameter (the entry macros resolve the
// first): the shim's live object, or nullptr with *foreign set for one the real libssl made (the
// entry forwards it), or nullptr after reporting a freed or mistyped handle or a null one.
template <typename T>
T* SecondObject(const void* handle, HandleKind kind, const char* func, bool* foreign) {
  auto resolved = Resolve<T>(handle, kind);
  *foreign = false;
  if (resolved.state == HandleState::kLive) return resolved.object;
  if (resolved.state == HandleState::kInvalid) {
    ReportInvalidHandle(func);
  } else if (handle == nullptr) {
    ReportNullHandle(func);
  } else {
    *foreign = true;
  }
  return nullptr;
}

}  // namespace
}  // namespace sslshim

using sslshim::TargetOf;

SSLSHIM_CTX_ENTRY(SSL_CTX_use_certificate_ASN1, 0, len, d) {
  return sslshim::UseCertificateDer(TargetOf(ctx), d, len, "SSL_CTX_use_certificate_ASN1");
}

SSLSHIM_SSL_ENTRY(SSL_use_certificate_ASN1, 0, d, len) {
  return sslshim::UseCertificateDer(TargetOf(ssl), d, len, "SSL_use_certificate_ASN1");
}

SSLSHIM_FUNCTION_ENTRY(SSL_CTX_use_PrivateKey_ASN1, pk, ctx, d, len) {
  static constexpr char kFunc[] = "SSL_CTX_use_PrivateKey_ASN1";
  bool foreign = false;
  sslshim::Ctx* own =
      sslshim::SecondObject<sslshim::Ctx>(ctx, sslshim::HandleKind::kCtx, kFunc, &foreign);
  if (foreign) SSLSHIM_FORWARD(SSL_CTX_use_PrivateKey_ASN1, 0, pk, ctx, d, len);
  if (own == nullptr) return 0;
  return sslshim::UseOwnedKey(TargetOf(own), sslshim::PrivateKeyFromDer(pk, d, len, kFunc), kFunc);
}

SSLSHIM_FUNCTION_ENTRY(SSL_use_PrivateKey_ASN1, pk, ssl, d, len) {
  static constexpr char kFunc[] = "SSL_use_PrivateKey_ASN1";
  bool foreign = false;
  sslshim::Ssl* own =
      sslshim::SecondObject<sslshim::Ssl>(ssl, sslshim::HandleKind::kSsl, kFunc, &foreign);
  if (foreign) SSLSHIM_FORWARD(SSL_use_PrivateKey_ASN1, 0, pk, ssl, d, len);
  if (own == nullptr) return 0;
  return sslshim::UseOwnedKey(TargetOf(own), sslshim::PrivateKeyFromDer(pk, d, len, kFunc), kFunc);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_RSAPrivateKey, 0, rsa) {
  static constexpr char kFunc[] = "SSL_CTX_use_RSAPrivateKey";
  return sslshim::UseOwnedKey(TargetOf(ctx), sslshim::WrapRsaKey(rsa, kFunc), kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_use_RSAPrivateKey, 0, rsa) {
  static constexpr char kFunc[] = "SSL_use_RSAPrivateKey";
  return sslshim::UseOwnedKey(TargetOf(ssl), sslshim::WrapRsaKey(rsa, kFunc), kFunc);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_RSAPrivateKey_ASN1, 0, d, len) {
  static constexpr char kFunc[] = "SSL_CTX_use_RSAPrivateKey_ASN1";
  return sslshim::UseOwnedKey(TargetOf(ctx), sslshim::RsaKeyFromDer(d, len, kFunc), kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_use_RSAPrivateKey_ASN1, 0, d, len) {
  static constexpr char kFunc[] = "SSL_use_RSAPrivateKey_ASN1";
  return sslshim::UseOwnedKey(TargetOf(ssl), sslshim::RsaKeyFromDer(d, len, kFunc), kFunc);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_RSAPrivateKey_file, 0, file, type) {
  static constexpr char kFunc[] = "SSL_CTX_use_RSAPrivateKey_file";
  return sslshim::UseOwnedKey(
      TargetOf(ctx),
      sslshim::ReadRsaPrivateKeyFile(file, type, ctx->passwd_callback, ctx->passwd_userdata, kFunc),
      kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_use_RSAPrivateKey_file, 0, file, type) {
  static constexpr char kFunc[] = "SSL_use_RSAPrivateKey_file";
  return sslshim::UseOwnedKey(
      TargetOf(ssl),
      sslshim::ReadRsaPrivateKeyFile(file, type, ssl->passwd_callback, ssl->passwd_userdata, kFunc),
      kFunc);
}
