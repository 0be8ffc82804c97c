#include "core/objects.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/fail_closed.h"

namespace sslshim {

namespace {

// Whether the default library context answers `propq` with the default provider's
// implementations, which are what a backend without providers (BoringSSL, not a FIPS build)
// stands for: "provider!=fips" (stunnel's), "fips=no", "" yes; "fips=yes", "provider=legacy" no.
// OpenSSL 3's SSL_CTX_new_ex itself fails for those two ("library has no ciphers", measured), as
// it cannot fetch its digests and ciphers with them; the same two fetches decide here.
bool DefaultProviderAnswers(const char* propq) {
  // A failed fetch leaves its reasons on the queue; OpenSSL's SSL_CTX_new_ex says only its own.
  ERR_set_mark();
  UniquePtr<EVP_MD> md(EVP_MD_fetch(nullptr, "SHA2-256", propq));
  UniquePtr<EVP_CIPHER> cipher(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", propq));
  ERR_pop_to_mark();
  if (md == nullptr || cipher == nullptr) return false;
  const char* md_provider = OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(md.get()));
  const char* cipher_provider = OSSL_PROVIDER_get0_name(EVP_CIPHER_get0_provider(cipher.get()));
  return md_provider != nullptr && cipher_provider != nullptr &&
         strcmp(md_provider, "default") == 0 && strcmp(cipher_provider, "default") == 0;
}

}  // namespace

Ctx* NewCtx(const Method* method, const char* propq) {
  const char* func = propq != nullptr ? "SSL_CTX_new_ex" : "SSL_CTX_new";
  const char* why = nullptr;
  Backend* backend = ActiveBackend(&why);
  if (backend == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, func, why);
    WarnOnce(func, why);
    return nullptr;
  }
  if (propq != nullptr && !backend->HasProviders() && !DefaultProviderAnswers(propq)) {
    std::string what = std::string("sslshim: the ") + backend->name() +
                       " backend has only the default provider's algorithms, which the "
                       "property query \"" +
                       propq + "\" excludes";
    PushError(ERR_LIB_SSL, SSL_R_LIBRARY_HAS_NO_CIPHERS, func, what.c_str());
    return nullptr;
  }
  auto ctx = std::make_unique<Ctx>();
  ctx->method = method;
  ctx->backend_ = propq != nullptr
                      ? backend->NewCtxWithPropertyQuery(method->spec, ProgramBioFunctions(), propq)
                      : backend->NewCtx(method->spec, ProgramBioFunctions());
  if (!ctx->backend_) {
    std::vector<ErrorRecord> errors;
    backend->TakeErrors(&errors);
    PushErrors(errors);
    PushError(ERR_LIB_SSL, ERR_R_SSL_LIB, "SSL_CTX_new");
    return nullptr;
  }
  ctx->store.reset(X509_STORE_new());
  ctx->param.reset(X509_VERIFY_PARAM_new());
  ctx->ca_names.reset(sk_X509_NAME_new_null());  // OpenSSL's SSL_CTX_new starts with an empty list
  if (ctx->store == nullptr || ctx->param == nullptr || ctx->ca_names == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_CTX_new");
    return nullptr;
  }
  ctx->handle_ = NewHandle(HandleKind::kCtx, ctx.get());
  if (ctx->handle_ == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_CTX_new", "sslshim: no free handle");
    return nullptr;
  }
  CRYPTO_new_ex_data(CRYPTO_EX_INDEX_SSL_CTX, ctx->handle(), &ctx->ex_data);
  return ctx.release();
}

void CtxUpRef(Ctx* ctx) { ctx->refs_.fetch_add(1, std::memory_order_relaxed); }

