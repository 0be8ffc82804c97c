// The optional callbacks of a BoringSslConn (ConnObserver's OnKeyLog, OnMessage, OnNewSession,
// SelectAlpn, OnServerName, OnCertificateNeeded, AdvertiseNextProtos, SelectNextProto) and
// SSL_set_SSL_CTX.
#include <openssl/bytestring.h>
#include <openssl/err.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "boringssl/conn.h"
#include "boringssl/credentials.h"
#include "boringssl/ctx.h"
#include "boringssl/error_translation.h"
#include "boringssl/hello_messages.h"
#include "boringssl/openssl3_constants.h"
#include "boringssl/session.h"

namespace sslshim::boringssl {
namespace {

// The values these callbacks hand through unchanged are the same in both libraries.
static_assert(SSL_TLSEXT_ERR_OK == openssl3::kSSL_TLSEXT_ERR_OK);
static_assert(SSL_TLSEXT_ERR_ALERT_WARNING == openssl3::kSSL_TLSEXT_ERR_ALERT_WARNING);
static_assert(SSL_TLSEXT_ERR_ALERT_FATAL == openssl3::kSSL_TLSEXT_ERR_ALERT_FATAL);
static_assert(SSL_TLSEXT_ERR_NOACK == openssl3::kSSL_TLSEXT_ERR_NOACK);
static_assert(SSL3_RT_HEADER == openssl3::kSSL3_RT_HEADER);
static_assert(SSL3_RT_CHANGE_CIPHER_SPEC == openssl3::kSSL3_RT_CHANGE_CIPHER_SPEC);
static_assert(SSL3_RT_ALERT == openssl3::kSSL3_RT_ALERT);
static_assert(SSL3_RT_HANDSHAKE == openssl3::kSSL3_RT_HANDSHAKE);
static_assert(SSL_ERROR_WANT_X509_LOOKUP == openssl3::kSSL_ERROR_WANT_X509_LOOKUP);
static_assert(SSL_AD_INTERNAL_ERROR == openssl3::kSSL_AD_INTERNAL_ERROR);

// OpenSSL's view of the ClientHello BoringSSL has parsed; false when the extensions block does
// not parse (BoringSSL has checked it already, so this does not happen).
bool ViewOf(const SSL_CLIENT_HELLO* hello, ClientHelloView* view) {
  view->legacy_version = hello->version;
  view->random = hello->random;
  view->random_len = hello->random_len;
  view->session_id = hello->session_id;
  view->session_id_len = hello->session_id_len;
  view->cipher_suites = hello->cipher_suites;
  view->cipher_suites_len = hello->cipher_suites_len;
  view->compression_methods = hello->compression_methods;
  view->compression_methods_len = hello->compression_methods_len;
  CBS extensions;
  CBS_init(&extensions, hello->extensions, hello->extensions_len);
  while (CBS_len(&extensions) > 0) {
    uint16_t type = 0;
    CBS body;
    if (!CBS_get_u16(&extensions, &type) || !CBS_get_u16_length_prefixed(&extensions, &body)) {
      return false;
    }
    if (!OpenSslImplementsExtension(type)) continue;
    view->extensions.push_back({type, CBS_data(&body), CBS_len(&body)});
  }
  return true;
}

}  // namespace

// --- Installing ---------------------------------------------------------------------------------

void BoringSslConn::InstallContextHooks(SSL_CTX* ctx) {
  // BoringSSL's earliest look at a ClientHello, where OpenSSL runs its client hello callback.
  SSL_CTX_set_select_certificate_cb(ctx, SelectCertificateCallback);
  SSL_CTX_set_alpn_select_cb(ctx, AlpnSelectCallback, nullptr);
  SSL_CTX_set_tlsext_servername_callback(ctx, ServerNameCallback);
  SSL_CTX_sess_set_new_cb(ctx, NewSessionCallback);
  // Asked only when BoringSSL's own cache misses, or is off (SSL_SESS_CACHE_NO_INTERNAL_LOOKUP,
  // as nginx's shared cache sets), as OpenSSL asks.
  SSL_CTX_sess_set_get_cb(ctx, GetSessionCallback);
  // BoringSSL's emulation of OpenSSL's status callback runs where OpenSSL's does: a server's
  // once its certificate is chosen, when the client asked; a client's after the server's
  // certificate is verified, when it asked (OpenSSL's after the server's first flight).
  SSL_CTX_set_tlsext_status_cb(ctx, StatusCallback);
}

void BoringSslConn::InstallNextProtoHooks(SSL_CTX* ctx, bool advertise, bool select) {
  SSL_CTX_set_next_protos_advertised_cb(ctx, advertise ? NextProtosAdvertisedCallback : nullptr,
                                        nullptr);
  SSL_CTX_set_next_proto_select_cb(ctx, select ? NextProtoSelectCallback : nullptr, nullptr);
}

void BoringSslConn::EnableHooks(uint32_t hook_bits) {
  hook_bits_ = hook_bits;
  ApplyHooks();
}

void BoringSslConn::ApplyMessageHook() {
  bool wanted = HookEnabled(kHookMessage) || HookEnabled(kHookTlsextDebug) || !handshake_done_ ||
                !auto_retry_;
  SSL_set_msg_callback(ssl_.get(), wanted ? MessageCallback : nullptr);
}

void BoringSslConn::ApplyHooks() {
  ApplyMessageHook();
  // Always installed: it keeps what BoringSSL shows only there (CertCallback).
  SSL_set_cert_cb(ssl_.get(), CertCallback, nullptr);
  // The key log is per context in BoringSSL, and costs a hex encoding of every secret once set,
  // so it goes onto a context only when one of its connections asks (and stays: the others'
  // trampolines do nothing). Checked first so that a context in use is written at most once.
  SSL_CTX* ctx = SSL_get_SSL_CTX(ssl_.get());
  if (HookEnabled(kHookKeyLog) && SSL_CTX_get_keylog_callback(ctx) != KeyLogCallback) {
    SSL_CTX_set_keylog_callback(ctx, KeyLogCallback);
  }
}

bool BoringSslConn::SwitchCtx(BackendCtx* ctx) {
  auto* target = dynamic_cast<BoringSslCtx*>(ctx);
  if (target == nullptr) {
    errors_.push_back(MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_PASSED_INVALID_ARGUMENT),
                                         "BoringSSL: not a context of this backend"));
    return false;
  }
  // OpenSSL's SSL_set_SSL_CTX takes the new context's session ID context only when the
  // connection's is the old context's; one set with SSL_set_session_id_context stays. BoringSSL
  // always takes the new context's.
  size_t sid_len = 0;
  const uint8_t* sid = SSL_get0_session_id_context(ssl_.get(), &sid_len);
  const std::vector<uint8_t> own_sid(sid, sid + sid_len);
  const bool keep_own_sid = own_sid != ctx_sid_ctx_;
  ERR_clear_error();
  if (SSL_set_SSL_CTX(ssl_.get(), target->raw()) == nullptr) {
    DrainBoringSslErrors(&errors_);
    return false;
  }
  own_key_ = false;  // the new context's certificate and key replaced the connection's
  ctx_sid_ctx_ = target->session_id_context();
  // OpenSSL's server reads its context's CA lists where it has none of its own: the new one's.
  ctx_ca_names_ = target->ca_names();
  if (own_client_ca_names_.has_value() || own_ca_names_.has_value()) InstallCaNames();
  if (keep_own_sid) SSL_set_session_id_context(ssl_.get(), own_sid.data(), own_sid.size());
  // The new context's certificate settings replaced the connection's, certificate callback
  // included; verification, info and message hooks live on the SSL and stay.
  ApplyHooks();
  // BoringSSL's SSL_set_SSL_CTX also resets the early-data switch from the new context; OpenSSL's
  // keeps the connection's early-data settings.
  ApplyEarlyDataEnabled();
  return true;
}

