// Certificates, keys and trust for a context. Files are read with the program's own libcrypto
// (so PEM password callbacks, error codes and file formats are OpenSSL's), and the results cross
// to the backend as DER (docs/design-notes.md). Trust stays in the program's X509_STORE.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/errors.h"
#include "exports/cert_choice.h"
#include "exports/cert_io.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {

CertTarget TargetOf(Ctx* ctx) {
  return {
      &ctx->certificate,
      &ctx->private_key,
      [ctx] { return ctx->SentChain(); },
      [ctx](const std::vector<std::vector<uint8_t>>& chain) {
        // The backend gets exactly this chain; the next SSL_new rebuilds the automatic one.
        ctx->auto_chain_leaf = nullptr;
        ctx->auto_chain_installed = false;
        return ctx->backend()->UseCertificateChain(chain);
      },
      [ctx](const std::vector<uint8_t>& key) { return ctx->backend()->UsePrivateKey(key); },
      [ctx](bool ok, int reason, const char* func) { return FinishCtxCall(ctx, ok, reason, func); },
      [ctx](int key_type) { return SelectCertificateKeyType(ctx, key_type); }};
}

}  // namespace sslshim

using sslshim::Ctx;

SSLSHIM_CTX_ENTRY(SSL_CTX_use_certificate, 0, x) {
  return sslshim::UseCertificate(sslshim::TargetOf(ctx), x, "SSL_CTX_use_certificate");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_certificate_file, 0, file, type) {
  static constexpr char kFunc[] = "SSL_CTX_use_certificate_file";
  sslshim::UniquePtr<X509> x =
      sslshim::ReadCertificateFile(file, type, ctx->passwd_callback, ctx->passwd_userdata, kFunc);
  return x != nullptr ? sslshim::UseCertificate(sslshim::TargetOf(ctx), x.get(), kFunc) : 0;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_certificate_chain_file, 0, file) {
  static constexpr char kFunc[] = "SSL_CTX_use_certificate_chain_file";
  sslshim::UniquePtr<X509> leaf;
  sslshim::UniquePtr<STACK_OF(X509)> rest;
  if (!sslshim::ReadChainFile(file, ctx->passwd_callback, ctx->passwd_userdata, &leaf, &rest,
                              kFunc)) {
    return 0;
  }
  // As OpenSSL: the rest of the file becomes the chain of the leaf's key type (the extra chain
  // certificates stay, unsent while a chain is set).
  const bool switched =
      sslshim::SelectCertificateKeyType(ctx, EVP_PKEY_get_base_id(X509_get0_pubkey(leaf.get())));
  ctx->cert_chain = std::move(rest);
  int ok = sslshim::UseCertificate(sslshim::TargetOf(ctx), leaf.get(), kFunc);
  if (ok == 1 && switched && ctx->private_key != nullptr) {
    ok = sslshim::UsePrivateKey(sslshim::TargetOf(ctx), ctx->private_key.get(), kFunc);
  }
  return ok;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_PrivateKey, 0, pkey) {
  return sslshim::UsePrivateKey(sslshim::TargetOf(ctx), pkey, "SSL_CTX_use_PrivateKey");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_use_PrivateKey_file, 0, file, type) {
  static constexpr char kFunc[] = "SSL_CTX_use_PrivateKey_file";
  sslshim::UniquePtr<EVP_PKEY> pkey =
      sslshim::ReadPrivateKeyFile(file, type, ctx->passwd_callback, ctx->passwd_userdata, kFunc);
  return pkey != nullptr ? sslshim::UsePrivateKey(sslshim::TargetOf(ctx), pkey.get(), kFunc) : 0;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_check_private_key, 0) {
  return sslshim::CheckPrivateKey(ctx->certificate.get(), ctx->private_key.get(),
                                  "SSL_CTX_check_private_key");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get0_certificate, nullptr) { return ctx->certificate.get(); }

SSLSHIM_CTX_ENTRY(SSL_CTX_get0_privatekey, nullptr) { return ctx->private_key.get(); }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_passwd_cb, , cb) { ctx->passwd_callback = cb; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_passwd_cb_userdata, , u) { ctx->passwd_userdata = u; }

// Trust anchors go into the context's X509_STORE (the program's libcrypto object), which every
// verification of the shim's connections uses (core/verify.cc); each function is OpenSSL 3's own
// body over that store. The shim's contexts have no library context or property query.
SSLSHIM_CTX_ENTRY(SSL_CTX_load_verify_locations, 0, file, path) {
  if (file == nullptr && path == nullptr) return 0;
  return X509_STORE_load_locations(ctx->store.get(), file, path);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_load_verify_file, 0, CAfile) {
  return X509_STORE_load_file(ctx->store.get(), CAfile);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_load_verify_dir, 0, CApath) {
  return X509_STORE_load_path(ctx->store.get(), CApath);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_load_verify_store, 0, CAstore) {
  return X509_STORE_load_store(ctx->store.get(), CAstore);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_verify_paths, 0) {
  return X509_STORE_set_default_paths(ctx->store.get());
}

namespace sslshim {
namespace {

// SSL_CTX_set_default_verify_dir/_file/_store: one default lookup, whose own failure (no such
// directory or file) is not an error and leaves nothing on the queue, as in OpenSSL.
template <typename AddDefault>
int AddDefaultLookup(X509_STORE* store, X509_LOOKUP_METHOD* method, AddDefault add_default) {
  X509_LOOKUP* lookup = X509_STORE_add_lookup(store, method);
  if (lookup == nullptr) return 0;
  ERR_set_mark();
  add_default(lookup);
  ERR_pop_to_mark();
  return 1;
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_verify_dir, 0) {
  return sslshim::AddDefaultLookup(
      ctx->store.get(), X509_LOOKUP_hash_dir(),
      [](X509_LOOKUP* lookup) { X509_LOOKUP_add_dir(lookup, nullptr, X509_FILETYPE_DEFAULT); });
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_verify_file, 0) {
  return sslshim::AddDefaultLookup(ctx->store.get(), X509_LOOKUP_file(), [](X509_LOOKUP* lookup) {
    X509_LOOKUP_load_file(lookup, nullptr, X509_FILETYPE_DEFAULT);
  });
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_verify_store, 0) {
  return sslshim::AddDefaultLookup(ctx->store.get(), X509_LOOKUP_store(), [](X509_LOOKUP* lookup) {
    X509_LOOKUP_add_store(lookup, nullptr);
  });
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_cert_store, nullptr) { return ctx->store.get(); }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_cert_store, , store) {
  ctx->store.reset(store != nullptr ? store : X509_STORE_new());  // takes ownership, as OpenSSL
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get0_param, nullptr) { return ctx->param.get(); }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_verify, , mode, callback) {
  ctx->verify_mode = mode;
  ctx->verify_callback = callback;
  ctx->backend()->SetVerify(mode);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_verify_depth, , depth) { ctx->verify_depth = depth; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_verify_mode, 0) { return ctx->verify_mode; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_cert_verify_callback, , cb, arg) {
  ctx->app_verify_callback = cb;
  ctx->app_verify_arg = arg;
}