void CtxRelease(Ctx* ctx) {
  if (ctx->refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  CRYPTO_free_ex_data(CRYPTO_EX_INDEX_SSL_CTX, ctx->handle(), &ctx->ex_data);
  FreeHandle(ctx->handle_);
  delete ctx;
}

UniquePtr<X509_STORE> ShareStore(X509_STORE* store) {
  if (store != nullptr && !X509_STORE_up_ref(store)) return nullptr;
  return UniquePtr<X509_STORE>(store);
}

void Ssl::CopyCertificateSettings(const Ctx& from) {
  cert_chain.reset(from.cert_chain ? X509_chain_up_ref(from.cert_chain.get()) : nullptr);
  verify_store = ShareStore(from.verify_store.get());
  chain_store = ShareStore(from.chain_store.get());
  cert_flags = from.cert_flags;
  security_callback = from.security_callback;
  security_ex = from.security_ex;
  certificates_cleared = false;
}

X509* Ssl::Certificate() const {
  if (certificate != nullptr || certificates_cleared) return certificate.get();
  return ctx()->certificate.get();
}

EVP_PKEY* Ssl::PrivateKey() const {
  if (private_key != nullptr || certificates_cleared) return private_key.get();
  return ctx()->private_key.get();
}

const STACK_OF(X509) * Ssl::SentChain() const {
  return cert_chain ? cert_chain.get() : ctx()->extra_certs.get();
}

X509_STORE* Ssl::VerifyStore() const {
  return verify_store ? verify_store.get() : ctx()->store.get();
}

void Ssl::SwitchContext(Ctx* next) {
  // The old context's last reference may run the program's ex_data free callbacks: by then this
  // connection already points at the new one.
  Ctx* old = ctx_;
  CtxUpRef(next);
  ctx_ = next;
  CtxRelease(old);
}

X509_STORE* Ssl::ChainStore() const { return chain_store ? chain_store.get() : ctx()->store.get(); }

Ssl* NewSsl(Ctx* ctx) {
  auto ssl = std::make_unique<Ssl>();
  ssl->conn_ = ctx->backend()->NewConn(ssl.get());
  if (!ssl->conn_) {
    std::vector<ErrorRecord> errors;
    ctx->backend()->TakeErrors(&errors);
    PushErrors(errors);
    PushError(ERR_LIB_SSL, ERR_R_SSL_LIB, "SSL_new");
    return nullptr;
  }
  ssl->param.reset(X509_VERIFY_PARAM_new());
  if (ssl->param == nullptr || !X509_VERIFY_PARAM_inherit(ssl->param.get(), ctx->param.get())) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_new");
    return nullptr;
  }
  ssl->handle_ = NewHandle(HandleKind::kSsl, ssl.get());
  if (ssl->handle_ == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_new", "sslshim: no free handle");
    return nullptr;
  }
  CtxUpRef(ctx);
  ssl->ctx_ = ctx;
  CtxUpRef(ctx);
  ssl->session_ctx_ = ctx;
  ssl->session_stats_ = ctx->session_stats_;
  ssl->mode = ctx->mode;
  ssl->options = ctx->options;
  ssl->verify_mode = ctx->verify_mode;
  ssl->verify_depth = ctx->verify_depth;
  ssl->verify_callback = ctx->verify_callback;
  ssl->CopyCertificateSettings(*ctx);
  ssl->record_sizes = ctx->record_sizes;
  ssl->cert_callback = ctx->cert_callback;
  ssl->cert_arg = ctx->cert_arg;
  ssl->method = ctx->method;
  ssl->conn()->SetMode(ssl->mode);
  ssl->conn()->SetVerify(ssl->verify_mode);
  // No role yet, even for TLS_client_method or TLS_server_method: as in OpenSSL 3, SSL_write
  // before SSL_set_connect_state/SSL_set_accept_state (or SSL_connect/SSL_accept) fails with
  // SSL_R_UNINITIALIZED (W06).
  ssl->post_handshake_auth = ctx->post_handshake_auth;
  ssl->quiet_shutdown = ctx->quiet_shutdown;
  ssl->min_version = ctx->min_version;
  ssl->max_version = ctx->max_version;
  ssl->security_level = ctx->security_level;
  ssl->passwd_callback = ctx->passwd_callback;
  ssl->passwd_userdata = ctx->passwd_userdata;
  ssl->num_tickets = ctx->num_tickets;
  ssl->groups = ctx->groups;
  ssl->ct_callback = ctx->ct_callback;
  ssl->ct_arg = ctx->ct_arg;
  ssl->dane.set_flags(ctx->dane.flags());
  ssl->async_callback = ctx->async_callback;
  if (ssl->ct_callback != nullptr) ssl->conn()->RequestSignedCertTimestamps();
  ssl->signature_algorithms = ctx->signature_algorithms;
  ssl->unapplied_setting = ctx->unapplied_setting;
  ssl->record_padding_arg = ctx->record_padding_arg;
  ssl->conn()->SetQuietShutdown(ctx->quiet_shutdown);
  ssl->read_ahead = ctx->read_ahead;  // as OpenSSL's SSL_new
  ssl->conn()->SetReadAhead(ssl->read_ahead != 0);
  ssl->status_type = ctx->status_type;
  ssl->psk_client_callback = ctx->psk_client_callback;
  ssl->psk_server_callback = ctx->psk_server_callback;
  if (ctx->psk_identity_hint) {
    ssl->psk_identity_hint = std::make_unique<std::string>(*ctx->psk_identity_hint);
  }
  if (ssl->psk_client_callback != nullptr || ssl->psk_server_callback != nullptr ||
      ssl->psk_identity_hint) {
    ssl->UpdatePsk();
  }
  if (ssl->status_type == kStatusTypeOcsp) ssl->conn()->RequestOcspStatus();
  ssl->UpdateHooks();
  CRYPTO_new_ex_data(CRYPTO_EX_INDEX_SSL, ssl->handle(), &ssl->ex_data);
  return ssl.release();
}