// --- The trampolines ----------------------------------------------------------------------------

void BoringSslConn::KeyLogCallback(const SSL* ssl, const char* line) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr || !conn->HookEnabled(kHookKeyLog)) return;
  conn->observer_->OnKeyLog(line);
}

void BoringSslConn::MessageCallback(int is_write, int version, int content_type, const void* buf,
                                    size_t len, SSL* ssl, void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr) return;
  if (content_type == SSL3_RT_HANDSHAKE && !conn->handshake_done_) {
    conn->RecordTls13Finished(is_write, static_cast<const uint8_t*>(buf), len);
    conn->RecordOwnSignature(is_write, static_cast<const uint8_t*>(buf), len);
    conn->ObserveEarlyDataMessage(is_write, static_cast<const uint8_t*>(buf), len);
  }
  if (content_type == SSL3_RT_HANDSHAKE && !is_write) {
    conn->ObserveReceivedMessage(static_cast<const uint8_t*>(buf), len);
  }
  if (content_type == SSL3_RT_HANDSHAKE && !is_write && conn->handshake_done_ && conn->in_read_ &&
      !conn->auto_retry_ && IsTls13(ssl) && !conn->hold_reads_) {
    conn->hold_reads_ = true;
    conn->held_after_message_ = true;
  }
  if (conn->observer_ == nullptr || !conn->HookEnabled(kHookMessage)) return;
  // BoringSSL's 0x101 is its ECH ClientHelloInner, OpenSSL's 0x101 the TLS 1.3 inner content
  // type: never hand BoringSSL's on under OpenSSL's meaning.
  if (content_type == SSL3_RT_CLIENT_HELLO_INNER) return;
  conn->observer_->OnMessage(is_write, version, content_type, buf, len);
}

