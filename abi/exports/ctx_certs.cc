// Certificates, keys and trust for a context. Files are read with the program's own libcrypto
// (so PEM password callbacks, error codes and file formats are OpenSSL's), and the results cross
// to the backend as DER (docs/design-notes.md). Trust stays in the program's X509_STORE.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/errors.h"
#include "exports/cert_io.h"
#include "exports/dispatch.h"

namespace sslshim {

CertTarget TargetOf(Ctx* ctx) {
  return {&ctx->certificate,
          &ctx->private_key,
          &ctx->extra_chain,
          [ctx](const std::vector<std::vector<uint8_t>>& chain) {
            // The backend gets exactly this chain; the next SSL_new rebuilds the automatic one.
            ctx->auto_chain_leaf = nullptr;
            ctx->auto_chain_installed = false;
            return ctx->backend->UseCertificateChain(chain);
          },
          [ctx](const std::vector<uint8_t>& key) { return ctx->backend->UsePrivateKey(key); },
          [ctx](bool ok, int reason, const char* func) {
            return FinishCtxCall(ctx, ok, reason, func);
          }};
}

}  // namespace sslshim

using sslshim::Ctx;

extern "C" int SSL_CTX_use_certificate(SSL_CTX* c, X509* x) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_certificate, 0, c, x);
  return sslshim::UseCertificate(sslshim::TargetOf(ctx), x, "SSL_CTX_use_certificate");
}

extern "C" int SSL_CTX_use_certificate_file(SSL_CTX* c, const char* file, int type) {
  static constexpr char kFunc[] = "SSL_CTX_use_certificate_file";
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_certificate_file, 0, c, file, type);
  X509* x =
      sslshim::ReadCertificateFile(file, type, ctx->passwd_callback, ctx->passwd_userdata, kFunc);
  int ok = x != nullptr ? sslshim::UseCertificate(sslshim::TargetOf(ctx), x, kFunc) : 0;
  X509_free(x);
  return ok;
}

extern "C" int SSL_CTX_use_certificate_chain_file(SSL_CTX* c, const char* file) {
  static constexpr char kFunc[] = "SSL_CTX_use_certificate_chain_file";
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_certificate_chain_file, 0, c, file);
  X509* leaf = nullptr;
  std::vector<X509*> extra;
  if (!sslshim::ReadChainFile(file, ctx->passwd_callback, ctx->passwd_userdata, &leaf, &extra,
                              kFunc)) {
    return 0;
  }
  for (X509* x : ctx->extra_chain) X509_free(x);
  ctx->extra_chain = std::move(extra);
  int ok = sslshim::UseCertificate(sslshim::TargetOf(ctx), leaf, kFunc);
  X509_free(leaf);
  return ok;
}

extern "C" int SSL_CTX_use_PrivateKey(SSL_CTX* c, EVP_PKEY* pkey) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_PrivateKey, 0, c, pkey);
  return sslshim::UsePrivateKey(sslshim::TargetOf(ctx), pkey, "SSL_CTX_use_PrivateKey");
}

extern "C" int SSL_CTX_use_PrivateKey_file(SSL_CTX* c, const char* file, int type) {
  static constexpr char kFunc[] = "SSL_CTX_use_PrivateKey_file";
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_PrivateKey_file, 0, c, file, type);
  EVP_PKEY* pkey =
      sslshim::ReadPrivateKeyFile(file, type, ctx->passwd_callback, ctx->passwd_userdata, kFunc);
  int ok = pkey != nullptr ? sslshim::UsePrivateKey(sslshim::TargetOf(ctx), pkey, kFunc) : 0;
  EVP_PKEY_free(pkey);
  return ok;
}

extern "C" int SSL_CTX_check_private_key(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_check_private_key, 0, c);
  return sslshim::CheckPrivateKey(ctx->certificate, ctx->private_key, "SSL_CTX_check_private_key");
}

extern "C" X509* SSL_CTX_get0_certificate(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get0_certificate, nullptr, c);
  return ctx->certificate;
}

extern "C" EVP_PKEY* SSL_CTX_get0_privatekey(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get0_privatekey, nullptr, c);
  return ctx->private_key;
}

extern "C" void SSL_CTX_set_default_passwd_cb(SSL_CTX* c, pem_password_cb* cb) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_default_passwd_cb, , c, cb);
  ctx->passwd_callback = cb;
}

extern "C" void SSL_CTX_set_default_passwd_cb_userdata(SSL_CTX* c, void* u) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_default_passwd_cb_userdata, , c, u);
  ctx->passwd_userdata = u;
}

extern "C" int SSL_CTX_load_verify_locations(SSL_CTX* c, const char* file, const char* path) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_load_verify_locations, 0, c, file, path);
  if (file == nullptr && path == nullptr) return 0;
  return X509_STORE_load_locations(ctx->store, file, path);
}

extern "C" int SSL_CTX_set_default_verify_paths(SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_default_verify_paths, 0, c);
  return X509_STORE_set_default_paths(ctx->store);
}

extern "C" X509_STORE* SSL_CTX_get_cert_store(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_cert_store, nullptr, c);
  return ctx->store;
}

extern "C" void SSL_CTX_set_cert_store(SSL_CTX* c, X509_STORE* store) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_cert_store, , c, store);
  X509_STORE_free(ctx->store);  // takes ownership, as OpenSSL does
  ctx->store = store != nullptr ? store : X509_STORE_new();
}

extern "C" X509_VERIFY_PARAM* SSL_CTX_get0_param(SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get0_param, nullptr, c);
  return ctx->param;
}

extern "C" void SSL_CTX_set_verify(SSL_CTX* c, int mode, SSL_verify_cb callback) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_verify, , c, mode, callback);
  ctx->verify_mode = mode;
  ctx->verify_callback = callback;
  ctx->backend->SetVerify(mode);
}

extern "C" void SSL_CTX_set_verify_depth(SSL_CTX* c, int depth) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_verify_depth, , c, depth);
  ctx->verify_depth = depth;
}

extern "C" int SSL_CTX_get_verify_mode(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_verify_mode, 0, c);
  return ctx->verify_mode;
}

extern "C" void SSL_CTX_set_cert_verify_callback(SSL_CTX* c, int (*cb)(X509_STORE_CTX*, void*),
                                                 void* arg) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_cert_verify_callback, , c, cb, arg);
  ctx->app_verify_callback = cb;
  ctx->app_verify_arg = arg;
}