void FreeSsl(Ssl* ssl) {
  ClearBadSession(ssl);
  CRYPTO_free_ex_data(CRYPTO_EX_INDEX_SSL, ssl->handle(), &ssl->ex_data);
  FreeHandle(ssl->handle_);
  ssl->conn_.reset();  // releases the program's BIOs
  // As OpenSSL's SSL_free, the sessions go before the contexts (their ex_data free callbacks are
  // the program's, which may look at the context).
  ssl->session.reset();
  ssl->looked_up_session.reset();
  CtxRelease(ssl->ctx_);
  CtxRelease(ssl->session_ctx_);
  delete ssl;
}

namespace {

int PushOutcome(const std::vector<ErrorRecord>& errors, bool ok, int silent_reason,
                const char* func) {
  PushErrors(errors);
  if (!ok && errors.empty() && silent_reason != 0) PushError(ERR_LIB_SSL, silent_reason, func);
  return ok ? 1 : 0;
}

}  // namespace

int FinishCtxCall(Ctx* ctx, bool ok, int silent_reason, const char* func) {
  std::vector<ErrorRecord> errors;
  ctx->backend()->TakeErrors(&errors);
  MarkIfBackendCannotApply(ctx, errors, func);
  return PushOutcome(errors, ok, silent_reason, func);
}

int FinishConnCall(Ssl* ssl, bool ok, int silent_reason, const char* func) {
  std::vector<ErrorRecord> errors;
  ssl->conn()->TakeErrors(&errors);
  MarkIfBackendCannotApply(ssl, errors, func);
  return PushOutcome(errors, ok, silent_reason, func);
}

int Ssl::Finish(const IoResult& result) {
  if (result.ret > 0) {  // SSL_write's path: a success leaves no errors to move
    connection.last_error = SSL_ERROR_NONE;
    connection.transport_wait = SSL_ERROR_NONE;
    return result.ret;
  }
  std::vector<ErrorRecord> errors;
  conn()->TakeErrors(&errors);
  PushErrors(errors);
  connection.last_error = result.ssl_error;
  const bool waits =
      connection.last_error == SSL_ERROR_WANT_READ || connection.last_error == SSL_ERROR_WANT_WRITE;
  connection.transport_wait = waits ? connection.last_error : SSL_ERROR_NONE;
  if (connection.last_error == SSL_ERROR_SYSCALL && result.sys_errno != 0) errno = result.sys_errno;
  // Once the peer's close_notify has come, OpenSSL 3's SSL_get_error answers a failure that left
  // nothing queued and waits on nothing with SSL_ERROR_ZERO_RETURN, a write that met a closed
  // transport (EPIPE) included (differential engine).
  if (connection.last_error == SSL_ERROR_SYSCALL && errors.empty() && PeerClosedCleanly()) {
    connection.last_error = SSL_ERROR_ZERO_RETURN;
  }
  return result.ret;
}

bool Ssl::PeerClosedCleanly() const {
  return !connection.failure.protocol() && !connection.failure.by_peer_alert() &&
         (conn()->GetShutdown() & SSL_RECEIVED_SHUTDOWN) != 0;
}

void Ssl::AnswerAsTheLastWait(int wait_before) {
  connection.transport_wait = wait_before;
  if (connection.pending_write.active() && wait_before != SSL_ERROR_NONE) {
    connection.last_error = wait_before;
  }
}

void Ssl::OnInfo(int where, int ret) {
  if (where & (SSL_CB_HANDSHAKE_START | SSL_CB_HANDSHAKE_DONE)) CountHandshakeEvent(this, where);
  // As OpenSSL: the connection's callback, else the context's at the time of the event.
  auto* callback = info_callback != nullptr ? info_callback : ctx()->info_callback;
  if (callback != nullptr) callback(api(), where, ret);
}

}  // namespace sslshim