void BoringSslConn::RecordTls13Finished(int is_write, const uint8_t* msg, size_t len) {
  // A handshake message as sent: type, 24-bit length, body; a Finished body is its verify_data.
  constexpr size_t kHeaderLen = 4;
  if (len < kHeaderLen || msg[0] != SSL3_MT_FINISHED) return;
  if (!IsTls13(ssl_.get())) return;  // BoringSSL keeps these itself
  std::vector<uint8_t>& slot = is_write ? tls13_finished_ : tls13_peer_finished_;
  slot.assign(msg + kHeaderLen, msg + len);
}

void BoringSslConn::RecordOwnSignature(int is_write, const uint8_t* msg, size_t len) {
  constexpr size_t kHeaderLen = 4;
  if (!is_write || len < kHeaderLen) return;
  const uint8_t* body = msg + kHeaderLen;
  const size_t body_len = len - kHeaderLen;
  if (msg[0] == SSL3_MT_CLIENT_HELLO || msg[0] == SSL3_MT_SERVER_HELLO) {
    own_signature_scheme_ = 0;  // a new handshake: none yet (OpenSSL's is per handshake too)
  } else if (msg[0] == SSL3_MT_CERTIFICATE_VERIFY && body_len >= 2) {
    // TLS 1.2 and 1.3 alike: the SignatureScheme, then the signature.
    own_signature_scheme_ = static_cast<uint16_t>(body[0] << 8 | body[1]);
  } else if (msg[0] == SSL3_MT_SERVER_KEY_EXCHANGE && !IsTls13(ssl_.get())) {
    // TLS 1.2 ECDHE with a signature: curve_type (3, named), the group, the public key, then the
    // SignatureScheme. (PSK key exchanges sign nothing; BoringSSL has no DHE.)
    const SSL_CIPHER* cipher = SSL_get_pending_cipher(ssl_.get());
    if (cipher == nullptr || SSL_CIPHER_get_auth_nid(cipher) == NID_auth_psk) return;
    if (body_len < 4 || body[0] != 3) return;
    const size_t key_len = body[3];
    if (body_len < 4 + key_len + 2) return;
    own_signature_scheme_ = static_cast<uint16_t>(body[4 + key_len] << 8 | body[5 + key_len]);
  }
}

