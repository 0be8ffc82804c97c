// SSL_CTX_new / free / up_ref and the context's plain accessors.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

using sslshim::Ctx;

SSLSHIM_OBJECT_ENTRY(SSL_METHOD, method, kGoesToBody, SSL_CTX_new, nullptr) {
  if (method == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NULL_SSL_METHOD_PASSED, "SSL_CTX_new");
    return nullptr;
  }
  OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, nullptr);
  Ctx* ctx = sslshim::NewCtx(method);
  return ctx != nullptr ? ctx->api() : nullptr;
}

SSLSHIM_FUNCTION_ENTRY(SSL_CTX_new_ex, libctx, propq, meth) {
  if (meth != nullptr && !sslshim::IsOurs(meth)) {
    SSLSHIM_FORWARD(SSL_CTX_new_ex, nullptr, libctx, propq, meth);
  }
  // A library context other than the default one is a set of providers of the program's own
  // making, which neither backend can use. A property query is the backend's to honour
  // (core/objects.cc, NewCtx).
  if (libctx != nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, "SSL_CTX_new_ex",
                       "sslshim: only the default library context is supported");
    sslshim::WarnOnce("SSL_CTX_new_ex", "only the default library context is supported");
    return nullptr;
  }
  if (propq == nullptr) return SSL_CTX_new(meth);
  if (meth == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NULL_SSL_METHOD_PASSED, "SSL_CTX_new_ex");
    return nullptr;
  }
  auto resolved = sslshim::Resolve<sslshim::Method>(meth, sslshim::HandleKind::kMethod);
  if (resolved.state != sslshim::HandleState::kLive) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, "SSL_CTX_new_ex");
    return nullptr;
  }
  OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, nullptr);
  Ctx* ctx = sslshim::NewCtx(resolved.object, propq);
  return ctx != nullptr ? ctx->api() : nullptr;
}

SSLSHIM_CTX_ENTRY_NULL_IGNORED(SSL_CTX_free, ) { sslshim::CtxRelease(ctx); }

SSLSHIM_CTX_ENTRY(SSL_CTX_up_ref, 0) {
  sslshim::CtxUpRef(ctx);
  return 1;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_options, 0, op) {
  ctx->options |= op;
  ctx->backend()->SetOptions(ctx->options);
  return ctx->options;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_clear_options, 0, op) {
  ctx->options &= ~op;
  ctx->backend()->SetOptions(ctx->options);
  return ctx->options;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_options, 0) { return ctx->options; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_info_callback, , cb) { ctx->info_callback = cb; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_info_callback, nullptr) { return ctx->info_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_ex_data, 0, idx, data) {
  return CRYPTO_set_ex_data(&ctx->ex_data, idx, data);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_ex_data, nullptr, idx) {
  return CRYPTO_get_ex_data(&ctx->ex_data, idx);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_cipher_list, 0, str) {
  bool ok = str != nullptr && ctx->backend()->SetCipherList(str);
  if (!sslshim::FinishCtxCall(ctx, ok, SSL_R_NO_CIPHER_MATCH, "SSL_CTX_set_cipher_list")) return 0;
  // "@SECLEVEL=n" sets the security level, as in OpenSSL (Python's and Debian's strings have it).
  int level = sslshim::SecurityLevelInCipherString(str);
  if (level >= 0) sslshim::ApplySecurityLevel(ctx, level, "SSL_CTX_set_cipher_list");
  return 1;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_ciphersuites, 0, str) {
  bool ok = str != nullptr && ctx->backend()->SetCiphersuites(str);
  return sslshim::FinishCtxCall(ctx, ok, SSL_R_NO_CIPHER_MATCH, "SSL_CTX_set_ciphersuites");
}
