#include "conn_hooks.h"

#include <memory>

#include "backend/backend.h"
#include "openssl_conn.h"
#include "openssl_session.h"

namespace sslshim::openssl_backend {
namespace {

// The observer of the connection `ssl` belongs to, when that connection has `bit` enabled.
ConnObserver* ObserverWithHook(const RealLibssl& real, const SSL* ssl, uint32_t bit) {
  OpenSslConn* conn = OpenSslConn::FromSsl(real, ssl);
  if (conn == nullptr || (conn->hook_bits() & bit) == 0) return nullptr;
  return conn->observer();
}

// No argument pointer: the table is the process's, as for the info callback.
void KeyLogTrampoline(const SSL* ssl, const char* line) {
  const RealLibssl* real = ProcessRealLibssl(nullptr);
  if (real == nullptr) return;
  ConnObserver* observer = ObserverWithHook(*real, ssl, kHookKeyLog);
  if (observer != nullptr) observer->OnKeyLog(line);
}

// OpenSSL took a reference for us before the call. The observer gets a session with a reference
// of its own, and 0 tells libssl to drop the one it took, whatever the observer did.
int NewSessionTrampoline(SSL* ssl, SSL_SESSION* session) {
  const RealLibssl* real = ProcessRealLibssl(nullptr);
  if (real == nullptr) return 0;
  ConnObserver* observer = ObserverWithHook(*real, ssl, kHookNewSession);
  if (observer == nullptr) return 0;
  std::unique_ptr<OpenSslSession> shared = OpenSslSession::Share(*real, session);
  if (shared != nullptr) observer->OnNewSession(std::move(shared));
  return 0;
}

// libssl asks only when its own cache misses (or is off). The core keeps the program's session
// alive for the connection; libssl gets a reference of its own (*copy = 0 hands it over).
SSL_SESSION* GetSessionTrampoline(SSL* ssl, const unsigned char* id, int len, int* copy) {
  *copy = 0;
  const RealLibssl* real = ProcessRealLibssl(nullptr);
  if (real == nullptr || len < 0) return nullptr;
  ConnObserver* observer = ObserverWithHook(*real, ssl, kHookGetSession);
  if (observer == nullptr) return nullptr;
  const auto* found =
      dynamic_cast<const OpenSslSession*>(observer->LookupSession(id, static_cast<size_t>(len)));
  if (found == nullptr || real->SSL_SESSION_up_ref(found->get()) != 1) return nullptr;
  return found->get();
}

int AlpnSelectTrampoline(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                         const unsigned char* in, unsigned int inlen, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  ConnObserver* observer = ObserverWithHook(real, ssl, kHookAlpnSelect);
  if (observer == nullptr) return SSL_TLSEXT_ERR_NOACK;
  return observer->SelectAlpn(in, inlen, out, outlen);  // same SSL_TLSEXT_ERR_* numbers
}

int ServerNameTrampoline(SSL* ssl, int* alert, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  ConnObserver* observer = ObserverWithHook(real, ssl, kHookServerName);
  if (observer == nullptr) return SSL_TLSEXT_ERR_NOACK;
  return observer->OnServerName(alert);
}

// Both directions, with OpenSSL's pseudo content types as libssl gives them: SSL3_RT_HEADER (256)
// for each record header and SSL3_RT_INNER_CONTENT_TYPE (257) for TLS 1.3's inner type byte.
void MessageTrampoline(int write_p, int version, int content_type, const void* buf, size_t len,
                       SSL* ssl, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  ConnObserver* observer = ObserverWithHook(real, ssl, kHookMessage);
  if (observer != nullptr) observer->OnMessage(write_p, version, content_type, buf, len);
}

// The extensions libssl reports as it collects them (SSL_set_tlsext_debug_callback); its own
// client_server flag and order, unchanged.
void TlsextDebugTrampoline(SSL* ssl, int client_server, int type, const unsigned char* data,
                           int len, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  ConnObserver* observer = ObserverWithHook(real, ssl, kHookTlsextDebug);
  if (observer != nullptr && len >= 0) {
    observer->OnExtensionReceived(client_server, type, data, static_cast<size_t>(len));
  }
}

// 1 go on, 0 fail (libssl: SSL_R_CERT_CB_ERROR), -1 retry (SSL_ERROR_WANT_X509_LOOKUP).
int CertTrampoline(SSL* ssl, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  ConnObserver* observer = ObserverWithHook(real, ssl, kHookCert);
  return observer == nullptr ? 1 : observer->OnCertificateNeeded();
}

// The real libssl's getters, asked during its own callback, make the same view the BoringSSL
// backend makes from its parsed ClientHello; the same numbers (SSL_CLIENT_HELLO_*) go back.
int ClientHelloTrampoline(SSL* ssl, int* alert, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  ConnObserver* observer = ObserverWithHook(real, ssl, kHookClientHello);
  if (observer == nullptr) return SSL_CLIENT_HELLO_SUCCESS;
  ClientHelloView view;
  view.isv2 = real.SSL_client_hello_isv2(ssl) != 0;
  view.legacy_version = real.SSL_client_hello_get0_legacy_version(ssl);
  view.random_len = real.SSL_client_hello_get0_random(ssl, &view.random);
  view.session_id_len = real.SSL_client_hello_get0_session_id(ssl, &view.session_id);
  view.cipher_suites_len = real.SSL_client_hello_get0_ciphers(ssl, &view.cipher_suites);
  view.compression_methods_len =
      real.SSL_client_hello_get0_compression_methods(ssl, &view.compression_methods);
  int* present = nullptr;
  size_t count = 0;
  if (real.SSL_client_hello_get1_extensions_present(ssl, &present, &count) != 1) {
    return SSL_CLIENT_HELLO_ERROR;
  }
  for (size_t i = 0; i < count; i++) {
    ClientHelloView::Extension ext;
    ext.type = static_cast<unsigned>(present[i]);
    if (real.SSL_client_hello_get0_ext(ssl, ext.type, &ext.data, &ext.len) == 1) {
      view.extensions.push_back(ext);
    }
  }
  OPENSSL_free(present);
  return observer->OnClientHello(view, alert);
}

// NPN: installed only while the program's callback is set (InstallNextProtoHooks).
int NextProtosAdvertisedTrampoline(SSL* ssl, const unsigned char** out, unsigned int* outlen,
                                   void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  OpenSslConn* conn = OpenSslConn::FromSsl(real, ssl);
  if (conn == nullptr || conn->observer() == nullptr) return SSL_TLSEXT_ERR_NOACK;
  return conn->observer()->AdvertiseNextProtos(out, outlen);
}

int NextProtoSelectTrampoline(SSL* ssl, unsigned char** out, unsigned char* outlen,
                              const unsigned char* in, unsigned int inlen, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  OpenSslConn* conn = OpenSslConn::FromSsl(real, ssl);
  if (conn == nullptr || conn->observer() == nullptr) return SSL_TLSEXT_ERR_ALERT_FATAL;
  return conn->observer()->SelectNextProto(out, outlen, in, inlen);
}

// OCSP: libssl asks as OpenSSL 3 does (a server when the client asked for status, a client that
// asked); the answers are the same numbers. No observer: what libssl does with no callback.
int StatusTrampoline(SSL* ssl, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  const bool server = real.SSL_is_server(ssl) == 1;
  OpenSslConn* conn = OpenSslConn::FromSsl(real, ssl);
  if (conn == nullptr || conn->observer() == nullptr) return server ? SSL_TLSEXT_ERR_OK : 1;
  return conn->observer()->OnStatus(server);
}

// Session ticket keys. No argument pointer in libssl's callbacks: the table is the process's.
ConnObserver* TicketKeyObserver(SSL* ssl) {
  const RealLibssl* real = ProcessRealLibssl(nullptr);
  return real == nullptr ? nullptr : ObserverWithHook(*real, ssl, kHookTicketKey);
}

int TicketKeyEvpTrampoline(SSL* ssl, unsigned char* key_name, unsigned char* iv,
                           EVP_CIPHER_CTX* cipher_ctx, EVP_MAC_CTX* mac_ctx, int enc) {
  ConnObserver* observer = TicketKeyObserver(ssl);
  return observer == nullptr ? -1 : observer->OnTicketKey(key_name, iv, cipher_ctx, mac_ctx, enc);
}

int TicketKeyHmacTrampoline(SSL* ssl, unsigned char* key_name, unsigned char* iv,
                            EVP_CIPHER_CTX* cipher_ctx, HMAC_CTX* mac_ctx, int enc) {
  ConnObserver* observer = TicketKeyObserver(ssl);
  return observer == nullptr ? -1 : observer->OnTicketKey(key_name, iv, cipher_ctx, mac_ctx, enc);
}

}  // namespace

void InstallTicketKeyHook(const RealLibssl& real, SSL_CTX* ctx, TicketKeyCallback kind) {
  real.SSL_CTX_set_tlsext_ticket_key_evp_cb(
      ctx, kind == TicketKeyCallback::kEvpMac ? &TicketKeyEvpTrampoline : nullptr);
  // SSL_CTX_set_tlsext_ticket_key_cb is a macro over this command.
  real.SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB,
                             kind == TicketKeyCallback::kHmacCtx
                                 ? reinterpret_cast<void (*)(void)>(&TicketKeyHmacTrampoline)
                                 : nullptr);
}