int BoringSslConn::NewSessionCallback(SSL* ssl, SSL_SESSION* session) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr) return 0;
  if (!conn->server_) conn->latest_ticket_session_ = bssl::UpRef(session);
  conn->ReportNewSession(session);
  return 0;  // BoringSSL keeps its reference; the core's session took one of its own
}

// The core keeps the program's session alive for the connection; BoringSSL gets a reference of
// its own (*out_copy = 0 hands it over).
SSL_SESSION* BoringSslConn::GetSessionCallback(SSL* ssl, const uint8_t* id, int id_len,
                                               int* out_copy) {
  *out_copy = 0;
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr || !conn->HookEnabled(kHookGetSession) ||
      id_len < 0) {
    return nullptr;
  }
  const auto* found = dynamic_cast<const BoringSslSession*>(
      conn->observer_->LookupSession(id, static_cast<size_t>(id_len)));
  if (found == nullptr) return nullptr;
  return bssl::UpRef(found->get()).release();
}

namespace {

// Never asynchronous: the program's key answers within the call.
enum ssl_private_key_result_t ProgramKeyComplete(SSL*, uint8_t*, size_t*, size_t) {
  return ssl_private_key_failure;
}

enum ssl_private_key_result_t CopyOut(const std::vector<uint8_t>& result, uint8_t* out,
                                      size_t* out_len, size_t max_out) {
  if (result.size() > max_out) return ssl_private_key_failure;
  std::copy(result.begin(), result.end(), out);
  *out_len = result.size();
  return ssl_private_key_success;
}

}  // namespace

enum ssl_private_key_result_t BoringSslConn::ProgramKeySign(SSL* ssl, uint8_t* out, size_t* out_len,
                                                            size_t max_out, uint16_t code,
                                                            const uint8_t* in, size_t in_len) {
  BoringSslConn* conn = FromSsl(ssl);
  std::vector<uint8_t> signature;
  if (conn == nullptr || conn->observer_ == nullptr ||
      !conn->observer_->SignWithProgramKey(conn->own_key_, code, in, in_len, &signature)) {
    return ssl_private_key_failure;
  }
  return CopyOut(signature, out, out_len, max_out);
}

enum ssl_private_key_result_t BoringSslConn::ProgramKeyDecrypt(SSL* ssl, uint8_t* out,
                                                               size_t* out_len, size_t max_out,
                                                               const uint8_t* in, size_t in_len) {
  BoringSslConn* conn = FromSsl(ssl);
  std::vector<uint8_t> plain;
  if (conn == nullptr || conn->observer_ == nullptr ||
      !conn->observer_->DecryptWithProgramKey(conn->own_key_, in, in_len, &plain)) {
    return ssl_private_key_failure;
  }
  return CopyOut(plain, out, out_len, max_out);
}

const SSL_PRIVATE_KEY_METHOD* ProgramKeyMethodFor(int key_type) {
  static const SSL_PRIVATE_KEY_METHOD kMethod = {
      BoringSslConn::ProgramKeySign, BoringSslConn::ProgramKeyDecrypt, ProgramKeyComplete};
  return key_type == EVP_PKEY_RSA ? &kMethod : nullptr;
}

void BoringSslConn::ReportNewSession(SSL_SESSION* session) {
  if (observer_ == nullptr || !HookEnabled(kHookNewSession) || session == nullptr) return;
  long wanted = static_cast<long>(server_ ? openssl3::kSSL_SESS_CACHE_SERVER
                                          : openssl3::kSSL_SESS_CACHE_CLIENT);
  if ((ProgramSessionCacheMode(session_ctx_) & wanted) == 0) return;
  // The core drops the session when it returns false; either way the reference is its own.
  observer_->OnNewSession(WrapSession(session));
}

void BoringSslConn::ReportTls13ServerSession() {
  if (!server_ || !IsTls13(ssl_.get()) || num_tickets_ == 0) return;
  ReportNewSession(SSL_get_session(ssl_.get()));
}

