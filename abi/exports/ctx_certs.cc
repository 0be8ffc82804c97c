// Certificates, keys and trust for a context. Files are read with the program's own libcrypto
// (so PEM password callbacks, error codes and file formats are OpenSSL's), and the results cross
// to the backend as DER (DESIGN.md §6). Trust stays in the program's X509_STORE.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/errors.h"
#include "exports/dispatch.h"

namespace sslshim {
namespace {

std::vector<uint8_t> CertificateDer(X509* x) {
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  if (len <= 0) return {};
  std::vector<uint8_t> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

// Hands the backend the leaf and the extra chain certificates, in that order.
int InstallChain(Ctx* ctx, const char* func) {
  std::vector<std::vector<uint8_t>> chain{CertificateDer(ctx->certificate)};
  for (X509* x : ctx->extra_chain) chain.push_back(CertificateDer(x));
  for (const auto& der : chain) {
    if (der.empty()) {
      PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
      return 0;
    }
  }
  return FinishCtxCall(ctx, ctx->backend->UseCertificateChain(chain), SSL_R_X509_LIB, func);
}

int UseCertificate(Ctx* ctx, X509* x, const char* func) {
  if (x == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  if (!X509_up_ref(x)) return 0;
  X509_free(ctx->certificate);
  ctx->certificate = x;
  return InstallChain(ctx, func);
}

int UsePrivateKey(Ctx* ctx, EVP_PKEY* pkey, const char* func) {
  if (pkey == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(pkey);
  unsigned char* der = nullptr;
  int len = p8 != nullptr ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (len <= 0) {
    PushError(ERR_LIB_SSL, ERR_R_EVP_LIB, func);
    return 0;
  }
  std::vector<uint8_t> pkcs8(der, der + len);
  OPENSSL_clear_free(der, len);
  bool ok = ctx->backend->UsePrivateKey(pkcs8);
  OPENSSL_cleanse(pkcs8.data(), pkcs8.size());
  if (!FinishCtxCall(ctx, ok, SSL_R_X509_LIB, func)) return 0;
  if (!EVP_PKEY_up_ref(pkey)) return 0;
  EVP_PKEY_free(ctx->private_key);
  ctx->private_key = pkey;
  return 1;
}

BIO* OpenFile(const char* file, const char* func) {
  BIO* in = file != nullptr ? BIO_new_file(file, "r") : nullptr;
  if (in == nullptr) PushError(ERR_LIB_SSL, ERR_R_SYS_LIB, func);
  return in;
}

}  // namespace
}  // namespace sslshim

using sslshim::Ctx;

extern "C" int SSL_CTX_use_certificate(SSL_CTX* c, X509* x) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_certificate, 0, c, x);
  return sslshim::UseCertificate(ctx, x, "SSL_CTX_use_certificate");
}

extern "C" int SSL_CTX_use_certificate_file(SSL_CTX* c, const char* file, int type) {
  static constexpr char kFunc[] = "SSL_CTX_use_certificate_file";
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_certificate_file, 0, c, file, type);
  BIO* in = sslshim::OpenFile(file, kFunc);
  if (in == nullptr) return 0;
  X509* x = nullptr;
  if (type == SSL_FILETYPE_PEM) {
    x = PEM_read_bio_X509(in, nullptr, ctx->passwd_callback, ctx->passwd_userdata);
    if (x == nullptr) sslshim::PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, kFunc);
  } else if (type == SSL_FILETYPE_ASN1) {
    x = d2i_X509_bio(in, nullptr);
    if (x == nullptr) sslshim::PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, kFunc);
  } else {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_BAD_SSL_FILETYPE, kFunc);
  }
  BIO_free(in);
  int ok = x != nullptr ? sslshim::UseCertificate(ctx, x, kFunc) : 0;
  X509_free(x);
  return ok;
}

extern "C" int SSL_CTX_use_certificate_chain_file(SSL_CTX* c, const char* file) {
  static constexpr char kFunc[] = "SSL_CTX_use_certificate_chain_file";
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_certificate_chain_file, 0, c, file);
  BIO* in = sslshim::OpenFile(file, kFunc);
  if (in == nullptr) return 0;
  X509* leaf = PEM_read_bio_X509_AUX(in, nullptr, ctx->passwd_callback, ctx->passwd_userdata);
  if (leaf == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, kFunc);
    BIO_free(in);
    return 0;
  }
  std::vector<X509*> extra;
  while (X509* x = PEM_read_bio_X509(in, nullptr, ctx->passwd_callback, ctx->passwd_userdata)) {
    extra.push_back(x);
  }
  BIO_free(in);
  // The loop ends on "no start line" at the end of the file: that is success, as in OpenSSL.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  if (last != 0 && !clean_end) {
    for (X509* x : extra) X509_free(x);
    X509_free(leaf);
    return 0;
  }
  if (clean_end) ERR_clear_error();
  for (X509* x : ctx->extra_chain) X509_free(x);
  ctx->extra_chain = std::move(extra);
  int ok = sslshim::UseCertificate(ctx, leaf, kFunc);
  X509_free(leaf);
  return ok;
}

extern "C" int SSL_CTX_use_PrivateKey(SSL_CTX* c, EVP_PKEY* pkey) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_PrivateKey, 0, c, pkey);
  return sslshim::UsePrivateKey(ctx, pkey, "SSL_CTX_use_PrivateKey");
}

extern "C" int SSL_CTX_use_PrivateKey_file(SSL_CTX* c, const char* file, int type) {
  static constexpr char kFunc[] = "SSL_CTX_use_PrivateKey_file";
  SSLSHIM_CTX(ctx, c, SSL_CTX_use_PrivateKey_file, 0, c, file, type);
  BIO* in = sslshim::OpenFile(file, kFunc);
  if (in == nullptr) return 0;
  EVP_PKEY* pkey = nullptr;
  if (type == SSL_FILETYPE_PEM) {
    pkey = PEM_read_bio_PrivateKey(in, nullptr, ctx->passwd_callback, ctx->passwd_userdata);
    if (pkey == nullptr) sslshim::PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, kFunc);
  } else if (type == SSL_FILETYPE_ASN1) {
    pkey = d2i_PrivateKey_bio(in, nullptr);
    if (pkey == nullptr) sslshim::PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, kFunc);
  } else {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_BAD_SSL_FILETYPE, kFunc);
  }
  BIO_free(in);
  int ok = pkey != nullptr ? sslshim::UsePrivateKey(ctx, pkey, kFunc) : 0;
  EVP_PKEY_free(pkey);
  return ok;
}

extern "C" int SSL_CTX_check_private_key(const SSL_CTX* c) {
  static constexpr char kFunc[] = "SSL_CTX_check_private_key";
  SSLSHIM_CTX(ctx, c, SSL_CTX_check_private_key, 0, c);
  if (ctx->certificate == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NO_CERTIFICATE_ASSIGNED, kFunc);
    return 0;
  }
  if (ctx->private_key == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NO_PRIVATE_KEY_ASSIGNED, kFunc);
    return 0;
  }
  return X509_check_private_key(ctx->certificate, ctx->private_key);
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
