// SSL_dup: a connection not yet started copied into a new one, as OpenSSL 3's copies it.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>

#include "core/errors.h"
#include "exports/auto_chain.h"
#include "exports/conn_copy.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

using sslshim::Ssl;

namespace sslshim {
namespace {

// A copy of `names` (null: none), each name its own object as OpenSSL's dup_ca_names makes them.
bool DupNames(const STACK_OF(X509_NAME) * names, UniquePtr<STACK_OF(X509_NAME)>* out) {
  out->reset();
  if (names == nullptr) return true;
  out->reset(sk_X509_NAME_deep_copy(names, X509_NAME_dup, X509_NAME_free));
  return *out != nullptr;
}

// What OpenSSL's CERT holds besides the certificates (ssl_cert_dup): the certificate callback,
// the stores, the flags, the security level and callback, the DH parameters and the PSK identity
// hint. A copy
// made through SSL_copy_session_id shares the CERT; either way the new connection has these.
bool CopyCertSettings(Ssl* to, Ssl* from, const char* func) {
  to->cert_callback = from->cert_callback;
  to->cert_arg = from->cert_arg;
  to->verify_store = ShareStore(from->verify_store.get());
  to->chain_store = ShareStore(from->chain_store.get());
  to->cert_flags = from->cert_flags;
  to->security_callback = from->security_callback;
  to->security_ex = from->security_ex;
  to->certificates_cleared = from->certificates_cleared;
  if (to->security_level != from->security_level) {
    ApplySecurityLevel(to, from->security_level, func);
  }
  if (from->tmp_dh) EVP_PKEY_up_ref(from->tmp_dh.get());
  to->tmp_dh.reset(from->tmp_dh.get());
  to->tmp_dh_callback = from->tmp_dh_callback;
  to->psk_identity_hint.reset(from->psk_identity_hint ? new std::string(*from->psk_identity_hint)
                                                      : nullptr);
  return FinishConnCall(to, to->UpdatePsk(), ERR_R_INTERNAL_ERROR, func) == 1;
}

}  // namespace

bool CopyConnectionSettings(Ssl* to, Ssl* from, const char* func) {
  // With a session, SSL_copy_session_id's copy; without, the same parts one by one.
  if (from->session != nullptr && !UseSessionOf(to, from, func)) return false;
  to->method = from->method;
  if (!CopyCertificateAndIdContext(to, from, func) || !CopyCertSettings(to, from, func) ||
      !to->dane.CopyFrom(from->dane, to->ctx(), func)) {
    return false;
  }
  to->options = from->options;
  to->conn()->SetOptions(to->options);
  if (!FinishConnCall(to, to->conn()->SetMinVersion(static_cast<int>(from->min_version)),
                      SSL_R_UNSUPPORTED_PROTOCOL, func) ||
      !FinishConnCall(to, to->conn()->SetMaxVersion(static_cast<int>(from->max_version)),
                      SSL_R_UNSUPPORTED_PROTOCOL, func)) {
    return false;
  }
  to->min_version = from->min_version;
  to->max_version = from->max_version;
  to->mode = from->mode;
  to->conn()->SetMode(to->mode);
  to->record_sizes.max_cert_list = from->record_sizes.max_cert_list;
  to->conn()->SetMaxCertList(static_cast<size_t>(from->record_sizes.max_cert_list));
  to->read_ahead = from->read_ahead;
  to->conn()->SetReadAhead(to->read_ahead != 0);
  to->msg_callback = from->msg_callback;
  to->msg_callback_arg = from->msg_callback_arg;
  to->verify_mode = from->verify_mode;
  to->verify_callback = from->verify_callback;
  to->conn()->SetVerify(to->verify_mode);
  to->verify_depth = from->verify_depth;
  to->info_callback = from->info_callback;
  to->UpdateHooks();
  if (!CRYPTO_dup_ex_data(CRYPTO_EX_INDEX_SSL, &to->ex_data, &from->ex_data)) {
    PushError(ERR_LIB_SSL, ERR_R_CRYPTO_LIB, func);
    return false;
  }
  if (from->role == Ssl::Role::kServer) {
    to->role = Ssl::Role::kServer;
    to->conn()->SetAcceptState();
  } else if (from->role == Ssl::Role::kClient) {
    to->role = Ssl::Role::kClient;
    to->conn()->SetConnectState();
  }
  to->conn()->SetShutdown(from->conn()->GetShutdown());
  to->connection.sent_shutdown = from->connection.sent_shutdown;
  to->passwd_callback = from->passwd_callback;
  to->passwd_userdata = from->passwd_userdata;
  X509_VERIFY_PARAM_inherit(to->param.get(), from->param.get());
  if (from->cipher_list) {
    if (!FinishConnCall(to, to->conn()->SetCipherList(from->cipher_list->c_str()),
                        SSL_R_NO_CIPHER_MATCH, func)) {
      return false;
    }
    to->cipher_list = std::make_unique<std::string>(*from->cipher_list);
  }
  if (from->ciphersuites) {
    if (!FinishConnCall(to, to->conn()->SetCiphersuites(from->ciphersuites->c_str()),
                        SSL_R_NO_CIPHER_MATCH, func)) {
      return false;
    }
    to->ciphersuites = std::make_unique<std::string>(*from->ciphersuites);
  }
  if (!DupNames(from->ca_names.get(), &to->ca_names) ||
      !DupNames(from->client_ca_names.get(), &to->client_ca_names)) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return false;
  }
  if (to->ca_names) InstallOwnCaList(to, func);
  if (to->client_ca_names && !InstallClientCaNames(to, func)) return false;
  return true;
}

}  // namespace sslshim

// OpenSSL 3's: a connection whose handshake has begun (or is done) is not copied, the same object
// comes back with one more reference; a new one is made from the same context with the settings
// OpenSSL's copies: the session (with the certificate it shares) or else the certificate
// settings, the session ID context, options, mode, version bounds, read-ahead, the limits,
// callbacks, verification (DANE records included), ex_data, role, shutdown state, the suites and
// the CA lists.
SSLSHIM_SSL_ENTRY(SSL_dup, nullptr) {
  static constexpr char kFunc[] = "SSL_dup";
  const bool in_init = !ssl->conn()->IsInitFinished() && !ssl->conn()->InEarlyData();
  if (!in_init || !ssl->conn()->InBefore()) {
    ssl->UpRef();
    return ssl->api();
  }
  SSL* made_handle = sslshim::NewSslWithAutoChain(ssl->ctx());
  if (made_handle == nullptr) return nullptr;
  Ssl* made = sslshim::Resolve<Ssl>(made_handle, sslshim::HandleKind::kSsl).object;
  if (!sslshim::CopyConnectionSettings(made, ssl, kFunc)) {
    sslshim::FreeSsl(made);
    return nullptr;
  }
  return made_handle;
}
