// Setting the program's optional callbacks. Each setter also tells existing connections' backends
// which hooks to run (core/callbacks.cc runs them).
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/ctrl_names.h"
#include "core/errors.h"
#include "exports/cert_io.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/stapling_tickets.h"

SSLSHIM_CTX_ENTRY(SSL_CTX_set_keylog_callback, , cb) { ctx->keylog_callback = cb; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_keylog_callback, nullptr) { return ctx->keylog_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_msg_callback, , cb) { ctx->msg_callback = cb; }

SSLSHIM_SSL_ENTRY(SSL_set_msg_callback, , cb) {
  ssl->msg_callback = cb;
  ssl->UpdateHooks();
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_alpn_select_cb, , cb, arg) {
  ctx->alpn_select_callback = cb;
  ctx->alpn_select_arg = arg;
}

// NPN (TLS <= 1.2). The backend's own callbacks go onto the context exactly while the program's
// are set: their presence alone makes a client offer NPN and a server answer it.
namespace {
void ApplyNextProtoCallbacks(sslshim::Ctx* ctx) {
  ctx->backend()->EnableNextProtoCallbacks(ctx->npn_advertised_callback != nullptr,
                                           ctx->npn_select_callback != nullptr);
}
}  // namespace

SSLSHIM_CTX_ENTRY(SSL_CTX_set_next_protos_advertised_cb, , cb, arg) {
  ctx->npn_advertised_callback = cb;
  ctx->npn_advertised_arg = arg;
  ApplyNextProtoCallbacks(ctx);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_next_proto_select_cb, , cb, arg) {
  ctx->npn_select_callback = cb;
  ctx->npn_select_arg = arg;
  ApplyNextProtoCallbacks(ctx);
}

// For the connections made afterwards: OpenSSL's SSL_new copies the callback.
SSLSHIM_CTX_ENTRY(SSL_CTX_set_cert_cb, , cb, arg) {
  ctx->cert_callback = cb;
  ctx->cert_arg = arg;
}

SSLSHIM_SSL_ENTRY(SSL_set_cert_cb, , cb, arg) {
  ssl->cert_callback = cb;
  ssl->cert_arg = arg;
  ssl->UpdateHooks();
}

// Read when a server asks for a certificate, as OpenSSL reads it; as with the context's other
// callbacks, a connection asks only when it was set before SSL_new (or SSL_set_SSL_CTX).
SSLSHIM_CTX_ENTRY(SSL_CTX_set_client_cert_cb, , cb) {
  ctx->client_cert_callback = cb;
  ctx->use_client_certificate = &sslshim::UseClientCertificate;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_client_cert_cb, nullptr) { return ctx->client_cert_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_callback_ctrl, 0, cmd, fp) {
  switch (cmd) {
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB:
    case SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB:
      return sslshim::StaplingTicketsCallbackCtrl(ctx, cmd, fp);
    case SSL_CTRL_SET_TLSEXT_SERVERNAME_CB:
      ctx->servername_callback = reinterpret_cast<int (*)(SSL*, int*, void*)>(fp);
      return 1;
    case SSL_CTRL_SET_MSG_CALLBACK:
      ctx->msg_callback =
          reinterpret_cast<void (*)(int, int, int, const void*, size_t, SSL*, void*)>(fp);
      return 1;
    case SSL_CTRL_SET_TMP_DH_CB:  // as SSL_CTX_set_tmp_dh_callback (exports/dh_params.cc)
      ctx->tmp_dh_callback = reinterpret_cast<DH* (*)(SSL*, int, int)>(fp);
      return 1;
    default: {
      // As OpenSSL for a command it does not know: 0, nothing queued (exports/ctrl.cc).
      sslshim::WarnOnce(sslshim::CtrlCommandLabel("SSL_CTX_callback_ctrl", cmd).c_str(),
                        "not supported by sslshim; the call returned 0");
      return 0;
    }
  }
}

SSLSHIM_SSL_ENTRY(SSL_callback_ctrl, 0, cmd, fp) {
  if (cmd == SSL_CTRL_SET_MSG_CALLBACK) {
    ssl->msg_callback =
        reinterpret_cast<void (*)(int, int, int, const void*, size_t, SSL*, void*)>(fp);
    ssl->UpdateHooks();
    return 1;
  }
  if (cmd == SSL_CTRL_SET_TMP_DH_CB) {  // as SSL_set_tmp_dh_callback (exports/dh_params.cc)
    ssl->tmp_dh_callback = reinterpret_cast<DH* (*)(SSL*, int, int)>(fp);
    return 1;
  }
  if (cmd == SSL_CTRL_SET_TLSEXT_DEBUG_CB) {  // SSL_set_tlsext_debug_callback
    ssl->tlsext_debug_callback =
        reinterpret_cast<void (*)(SSL*, int, int, const unsigned char*, int, void*)>(fp);
    ssl->UpdateHooks();
    return 1;
  }
  sslshim::WarnOnce(sslshim::CtrlCommandLabel("SSL_callback_ctrl", cmd).c_str(),
                    "not supported by sslshim; the call returned 0");
  return 0;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_verify_callback, nullptr) { return ctx->verify_callback; }

SSLSHIM_SSL_ENTRY(SSL_get_verify_callback, nullptr) { return ssl->verify_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_verify_depth, -1) { return ctx->verify_depth; }

SSLSHIM_SSL_ENTRY(SSL_get_verify_depth, -1) { return ssl->verify_depth; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_default_passwd_cb, nullptr) { return ctx->passwd_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_default_passwd_cb_userdata, nullptr) { return ctx->passwd_userdata; }

// Post-handshake client authentication (TLS 1.3): BoringSSL has none, so on every backend the
// shim never offers it; the setting is kept, and a server's request fails as OpenSSL's does when
// the client did not offer the extension.
SSLSHIM_CTX_ENTRY(SSL_CTX_set_post_handshake_auth, , val) { ctx->post_handshake_auth = val != 0; }

SSLSHIM_SSL_ENTRY(SSL_set_post_handshake_auth, , val) { ssl->post_handshake_auth = val != 0; }

SSLSHIM_SSL_ENTRY(SSL_verify_client_post_handshake, 0) {
  static constexpr char kFunc[] = "SSL_verify_client_post_handshake";
  // OpenSSL 3's checks, in its order: the version first (Python's test_ssl expects
  // WRONG_SSL_VERSION for a TLS 1.2 connection), then the role, then the handshake's end.
  if (ssl->conn()->VersionNumber() != TLS1_3_VERSION) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_WRONG_SSL_VERSION, kFunc);
    return 0;
  }
  if (ssl->role != sslshim::Ssl::Role::kServer) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NOT_SERVER, kFunc);
    return 0;
  }
  if (!ssl->conn()->IsInitFinished()) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_STILL_IN_INIT, kFunc);
    return 0;
  }
  sslshim::PushError(ERR_LIB_SSL, SSL_R_EXTENSION_NOT_RECEIVED, kFunc,
                     "sslshim: post-handshake authentication is not available");
  return 0;
}
