// SSL_new / SSL_free and the connection's settings: role, options, verification, ex_data.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "core/errors.h"
#include "exports/auto_chain.h"
#include "exports/dispatch.h"

using sslshim::Ssl;

extern "C" SSL* SSL_new(SSL_CTX* c) {
  if (c == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NULL_SSL_CTX, "SSL_new");
    return nullptr;
  }
  SSLSHIM_CTX(ctx, c, SSL_new, nullptr, c);
  return sslshim::NewSslWithAutoChain(ctx);
}

extern "C" void SSL_free(SSL* s) {
  if (s == nullptr) return;
  SSLSHIM_SSL(ssl, s, SSL_free, , s);
  sslshim::FreeSsl(ssl);
}

extern "C" SSL_CTX* SSL_get_SSL_CTX(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_SSL_CTX, nullptr, s);
  return ssl->ctx->api();
}

extern "C" void SSL_set_connect_state(SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_set_connect_state, , s);
  ssl->role = Ssl::Role::kClient;
  ssl->conn->SetConnectState();
}

extern "C" void SSL_set_accept_state(SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_set_accept_state, , s);
  ssl->role = Ssl::Role::kServer;
  ssl->conn->SetAcceptState();
}

extern "C" int SSL_is_server(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_is_server, 0, s);
  // Before a role is set, OpenSSL answers from the method: TLS_server_method makes a server.
  if (ssl->role == Ssl::Role::kUnset) {
    return ssl->ctx->method->spec.endpoint == sslshim::Endpoint::kServer ? 1 : 0;
  }
  return ssl->role == Ssl::Role::kServer ? 1 : 0;
}

extern "C" uint64_t SSL_set_options(SSL* s, uint64_t op) {
  SSLSHIM_SSL(ssl, s, SSL_set_options, 0, s, op);
  ssl->options |= op;
  ssl->conn->SetOptions(ssl->options);  // the backend applies what it translates (versions, ...)
  return ssl->options;
}

extern "C" uint64_t SSL_clear_options(SSL* s, uint64_t op) {
  SSLSHIM_SSL(ssl, s, SSL_clear_options, 0, s, op);
  ssl->options &= ~op;
  ssl->conn->SetOptions(ssl->options);
  return ssl->options;
}

extern "C" uint64_t SSL_get_options(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_options, 0, s);
  return ssl->options;
}

extern "C" int SSL_set_ex_data(SSL* s, int idx, void* data) {
  SSLSHIM_SSL(ssl, s, SSL_set_ex_data, 0, s, idx, data);
  return CRYPTO_set_ex_data(&ssl->ex_data, idx, data);
}

extern "C" void* SSL_get_ex_data(const SSL* s, int idx) {
  SSLSHIM_SSL(ssl, s, SSL_get_ex_data, nullptr, s, idx);
  return CRYPTO_get_ex_data(&ssl->ex_data, idx);
}

extern "C" void SSL_set_verify(SSL* s, int mode, SSL_verify_cb callback) {
  SSLSHIM_SSL(ssl, s, SSL_set_verify, , s, mode, callback);
  ssl->verify_mode = mode;
  if (callback != nullptr) ssl->verify_callback = callback;
  ssl->conn->SetVerify(mode);
}

extern "C" int SSL_get_verify_mode(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_verify_mode, 0, s);
  return ssl->verify_mode;
}

extern "C" void SSL_set_verify_depth(SSL* s, int depth) {
  SSLSHIM_SSL(ssl, s, SSL_set_verify_depth, , s, depth);
  ssl->verify_depth = depth;
}

extern "C" long SSL_get_verify_result(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_verify_result, X509_V_ERR_UNSPECIFIED, s);
  return ssl->verify_result;
}

extern "C" void SSL_set_verify_result(SSL* s, long result) {
  SSLSHIM_SSL(ssl, s, SSL_set_verify_result, , s, result);
  ssl->verify_result = result;
}

extern "C" X509_VERIFY_PARAM* SSL_get0_param(SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get0_param, nullptr, s);
  return ssl->param;
}

extern "C" void SSL_set_info_callback(SSL* s, void (*cb)(const SSL*, int, int)) {
  SSLSHIM_SSL(ssl, s, SSL_set_info_callback, , s, cb);
  ssl->info_callback = cb;
}

// SSL_clear: the same object for a new connection, as OpenSSL's. The backend keeps the settings,
// BIOs, role and a client's session (to resume); what the last connection left is dropped here.
extern "C" int SSL_clear(SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_clear, 0, s);
  if (!sslshim::FinishConnCall(ssl, ssl->conn->Clear(), ERR_R_INTERNAL_ERROR, "SSL_clear")) {
    return 0;
  }
  ssl->last_error = SSL_ERROR_NONE;
  ssl->pending_write = {};
  ssl->failed = false;
  ssl->protocol_failed = false;
  ssl->sent_shutdown = false;
  ssl->verify_result = X509_V_OK;
  sk_X509_pop_free(ssl->peer_chain, X509_free);
  ssl->peer_chain = nullptr;
  sk_X509_pop_free(ssl->verified_chain, X509_free);
  ssl->verified_chain = nullptr;
  ssl->handshakes_done = 0;
  return 1;
}
