// SSL_CTX_new / free / up_ref and the context's plain accessors.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/security_level.h"

using sslshim::Ctx;

extern "C" SSL_CTX* SSL_CTX_new(const SSL_METHOD* meth) {
  if (meth == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NULL_SSL_METHOD_PASSED, "SSL_CTX_new");
    return nullptr;
  }
  auto method = sslshim::Resolve<sslshim::Method>(meth, sslshim::HandleKind::kMethod);
  if (method.state == sslshim::HandleState::kForeign) SSLSHIM_FORWARD(SSL_CTX_new, nullptr, meth);
  if (method.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle("SSL_CTX_new");
    return nullptr;
  }
  OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, nullptr);
  Ctx* ctx = sslshim::NewCtx(method.object);
  return ctx != nullptr ? ctx->api() : nullptr;
}

extern "C" SSL_CTX* SSL_CTX_new_ex(OSSL_LIB_CTX* libctx, const char* propq,
                                   const SSL_METHOD* meth) {
  if (meth != nullptr && !sslshim::IsOurs(meth)) {
    SSLSHIM_FORWARD(SSL_CTX_new_ex, nullptr, libctx, propq, meth);
  }
  // Neither backend takes OpenSSL providers: only the default library context can be honoured.
  if (libctx != nullptr || propq != nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, "SSL_CTX_new_ex",
                       "sslshim: only the default library context is supported");
    sslshim::WarnOnce("SSL_CTX_new_ex", "only the default library context is supported");
    return nullptr;
  }
  return SSL_CTX_new(meth);
}

extern "C" void SSL_CTX_free(SSL_CTX* c) {
  if (c == nullptr) return;
  SSLSHIM_CTX(ctx, c, SSL_CTX_free, , c);
  sslshim::CtxRelease(ctx);
}

extern "C" int SSL_CTX_up_ref(SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_up_ref, 0, c);
  sslshim::CtxUpRef(ctx);
  return 1;
}

extern "C" uint64_t SSL_CTX_set_options(SSL_CTX* c, uint64_t op) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_options, 0, c, op);
  ctx->options |= op;
  ctx->backend->SetOptions(ctx->options);
  return ctx->options;
}

extern "C" uint64_t SSL_CTX_clear_options(SSL_CTX* c, uint64_t op) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_clear_options, 0, c, op);
  ctx->options &= ~op;
  ctx->backend->SetOptions(ctx->options);
  return ctx->options;
}

extern "C" uint64_t SSL_CTX_get_options(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_options, 0, c);
  return ctx->options;
}

extern "C" void SSL_CTX_set_info_callback(SSL_CTX* c, void (*cb)(const SSL*, int, int)) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_info_callback, , c, cb);
  ctx->info_callback = cb;
}

extern "C" void (*SSL_CTX_get_info_callback(SSL_CTX* c))(const SSL*, int, int) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_info_callback, nullptr, c);
  return ctx->info_callback;
}

extern "C" int SSL_CTX_set_ex_data(SSL_CTX* c, int idx, void* data) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_ex_data, 0, c, idx, data);
  return CRYPTO_set_ex_data(&ctx->ex_data, idx, data);
}

extern "C" void* SSL_CTX_get_ex_data(const SSL_CTX* c, int idx) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_ex_data, nullptr, c, idx);
  return CRYPTO_get_ex_data(&ctx->ex_data, idx);
}

extern "C" int SSL_CTX_set_cipher_list(SSL_CTX* c, const char* str) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_cipher_list, 0, c, str);
  bool ok = str != nullptr && ctx->backend->SetCipherList(str);
  if (!sslshim::FinishCtxCall(ctx, ok, SSL_R_NO_CIPHER_MATCH, "SSL_CTX_set_cipher_list")) return 0;
  // "@SECLEVEL=n" sets the security level, as in OpenSSL (Python's and Debian's strings have it).
  int level = sslshim::SecurityLevelInCipherString(str);
  if (level >= 0) sslshim::ApplySecurityLevel(ctx, level, "SSL_CTX_set_cipher_list");
  return 1;
}

extern "C" int SSL_CTX_set_ciphersuites(SSL_CTX* c, const char* str) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_ciphersuites, 0, c, str);
  bool ok = str != nullptr && ctx->backend->SetCiphersuites(str);
  return sslshim::FinishCtxCall(ctx, ok, SSL_R_NO_CIPHER_MATCH, "SSL_CTX_set_ciphersuites");
}

extern "C" int SSL_CTX_set_alpn_protos(SSL_CTX* c, const unsigned char* protos, unsigned int len) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_alpn_protos, 1, c, protos, len);
  // OpenSSL's convention is inverted here: 0 is success.
  return ctx->backend->SetAlpnProtos(protos, len) ? 0 : 1;
}