void InstallNextProtoHooks(const RealLibssl& real, SSL_CTX* ctx, bool advertise, bool select) {
  void* table = const_cast<RealLibssl*>(&real);
  real.SSL_CTX_set_next_protos_advertised_cb(
      ctx, advertise ? &NextProtosAdvertisedTrampoline : nullptr, table);
  real.SSL_CTX_set_next_proto_select_cb(ctx, select ? &NextProtoSelectTrampoline : nullptr, table);
}

void InstallContextHooks(const RealLibssl& real, SSL_CTX* ctx) {
  void* table = const_cast<RealLibssl*>(&real);
  real.SSL_CTX_set_keylog_callback(ctx, &KeyLogTrampoline);
  real.SSL_CTX_sess_set_new_cb(ctx, &NewSessionTrampoline);
  real.SSL_CTX_sess_set_get_cb(ctx, &GetSessionTrampoline);
  real.SSL_CTX_set_alpn_select_cb(ctx, &AlpnSelectTrampoline, table);
  real.SSL_CTX_set_client_hello_cb(ctx, &ClientHelloTrampoline, table);
  // SSL_CTX_set_tlsext_servername_callback/_arg are macros over these two.
  real.SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                             reinterpret_cast<void (*)(void)>(&ServerNameTrampoline));
  real.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, table);
  // SSL_CTX_set_tlsext_status_cb/_arg likewise.
  real.SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB,
                             reinterpret_cast<void (*)(void)>(&StatusTrampoline));
  real.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG, 0, table);
}