int BoringSslConn::AlpnSelectCallback(SSL* ssl, const uint8_t** out, uint8_t* out_len,
                                      const uint8_t* in, unsigned in_len, void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr || !conn->HookEnabled(kHookAlpnSelect)) {
    return SSL_TLSEXT_ERR_NOACK;  // what BoringSSL does with no callback: no ALPN
  }
  return conn->observer_->SelectAlpn(in, in_len, out, out_len);
}

int BoringSslConn::ServerNameCallback(SSL* ssl, int* out_alert, void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr || !conn->HookEnabled(kHookServerName)) {
    return SSL_TLSEXT_ERR_NOACK;  // what BoringSSL (and OpenSSL) do with no callback
  }
  // Alert numbers are the wire's in both libraries. BoringSSL treats ALERT_WARNING as OK (OpenSSL
  // would send a warning alert before TLS 1.3).
  return conn->observer_->OnServerName(out_alert);
}

int BoringSslConn::CertCallback(SSL* ssl, void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr) return 1;
  // A server's, at certificate selection: the client's signature_algorithms; a client's, on a
  // CertificateRequest: the server's schemes and CA names. BoringSSL drops both after the
  // handshake; OpenSSL answers SSL_get_sigalgs and SSL_get0_peer_CA_list from them afterwards.
  if (SSL_is_server(ssl)) conn->server_version_settled_ = true;
  if (conn->no_tickets_ && SSL_is_server(ssl) && IsTls13(ssl)) WithholdNewTickets(ssl);
  const uint16_t* schemes = nullptr;
  size_t count = SSL_get0_peer_verify_algorithms(ssl, &schemes);
  conn->peer_signature_schemes_.assign(schemes, schemes + count);
  conn->OrderSigningByPeer();
  conn->peer_ca_names_.clear();
  if (!SSL_is_server(ssl)) {
    const STACK_OF(CRYPTO_BUFFER)* names = SSL_get0_server_requested_CAs(ssl);
    for (size_t i = 0; names != nullptr && i < sk_CRYPTO_BUFFER_num(names); i++) {
      const CRYPTO_BUFFER* name = sk_CRYPTO_BUFFER_value(names, i);
      conn->peer_ca_names_.emplace_back(CRYPTO_BUFFER_data(name),
                                        CRYPTO_BUFFER_data(name) + CRYPTO_BUFFER_len(name));
    }
  }
  if (conn->observer_ == nullptr || !conn->HookEnabled(kHookCert)) return 1;
  // 1, 0 and -1 mean the same in both; -1 becomes SSL_ERROR_WANT_X509_LOOKUP in both. A client's
  // 0 is SSL_R_CALLBACK_FAILED in OpenSSL 3 (tls_prepare_client_certificate), where BoringSSL
  // says SSL_R_CERT_CB_ERROR as a server does.
  const int ret = conn->observer_->OnCertificateNeeded();
  if (ret == 0 && !SSL_is_server(ssl)) {
    conn->callback_failure_from_ = static_cast<int>(openssl3::kSSL_R_CERT_CB_ERROR);
    conn->callback_failure_reason_ = static_cast<int>(openssl3::kSSL_R_CALLBACK_FAILED);
  }
  return ret;
}

