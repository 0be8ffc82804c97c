// SSL_CTX_use_cert_and_key / SSL_use_cert_and_key: a certificate, its key and its chain in one
// call, into the slot of the certificate's key type, as OpenSSL 3's ssl_set_cert_and_key: the key
// must match the certificate (SSL_R_PRIVATE_KEY_MISMATCH), and without `override` a slot already
// holding anything is left alone (SSL_R_NOT_REPLACING_CERTIFICATE). The shim does not hold the
// certificates to the security level here, as it does not in SSL_CTX_use_certificate.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>

#include "core/errors.h"
#include "exports/cert_choice.h"
#include "exports/cert_io.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

int KeyTypeOf(X509* x) { return EVP_PKEY_get_base_id(X509_get0_pubkey(x)); }

// The checks before anything changes: 1, or 0 with OpenSSL's reason.
int CheckCertAndKey(X509* x, EVP_PKEY* key, const char* func) {
  if (x == nullptr || X509_get0_pubkey(x) == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  if (key != nullptr && EVP_PKEY_eq(X509_get0_pubkey(x), key) != 1) {
    PushError(ERR_LIB_SSL, SSL_R_PRIVATE_KEY_MISMATCH, func);
    return 0;
  }
  return 1;
}

// Installs the three on `target`, whose chain slot is `cert_chain`: 1, or 0 with the error.
int Install(const CertTarget& target, UniquePtr<STACK_OF(X509)>* cert_chain, X509* x, EVP_PKEY* key,
            STACK_OF(X509) * chain, const char* func) {
  UniquePtr<STACK_OF(X509)> copy(chain != nullptr ? X509_chain_up_ref(chain) : nullptr);
  if (chain != nullptr && !copy) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return 0;
  }
  *cert_chain = std::move(copy);
  if (UseCertificate(target, x, func) != 1) return 0;
  return key == nullptr ? 1 : UsePrivateKey(target, key, func);
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_use_cert_and_key, 0, x509, privatekey, chain, override) {
  static constexpr char kFunc[] = "ssl_set_cert_and_key";
  if (!sslshim::CheckCertAndKey(x509, privatekey, kFunc)) return 0;
  const int type = sslshim::KeyTypeOf(x509);
  // Whatever the slot of this key type holds: the current certificate (key, chain) or a kept one.
  const bool current_is_type = ctx->certificate != nullptr
                                   ? sslshim::KeyTypeOf(ctx->certificate.get()) == type
                                   : ctx->private_key != nullptr || ctx->cert_chain != nullptr;
  const bool kept = std::any_of(ctx->other_keys.begin(), ctx->other_keys.end(),
                                [type](const sslshim::CertificateKey& k) {
                                  return sslshim::KeyTypeOf(k.certificate.get()) == type;
                                });
  if (!override && (current_is_type || kept)) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NOT_REPLACING_CERTIFICATE, kFunc);
    return 0;
  }
  sslshim::SelectCertificateKeyType(ctx, type);
  return sslshim::Install(sslshim::TargetOf(ctx), &ctx->cert_chain, x509, privatekey, chain, kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_use_cert_and_key, 0, x509, privatekey, chain, override) {
  static constexpr char kFunc[] = "ssl_set_cert_and_key";
  if (!sslshim::CheckCertAndKey(x509, privatekey, kFunc)) return 0;
  // A connection starts with its context's certificate settings (OpenSSL copies them at SSL_new),
  // so the slot is full when the certificate it has, its key, or a chain is of this type.
  X509* current =
      ssl->certificate != nullptr ? ssl->certificate.get() : ssl->ctx()->certificate.get();
  EVP_PKEY* key =
      ssl->private_key != nullptr ? ssl->private_key.get() : ssl->ctx()->private_key.get();
  const int type = sslshim::KeyTypeOf(x509);
  const bool full = current != nullptr ? sslshim::KeyTypeOf(current) == type
                                       : (key != nullptr && EVP_PKEY_get_base_id(key) == type) ||
                                             ssl->cert_chain != nullptr;
  if (!override && full) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NOT_REPLACING_CERTIFICATE, kFunc);
    return 0;
  }
  return sslshim::Install(sslshim::TargetOf(ssl), &ssl->cert_chain, x509, privatekey, chain, kFunc);
}
