#include "openssl_ctx.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>

#include "conn_callbacks.h"
#include "conn_hooks.h"
#include "core/signature_schemes.h"
#include "der_objects.h"
#include "openssl_conn.h"
#include "openssl_session.h"

namespace sslshim::openssl_backend {

const SSL_METHOD* RealMethodFor(const RealLibssl& real, const MethodSpec& method) {
  // One row per version: the flexible method's, then each pinned version's.
  struct Row {
    int version;
    bool datagram;
    decltype(&::TLS_method) either;
    decltype(&::TLS_method) client;
    decltype(&::TLS_method) server;
  };
  const Row rows[] = {
      {0, false, real.TLS_method, real.TLS_client_method, real.TLS_server_method},
      {TLS1_2_VERSION, false, real.TLSv1_2_method, real.TLSv1_2_client_method,
       real.TLSv1_2_server_method},
      {TLS1_1_VERSION, false, real.TLSv1_1_method, real.TLSv1_1_client_method,
       real.TLSv1_1_server_method},
      {TLS1_VERSION, false, real.TLSv1_method, real.TLSv1_client_method, real.TLSv1_server_method},
      {0, true, real.DTLS_method, real.DTLS_client_method, real.DTLS_server_method},
      {DTLS1_2_VERSION, true, real.DTLSv1_2_method, real.DTLSv1_2_client_method,
       real.DTLSv1_2_server_method},
      {DTLS1_VERSION, true, real.DTLSv1_method, real.DTLSv1_client_method,
       real.DTLSv1_server_method},
  };
  // A method pins one version or none (core/objects.h's Method).
  if (method.min_version != method.max_version) return nullptr;
  for (const Row& row : rows) {
    if (row.version != method.min_version || row.datagram != method.datagram) continue;
    switch (method.endpoint) {
      case Endpoint::kClient:
        return row.client();
      case Endpoint::kServer:
        return row.server();
      case Endpoint::kEither:
        break;
    }
    return row.either();
  }
  return nullptr;
}

// A version-specific method (TLSv1_2_method...) is the real libssl's own: it pins the version
// whatever bounds the program sets afterwards, as it does natively. Bounds no method of OpenSSL's
// has (TLS 1.3 alone, a range) are the flexible method's bounds.
std::unique_ptr<OpenSslCtx> OpenSslCtx::Create(const RealLibssl& real, const MethodSpec& method,
                                               const char* propq) {
  const SSL_METHOD* real_method = RealMethodFor(real, method);
  const bool bounded = real_method == nullptr;
  if (bounded) real_method = RealMethodFor(real, {method.endpoint, 0, 0, method.datagram});
  SSL_CTX* ctx = propq == nullptr ? real.SSL_CTX_new(real_method)
                                  : real.SSL_CTX_new_ex(nullptr, propq, real_method);
  if (ctx == nullptr) return nullptr;
  std::unique_ptr<OpenSslCtx> result(new OpenSslCtx(real, ctx));
  if (bounded &&
      (!result->SetMinVersion(method.min_version) || !result->SetMaxVersion(method.max_version))) {
    return nullptr;
  }
  // Moving-tolerant: the core enforces SSL_write's retry rule itself (see OpenSslConn::SetMode).
  real.SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, nullptr);
  InstallConnCallbacks(real, ctx);
  InstallContextHooks(real, ctx);
  return result;
}

OpenSslCtx::OpenSslCtx(const RealLibssl& real, SSL_CTX* ctx) : real_(real), ctx_(ctx) {}

OpenSslCtx::~OpenSslCtx() { real_.SSL_CTX_free(ctx_); }

std::unique_ptr<BackendConn> OpenSslCtx::NewConn(ConnObserver* observer) {
  return OpenSslConn::Create(real_, ctx_, observer, options_from_core_);
}

bool OpenSslCtx::SetMethod(const MethodSpec& method) {
  const SSL_METHOD* real_method = RealMethodFor(real_, method);
  return real_method != nullptr && real_.SSL_CTX_set_ssl_version(ctx_, real_method) == 1;
}

bool OpenSslCtx::SetMinVersion(int version) {
  return real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_MIN_PROTO_VERSION, version, nullptr) == 1;
}
bool OpenSslCtx::SetMaxVersion(int version) {
  return real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_MAX_PROTO_VERSION, version, nullptr) == 1;
}

// The core gives its whole options word. Only the bits that changed since the last word are set or
// cleared, so the options OpenSSL's SSL_CTX_new turns on by itself (NO_COMPRESSION,
// ENABLE_MIDDLEBOX_COMPAT) stay on unless the core once set one and then cleared it.
void OpenSslCtx::SetOptions(uint64_t openssl_options) {
  const uint64_t to_set = openssl_options & ~options_from_core_;
  const uint64_t to_clear = options_from_core_ & ~openssl_options;
  if (to_clear != 0) real_.SSL_CTX_clear_options(ctx_, to_clear);
  if (to_set != 0) real_.SSL_CTX_set_options(ctx_, to_set);
  options_from_core_ = openssl_options;
}