void ApplyConnectionHooks(const RealLibssl& real, SSL* ssl, uint32_t hook_bits) {
  void* table = const_cast<RealLibssl*>(&real);
  if ((hook_bits & kHookMessage) != 0) {
    real.SSL_set_msg_callback(ssl, &MessageTrampoline);
    real.SSL_ctrl(ssl, SSL_CTRL_SET_MSG_CALLBACK_ARG, 0, table);  // SSL_set_msg_callback_arg
  } else {
    real.SSL_set_msg_callback(ssl, nullptr);
  }
  using DebugCallback = void (*)(SSL*, int, int, const unsigned char*, int, void*);
  DebugCallback debug = (hook_bits & kHookTlsextDebug) != 0 ? &TlsextDebugTrampoline : nullptr;
  real.SSL_callback_ctrl(ssl, SSL_CTRL_SET_TLSEXT_DEBUG_CB, reinterpret_cast<void (*)()>(debug));
  real.SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_DEBUG_ARG, 0, debug != nullptr ? table : nullptr);
  if ((hook_bits & kHookCert) != 0) {
    real.SSL_set_cert_cb(ssl, &CertTrampoline, table);
  } else {
    real.SSL_set_cert_cb(ssl, nullptr, nullptr);
  }
}

}  // namespace sslshim::openssl_backend
