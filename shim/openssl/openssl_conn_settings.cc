// OpenSslConn: the per-connection settings (SSL_set_options, SSL_set_cipher_list,
// SSL_set_ciphersuites, SSL_set1_groups_list, SSL_set_min/max_proto_version,
// SSL_use_certificate..., SSL_set_SSL_CTX, SSL_set_quiet_shutdown) and the optional hooks.
#include <openssl/ct.h>
#include <openssl/err.h>

#include "conn_hooks.h"
#include "core/signature_schemes.h"
#include "der_objects.h"
#include "openssl_conn.h"
#include "openssl_ctx.h"

namespace sslshim::openssl_backend {

void OpenSslConn::EnableHooks(uint32_t hook_bits) {
  hook_bits_.store(hook_bits, std::memory_order_relaxed);
  ApplyConnectionHooks(real_, ssl_, hook_bits);
}

// As OpenSslCtx::SetOptions: only the bits that changed since the core's last word (at first, the
// word of the context the SSL was made from) are set or cleared, so libssl's own defaults stay.
void OpenSslConn::SetOptions(uint64_t openssl_options) {
  const uint64_t to_set = openssl_options & ~options_from_core_;
  const uint64_t to_clear = options_from_core_ & ~openssl_options;
  if (to_clear != 0) real_.SSL_clear_options(ssl_, to_clear);
  if (to_set != 0) real_.SSL_set_options(ssl_, to_set);
  options_from_core_ = openssl_options;
}

bool OpenSslConn::SetCipherList(const char* list) {
  return real_.SSL_set_cipher_list(ssl_, list) == 1;
}

bool OpenSslConn::UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) {
  return UseCertificateChainDer(ssl_, real_.SSL_use_certificate, real_.SSL_ctrl, chain_der);
}

bool OpenSslConn::UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) {
  EVP_PKEY* key = PrivateKeyFromDer(pkcs8_der);
  if (key == nullptr) return false;
  const bool used = real_.SSL_use_PrivateKey(ssl_, key) == 1;
  EVP_PKEY_free(key);
  return used;
}

// The real SSL_set_SSL_CTX: the SSL takes the context's certificate, key and certificate settings
// (a copy; our certificate callback goes with the old ones, so the hooks are applied again), and
// keeps its options, session context for caching, and everything else, as in OpenSSL.
bool OpenSslConn::SwitchCtx(BackendCtx* ctx) {
  auto* target = dynamic_cast<OpenSslCtx*>(ctx);
  if (target == nullptr) {
    ERR_raise_data(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT,
                   "sslshim: SSL_set_SSL_CTX with a context of another backend");
    return false;
  }
  if (real_.SSL_set_SSL_CTX(ssl_, target->ssl_ctx()) == nullptr) return false;
  ApplyConnectionHooks(real_, ssl_, hook_bits());
  return true;
}

bool OpenSslConn::SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) {
  STACK_OF(X509_NAME)* names = NameStackFromDer(names_der);
  if (names == nullptr) return false;
  real_.SSL_set_client_CA_list(ssl_, names);
  return true;
}

bool OpenSslConn::SetAlpnProtos(const uint8_t* wire, size_t len) {
  return real_.SSL_set_alpn_protos(ssl_, wire, static_cast<unsigned int>(len)) == 0;  // 0: success
}

bool OpenSslConn::SetSessionIdContext(const uint8_t* sid_ctx, size_t len) {
  return real_.SSL_set_session_id_context(ssl_, sid_ctx, static_cast<unsigned int>(len)) == 1;
}

// The real libssl's own copy: OpenSSL has no getter for a connection's session ID context. It sets
// the session too, the one the core has just set.
bool OpenSslConn::CopyCertificateAndSessionIdContext(const BackendConn& from) {
  const auto* other = dynamic_cast<const OpenSslConn*>(&from);
  return other != nullptr && real_.SSL_copy_session_id(ssl_, other->ssl_) == 1;
}