bool OpenSslCtx::SetCipherList(const char* list) {
  return real_.SSL_CTX_set_cipher_list(ctx_, list) == 1;
}
bool OpenSslCtx::SetCiphersuites(const char* list) {
  return real_.SSL_CTX_set_ciphersuites(ctx_, list) == 1;
}
bool OpenSslCtx::SetGroups(const char* list) {
  return real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_GROUPS_LIST, 0, const_cast<char*>(list)) == 1;
}

bool OpenSslCtx::SetMaxSendFragment(size_t max) {
  return real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_MAX_SEND_FRAGMENT, static_cast<long>(max),
                            nullptr) == 1;
}

void OpenSslCtx::SetMaxCertList(size_t max) {
  real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_MAX_CERT_LIST, static_cast<long>(max), nullptr);
}

bool OpenSslCtx::SetSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  std::string list = SignatureSchemeListOf(codes);
  return real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_SIGALGS_LIST, 0, list.data()) == 1;
}

bool OpenSslCtx::SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  std::string list = SignatureSchemeListOf(codes);
  return real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_CLIENT_SIGALGS_LIST, 0, list.data()) == 1;
}

bool OpenSslCtx::SetSecurityLevel(int level) {
  real_.SSL_CTX_set_security_level(ctx_, level);
  return true;
}

bool OpenSslCtx::UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) {
  return UseCertificateChainDer(ctx_, real_.SSL_CTX_use_certificate, real_.SSL_CTX_ctrl, chain_der);
}

bool OpenSslCtx::UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) {
  EVP_PKEY* key = PrivateKeyFromDer(pkcs8_der);
  if (key == nullptr) return false;  // d2i has said why on the queue
  const bool used = real_.SSL_CTX_use_PrivateKey(ctx_, key) == 1;
  EVP_PKEY_free(key);
  return used;
}

// The cert verify callback installed in Create does the verification (through the core); the mode
// says when a certificate is asked for and whether a failure ends the handshake.
void OpenSslCtx::SetVerify(int mode) { real_.SSL_CTX_set_verify(ctx_, mode, nullptr); }

void OpenSslCtx::SetSessionCacheMode(long mode) {
  real_.SSL_CTX_ctrl(ctx_, SSL_CTRL_SET_SESS_CACHE_MODE, mode, nullptr);
}

bool OpenSslCtx::SetAlpnProtos(const uint8_t* wire, size_t len) {
  if (len > UINT32_MAX) return false;
  // Returns 0 on success, unlike most of libssl.
  return real_.SSL_CTX_set_alpn_protos(ctx_, wire, static_cast<unsigned int>(len)) == 0;
}

// The names go into the CertificateRequest as they are; the context takes the stack.
void OpenSslCtx::EnableNextProtoCallbacks(bool advertise, bool select) {
  InstallNextProtoHooks(real_, ctx_, advertise, select);
}

bool OpenSslCtx::SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) {
  STACK_OF(X509_NAME)* names = NameStackFromDer(names_der);
  if (names == nullptr) return false;
  real_.SSL_CTX_set_client_CA_list(ctx_, names);
  return true;
}

// libssl refuses more than SSL_MAX_SID_CTX_LENGTH (32) bytes, with its own reason.
bool OpenSslCtx::SetSessionIdContext(const uint8_t* sid_ctx, size_t len) {
  if (len > UINT32_MAX) len = UINT32_MAX;  // still too long: libssl says so
  return real_.SSL_CTX_set_session_id_context(ctx_, sid_ctx, static_cast<unsigned int>(len)) == 1;
}

void OpenSslCtx::SetSessionTimeout(long seconds) { real_.SSL_CTX_set_timeout(ctx_, seconds); }

bool OpenSslCtx::AddSession(const BackendSession* session) {
  const auto* ours = dynamic_cast<const OpenSslSession*>(session);
  return ours != nullptr && real_.SSL_CTX_add_session(ctx_, ours->get()) == 1;
}

bool OpenSslCtx::RemoveSession(const BackendSession* session) {
  const auto* ours = dynamic_cast<const OpenSslSession*>(session);
  return ours != nullptr && real_.SSL_CTX_remove_session(ctx_, ours->get()) == 1;
}

bool OpenSslCtx::SetNumTickets(size_t n) { return real_.SSL_CTX_set_num_tickets(ctx_, n) == 1; }

bool OpenSslCtx::SetTicketKeyCallback(TicketKeyCallback kind) {
  InstallTicketKeyHook(real_, ctx_, kind);
  return true;
}

// The real libssl pushes its errors onto the program's error queue itself (same libcrypto), in
// OpenSSL's numbering already: there is nothing to move, and the queue is left as it is.
void OpenSslCtx::TakeErrors(std::vector<ErrorRecord>* /*out*/) {}

}  // namespace sslshim::openssl_backend
