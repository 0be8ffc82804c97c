// The program's optional callbacks (key log, message, new session, ALPN selection, server name,
// certificate, client hello, NPN), run from the backend's hooks with the program's own handles. As
// in OpenSSL, a connection-level callback wins over the context's, and the context's is read at
// call time.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/errors.h"
#include "core/objects.h"
#include "core/program_key.h"

namespace sslshim {

void Ssl::UpdateHooks() {
  uint32_t bits = 0;
  if (ctx()->keylog_callback != nullptr) bits |= kHookKeyLog;
  if (msg_callback != nullptr || ctx()->msg_callback != nullptr) bits |= kHookMessage;
  if (ctx()->new_session_callback != nullptr) bits |= kHookNewSession;
  if (ctx()->alpn_select_callback != nullptr) bits |= kHookAlpnSelect;
  if (ctx()->servername_callback != nullptr) bits |= kHookServerName;
  if (cert_callback != nullptr || ctx()->client_cert_callback != nullptr ||
      ctx()->choose_server_certificate != nullptr) {
    bits |= kHookCert;
  }
  if (session_ctx()->ticket_key_callback != nullptr ||
      session_ctx()->ticket_key_evp_callback != nullptr || !session_ctx()->ticket_keys.empty()) {
    bits |= kHookTicketKey;
  }
  if (ctx()->client_hello_callback != nullptr) bits |= kHookClientHello;
  if (session_ctx()->get_session_callback != nullptr) bits |= kHookGetSession;
  if (tlsext_debug_callback != nullptr) bits |= kHookTlsextDebug;
  conn()->EnableHooks(bits);
}

void Ssl::OnExtensionReceived(int client_server, int type, const uint8_t* data, size_t len) {
  if (tlsext_debug_callback != nullptr) {
    tlsext_debug_callback(api(), client_server, type, data, static_cast<int>(len),
                          tlsext_debug_arg);
  }
}

void Ssl::OnKeyLog(const char* line) {
  if (ctx()->keylog_callback != nullptr) ctx()->keylog_callback(api(), line);
}

void Ssl::OnMessage(int write_p, int version, int content_type, const void* buf, size_t len) {
  if (msg_callback != nullptr) {
    msg_callback(write_p, version, content_type, buf, len, api(), msg_callback_arg);
  } else if (ctx()->msg_callback != nullptr) {
    ctx()->msg_callback(write_p, version, content_type, buf, len, api(), ctx()->msg_callback_arg);
  }
}

bool Ssl::OnNewSession(std::unique_ptr<BackendSession> backend_session) {
  if (ctx()->new_session_callback == nullptr) return false;
  Session* fresh = NewSession(std::move(backend_session));
  if (fresh == nullptr) return false;
  // OpenSSL's rule: a callback returning 1 has taken our reference; 0 leaves it to us.
  if (ctx()->new_session_callback(api(), fresh->api()) == 0) SessionRelease(fresh);
  return true;
}

// OpenSSL asks the session context's callback (the SSL_new context's, whatever SNI switched
// to). *copy = 1: the callback keeps its reference and we take one of our own; 0: its reference
// is ours. Either way the core holds the session while the backend may use it.
const BackendSession* Ssl::LookupSession(const uint8_t* id, size_t len) {
  if (session_ctx()->get_session_callback == nullptr) return nullptr;
  int copy = 1;
  SSL_SESSION* found = session_ctx()->get_session_callback(api(), id, static_cast<int>(len), &copy);
  if (found == nullptr) return nullptr;
  auto resolved = Resolve<Session>(found, HandleKind::kSession);
  if (resolved.state != HandleState::kLive) return nullptr;  // not a session of ours
  Session* answer = resolved.object;
  if (copy != 0) SessionUpRef(answer);
  looked_up_session.reset(answer);
  return answer->backend.get();
}

// The key the backend holds a copy of: the connection's own, or its current context's.
EVP_PKEY* Ssl::ProgramKey(bool own_key) const {
  return own_key ? private_key.get() : ctx()->private_key.get();
}

bool Ssl::SignWithProgramKey(bool own_key, uint16_t code, const uint8_t* in, size_t len,
                             std::vector<uint8_t>* out) {
  EVP_PKEY* key = ProgramKey(own_key);
  return key != nullptr && sslshim::SignWithProgramKey(key, code, in, len, out);
}

bool Ssl::DecryptWithProgramKey(bool own_key, const uint8_t* in, size_t len,
                                std::vector<uint8_t>* out) {
  EVP_PKEY* key = ProgramKey(own_key);
  return key != nullptr && sslshim::DecryptWithProgramKey(key, in, len, out);
}

int Ssl::SelectAlpn(const uint8_t* in, size_t inlen, const uint8_t** out, uint8_t* outlen) {
  if (ctx()->alpn_select_callback == nullptr) return SSL_TLSEXT_ERR_NOACK;
  unsigned char len = 0;
  int ret = ctx()->alpn_select_callback(api(), out, &len, in, static_cast<unsigned int>(inlen),
                                        ctx()->alpn_select_arg);
  *outlen = len;
  return ret;
}

int Ssl::OnServerName(int* alert) {
  if (ctx()->servername_callback == nullptr) return SSL_TLSEXT_ERR_OK;
  return ctx()->servername_callback(api(), alert, ctx()->servername_arg);
}

unsigned Ssl::OnPskClient(const char* hint, char* identity, unsigned max_identity_len, uint8_t* psk,
                          unsigned max_psk_len) {
  if (psk_client_callback == nullptr) return 0;
  return psk_client_callback(api(), hint, identity, max_identity_len, psk, max_psk_len);
}

unsigned Ssl::OnPskServer(const char* identity, uint8_t* psk, unsigned max_psk_len) {
  if (psk_server_callback == nullptr) return 0;
  return psk_server_callback(api(), identity, psk, max_psk_len);
}

bool Ssl::UpdatePsk() {
  return conn()->SetPsk(psk_client_callback != nullptr, psk_server_callback != nullptr,
                        psk_identity_hint ? psk_identity_hint->c_str() : nullptr);
}

// OpenSSL's client (tls_prepare_client_certificate): the certificate callback first, which may
// set a certificate; then, with none and key on the connection, the client certificate callback,
// whose certificate and key are used as SSL_use_certificate and SSL_use_PrivateKey would. Its 0,
// or a certificate the connection cannot use, sends no certificate: the handshake goes on.
int Ssl::OnCertificateNeeded() {
  if (!client_cert_retry && cert_callback != nullptr) {
    int ret = cert_callback(api(), cert_arg);
    if (ret <= 0) return ret;
  }
  client_cert_retry = false;
  // A server with certificates of more than one key type presents the one the client can use, as
  // OpenSSL chooses after the program's callback (unless this connection has its own).
  if (conn()->IsServer()) {
    return ctx()->choose_server_certificate != nullptr && certificate == nullptr
               ? ctx()->choose_server_certificate(this)
               : 1;
  }
  if (ctx()->client_cert_callback == nullptr) return 1;
  X509* own_certificate = certificate != nullptr ? certificate.get() : ctx()->certificate.get();
  EVP_PKEY* own_key = private_key != nullptr ? private_key.get() : ctx()->private_key.get();
  if (own_certificate != nullptr && own_key != nullptr) return 1;
  X509* x509 = nullptr;
  EVP_PKEY* pkey = nullptr;
  int ret = ctx()->client_cert_callback(api(), &x509, &pkey);
  if (ret < 0) {
    // Asked to be called again: what it wrote is left alone, as OpenSSL's
    // tls_prepare_client_certificate leaves it.
    client_cert_retry = true;
    return -1;
  }
  UniquePtr<X509> certificate_given(x509);  // the callback's references are ours to drop
  UniquePtr<EVP_PKEY> key_given(pkey);
  if (ret == 1 && x509 != nullptr && pkey != nullptr) {
    if (ctx()->use_client_certificate != nullptr) ctx()->use_client_certificate(this, x509, pkey);
  } else if (ret == 1) {
    PushError(ERR_LIB_SSL, SSL_R_BAD_DATA_RETURNED_BY_CALLBACK, "tls_prepare_client_certificate");
  }
  return 1;
}

// OpenSSL calls the callback of the context the connection has when the ClientHello arrives, and
// its SSL_client_hello_get0_* answer only during that call.
int Ssl::OnClientHello(const ClientHelloView& hello, int* alert) {
  SSL_client_hello_cb_fn callback = ctx()->client_hello_callback;
  if (callback == nullptr) return kClientHelloSuccess;
  void* arg = ctx()->client_hello_arg;
  client_hello = &hello;
  int ret = callback(api(), alert, arg);
  client_hello = nullptr;
  return ret;
}

// The backend asks only while the context has the callback (BackendCtx::EnableNextProtoCallbacks);
// without one the answers are what OpenSSL does then: advertise nothing, and (unreachable, as
// OpenSSL's client never offers NPN then) fail.
int Ssl::AdvertiseNextProtos(const uint8_t** out, unsigned* outlen) {
  if (ctx()->npn_advertised_callback == nullptr) return SSL_TLSEXT_ERR_NOACK;
  return ctx()->npn_advertised_callback(api(), out, outlen, ctx()->npn_advertised_arg);
}

int Ssl::SelectNextProto(uint8_t** out, uint8_t* outlen, const uint8_t* in, unsigned inlen) {
  if (ctx()->npn_select_callback == nullptr) return SSL_TLSEXT_ERR_ALERT_FATAL;
  return ctx()->npn_select_callback(api(), out, outlen, in, inlen, ctx()->npn_select_arg);
}

// OCSP: OpenSSL 3 runs the current context's callback (s->ctx(), so a server name callback's switch
// counts) with that context's argument. A server's response goes to the backend only here, after
// a callback answered SSL_TLSEXT_ERR_OK: as in OpenSSL, one set with no callback, or refused with
// NOACK, is never stapled.
int Ssl::OnStatus(bool server) {
  // A server is asked only when the client sent status_request, which is when OpenSSL's server
  // takes the client's type (SSL_get_tlsext_status_type answers it from then on).
  if (server) status_type = kStatusTypeOcsp;
  if (ctx()->status_callback == nullptr) return server ? SSL_TLSEXT_ERR_OK : 1;
  int ret = ctx()->status_callback(api(), ctx()->status_arg);
  if (server && ret == SSL_TLSEXT_ERR_OK && ocsp_response != nullptr) {
    conn()->SetOcspResponse(ocsp_response.get(), static_cast<size_t>(ocsp_response_len));
  }
  return ret;
}

void Ssl::SetOcspResponse(unsigned char* der, long len) {
  if (der != ocsp_response.get()) ocsp_response.reset(der);
  ocsp_response_len = der != nullptr ? len : -1;
}

}  // namespace sslshim