// SSL_set_tlsext_status_type, SSL_get_tlsext_status_ocsp_resp, SSL_set_tlsext_status_ocsp_resp:
// macros over these commands. libssl takes the response's buffer (OPENSSL_malloc'd).
bool OpenSslConn::RequestOcspStatus() {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE, TLSEXT_STATUSTYPE_ocsp,
                        nullptr) == 1;
}

// libssl asks for SCTs once it validates them; permissively here, since the core validates them
// with the program's policy (core/certificate_transparency.h).
bool OpenSslConn::RequestSignedCertTimestamps() {
  return real_.SSL_enable_ct(ssl_, SSL_CT_VALIDATION_PERMISSIVE) == 1;
}

// libssl's parsed SCTs (it shares the program's libcrypto), the extension's own put back in
// their list encoding.
std::vector<uint8_t> OpenSslConn::PeerSignedCertTimestamps() const {
  const STACK_OF(SCT)* all = real_.SSL_get0_peer_scts(ssl_);
  STACK_OF(SCT)* from_extension = sk_SCT_new_null();
  for (int i = 0; all != nullptr && from_extension != nullptr && i < sk_SCT_num(all); i++) {
    SCT* sct = sk_SCT_value(all, i);
    if (SCT_get_source(sct) == SCT_SOURCE_TLS_EXTENSION) sk_SCT_push(from_extension, sct);
  }
  std::vector<uint8_t> out;
  unsigned char* der = nullptr;
  const int len = from_extension != nullptr && sk_SCT_num(from_extension) > 0
                      ? i2o_SCT_LIST(from_extension, &der)
                      : 0;
  if (len > 0) out.assign(der, der + len);
  OPENSSL_free(der);
  sk_SCT_free(from_extension);  // the SCTs stay libssl's
  return out;
}

std::vector<uint8_t> OpenSslConn::OcspResponse() const {
  unsigned char* der = nullptr;
  long len = real_.SSL_ctrl(ssl_, SSL_CTRL_GET_TLSEXT_STATUS_REQ_OCSP_RESP, 0, &der);
  if (der == nullptr || len <= 0) return {};
  return std::vector<uint8_t>(der, der + len);
}

bool OpenSslConn::SetOcspResponse(const uint8_t* der, size_t len) {
  void* copy = OPENSSL_memdup(der, len);
  if (copy == nullptr) return false;
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_STATUS_REQ_OCSP_RESP, static_cast<long>(len),
                        copy) == 1;
}

void OpenSslConn::SetQuietShutdown(bool quiet) {
  real_.SSL_set_quiet_shutdown(ssl_, quiet ? 1 : 0);
}

bool OpenSslConn::SetMinVersion(int version) {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_MIN_PROTO_VERSION, version, nullptr) == 1;
}

bool OpenSslConn::SetMaxVersion(int version) {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_MAX_PROTO_VERSION, version, nullptr) == 1;
}

bool OpenSslConn::SetCiphersuites(const char* list) {
  return real_.SSL_set_ciphersuites(ssl_, list) == 1;
}

bool OpenSslConn::SetGroups(const char* list) {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_GROUPS_LIST, 0, const_cast<char*>(list)) == 1;
}

bool OpenSslConn::SetMaxSendFragment(size_t max) {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_MAX_SEND_FRAGMENT, static_cast<long>(max), nullptr) == 1;
}

void OpenSslConn::SetMaxCertList(size_t max) {
  real_.SSL_ctrl(ssl_, SSL_CTRL_SET_MAX_CERT_LIST, static_cast<long>(max), nullptr);
}

bool OpenSslConn::ExtendedMasterSecret() const {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_GET_EXTMS_SUPPORT, 0, nullptr) == 1;
}

bool OpenSslConn::SetSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  std::string list = SignatureSchemeListOf(codes);
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_SIGALGS_LIST, 0, list.data()) == 1;
}

bool OpenSslConn::SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  std::string list = SignatureSchemeListOf(codes);
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_CLIENT_SIGALGS_LIST, 0, list.data()) == 1;
}

bool OpenSslConn::SetSecurityLevel(int level) {
  real_.SSL_set_security_level(ssl_, level);
  return true;
}

bool OpenSslConn::Clear() { return real_.SSL_clear(ssl_) == 1; }

}  // namespace sslshim::openssl_backend
