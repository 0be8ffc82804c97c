// SSL_new / SSL_free and the connection's settings: role, options, verification, ex_data.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "core/errors.h"
#include "exports/auto_chain.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

using sslshim::Ssl;

SSLSHIM_OBJECT_ENTRY(SSL_CTX, ctx, kGoesToBody, SSL_new, nullptr) {
  if (ctx == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NULL_SSL_CTX, "SSL_new");
    return nullptr;
  }
  return sslshim::NewSslWithAutoChain(ctx);
}

// The last reference frees the connection (SSL_up_ref adds one), as OpenSSL's.
SSLSHIM_SSL_ENTRY_NULL_IGNORED(SSL_free, ) {
  if (!ssl->DropRef()) return;
  sslshim::FreeSsl(ssl);
}

SSLSHIM_SSL_ENTRY(SSL_up_ref, 0) {
  ssl->UpRef();
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_get_SSL_CTX, nullptr) { return ssl->ctx()->api(); }

SSLSHIM_SSL_ENTRY(SSL_set_connect_state, ) {
  ssl->role = Ssl::Role::kClient;
  ssl->conn()->SetConnectState();
}

SSLSHIM_SSL_ENTRY(SSL_set_accept_state, ) {
  ssl->role = Ssl::Role::kServer;
  ssl->conn()->SetAcceptState();
}

SSLSHIM_SSL_ENTRY(SSL_is_server, 0) {
  // Before a role is set, OpenSSL answers from the method: TLS_server_method makes a server.
  if (ssl->role == Ssl::Role::kUnset) {
    return ssl->ctx()->method->spec.endpoint == sslshim::Endpoint::kServer ? 1 : 0;
  }
  return ssl->role == Ssl::Role::kServer ? 1 : 0;
}

SSLSHIM_SSL_ENTRY(SSL_set_options, 0, op) {
  ssl->options |= op;
  ssl->conn()->SetOptions(ssl->options);  // the backend applies what it translates (versions, ...)
  return ssl->options;
}

SSLSHIM_SSL_ENTRY(SSL_clear_options, 0, op) {
  ssl->options &= ~op;
  ssl->conn()->SetOptions(ssl->options);
  return ssl->options;
}

SSLSHIM_SSL_ENTRY(SSL_get_options, 0) { return ssl->options; }

SSLSHIM_SSL_ENTRY(SSL_set_ex_data, 0, idx, data) {
  return CRYPTO_set_ex_data(&ssl->ex_data, idx, data);
}

SSLSHIM_SSL_ENTRY(SSL_get_ex_data, nullptr, idx) { return CRYPTO_get_ex_data(&ssl->ex_data, idx); }

SSLSHIM_SSL_ENTRY(SSL_set_verify, , mode, callback) {
  ssl->verify_mode = mode;
  if (callback != nullptr) ssl->verify_callback = callback;
  ssl->conn()->SetVerify(mode);
}

SSLSHIM_SSL_ENTRY(SSL_get_verify_mode, 0) { return ssl->verify_mode; }

SSLSHIM_SSL_ENTRY(SSL_set_verify_depth, , depth) { ssl->verify_depth = depth; }

SSLSHIM_SSL_ENTRY(SSL_get_verify_result, X509_V_ERR_UNSPECIFIED) {
  return ssl->connection.verify_result;
}

SSLSHIM_SSL_ENTRY(SSL_set_verify_result, , result) { ssl->connection.verify_result = result; }

SSLSHIM_SSL_ENTRY(SSL_get0_param, nullptr) { return ssl->param.get(); }

SSLSHIM_SSL_ENTRY(SSL_set_info_callback, , cb) { ssl->info_callback = cb; }

// SSL_clear: the same object for a new connection, as OpenSSL's. The backend keeps the settings,
// BIOs, role and a client's session (to resume); what the last connection left is dropped here.
SSLSHIM_SSL_ENTRY(SSL_clear, 0) {
  sslshim::ClearBadSession(ssl);
  if (!sslshim::FinishConnCall(ssl, ssl->conn()->Clear(), ERR_R_INTERNAL_ERROR, "SSL_clear")) {
    return 0;
  }
  ssl->connection = sslshim::ConnectionResults();
  ssl->dane.ForgetMatch();
  return 1;
}