enum ssl_select_cert_result_t BoringSslConn::SelectCertificateCallback(
    const SSL_CLIENT_HELLO* client_hello) {
  BoringSslConn* conn = FromSsl(client_hello->ssl);
  if (conn != nullptr) {
    conn->peer_cipher_suites_.clear();
    for (size_t i = 0; i + 1 < client_hello->cipher_suites_len; i += 2) {
      conn->peer_cipher_suites_.push_back(static_cast<uint16_t>(
          (client_hello->cipher_suites[i] << 8) | client_hello->cipher_suites[i + 1]));
    }
    conn->peer_legacy_version_ = client_hello->version;
    conn->peer_groups_.clear();
    const uint8_t* groups = nullptr;
    size_t groups_len = 0;
    CBS list;
    uint16_t group = 0;
    if (SSL_early_callback_ctx_extension_get(client_hello, TLSEXT_TYPE_supported_groups, &groups,
                                             &groups_len)) {
      CBS extension;
      CBS_init(&extension, groups, groups_len);
      if (CBS_get_u16_length_prefixed(&extension, &list)) {
        while (CBS_get_u16(&list, &group)) conn->peer_groups_.push_back(group);
      }
    }
  }
  if (conn == nullptr || conn->observer_ == nullptr || !conn->HookEnabled(kHookClientHello)) {
    return ssl_select_cert_success;
  }
  ClientHelloView view;
  if (!ViewOf(client_hello, &view)) return ssl_select_cert_error;
  int alert = SSL_AD_INTERNAL_ERROR;  // OpenSSL's preset
  switch (conn->observer_->OnClientHello(view, &alert)) {
    case kClientHelloSuccess:
      return ssl_select_cert_success;
    case kClientHelloRetry:
      return ssl_select_cert_retry;  // SSL_ERROR_PENDING_CERTIFICATE: WANT_CLIENT_HELLO_CB
    default:
      // BoringSSL would send handshake_failure; OpenSSL sends the callback's alert. Sent here
      // first, BoringSSL's own then finds the connection shut for writing and sends nothing.
      SSL_send_fatal_alert(client_hello->ssl, static_cast<uint8_t>(alert));
      return ssl_select_cert_error;
  }
}

// NPN: installed only while the program's callback is set (InstallNextProtoHooks), so the
// observer always has one to ask.
int BoringSslConn::NextProtosAdvertisedCallback(SSL* ssl, const uint8_t** out, unsigned* out_len,
                                                void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr) return SSL_TLSEXT_ERR_NOACK;
  return conn->observer_->AdvertiseNextProtos(out, out_len);
}

int BoringSslConn::NextProtoSelectCallback(SSL* ssl, uint8_t** out, uint8_t* out_len,
                                           const uint8_t* in, unsigned in_len, void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr) return SSL_TLSEXT_ERR_ALERT_FATAL;
  return conn->observer_->SelectNextProto(out, out_len, in, in_len);
}

int BoringSslConn::StatusCallback(SSL* ssl, void* /*arg*/) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr) {
    return conn != nullptr && conn->server_ ? SSL_TLSEXT_ERR_OK : 1;
  }
  // The same SSL_TLSEXT_ERR_* numbers and client answers in both libraries; the reasons are
  // OpenSSL's (tls_handle_status_request, tls_process_initial_server_flight).
  const int ret = conn->observer_->OnStatus(conn->server_);
  if (conn->server_ && ret != SSL_TLSEXT_ERR_OK && ret != SSL_TLSEXT_ERR_NOACK) {
    conn->callback_failure_from_ = static_cast<int>(openssl3::kSSL_R_CALLBACK_FAILED);
    conn->callback_failure_reason_ = static_cast<int>(openssl3::kSSL_R_CLIENTHELLO_TLSEXT);
  } else if (!conn->server_ && ret <= 0) {
    conn->callback_failure_from_ = static_cast<int>(openssl3::kSSL_R_CALLBACK_FAILED);
    conn->callback_failure_reason_ =
        static_cast<int>(ret == 0 ? openssl3::kSSL_R_INVALID_STATUS_RESPONSE
                                  : openssl3::kSSL_R_OCSP_CALLBACK_FAILURE);
  }
  return ret;
}

void BoringSslConn::WithholdNewTickets(SSL* ssl) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || (SSL_get_options(ssl) & SSL_OP_NO_TICKET) != 0) return;
  SSL_set_options(ssl, SSL_OP_NO_TICKET);
  conn->tickets_withheld_ = true;
}

ConnObserver* BoringSslConn::TicketKeyObserver(const SSL* ssl) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || !conn->HookEnabled(kHookTicketKey)) return nullptr;
  return conn->observer_;
}

}  // namespace sslshim::boringssl
