#include "core/fail_closed.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
#include "core/handle_table.h"
#include "core/objects.h"
#include "core/supported_ciphers.h"

namespace sslshim {
namespace {

void Mark(std::string* mark, const char* func, const std::string& what) {
  std::string setting = std::string(func) + " (" + what + ")";
  if (mark->empty()) *mark = setting;
  WarnOnce(func, ("not applied: " + what +
                  "; connections made with this object refuse to handshake (fail closed)")
                     .c_str());
}

const ErrorRecord* FirstCannotApply(const std::vector<ErrorRecord>& errors) {
  for (const ErrorRecord& e : errors) {
    if (e.backend_cannot_apply) return &e;
  }
  return nullptr;
}

}  // namespace

void MarkUnappliedSetting(Ctx* ctx, const char* func, const std::string& what) {
  Mark(&ctx->unapplied_setting, func, what);
}

void MarkUnappliedSetting(Ssl* ssl, const char* func, const std::string& what) {
  Mark(&ssl->unapplied_setting, func, what);
}

void MarkUnappliedSettingForHandle(const void* handle, const char* func, const std::string& what) {
  auto ctx = Resolve<Ctx>(handle, HandleKind::kCtx);
  if (ctx.state == HandleState::kLive) {
    MarkUnappliedSetting(ctx.object, func, what);
    return;
  }
  auto ssl = Resolve<Ssl>(handle, HandleKind::kSsl);
  if (ssl.state == HandleState::kLive) MarkUnappliedSetting(ssl.object, func, what);
}

void MarkIfBackendCannotApply(Ctx* ctx, const std::vector<ErrorRecord>& errors, const char* func) {
  if (const ErrorRecord* e = FirstCannotApply(errors)) MarkUnappliedSetting(ctx, func, e->data);
}

void MarkIfBackendCannotApply(Ssl* ssl, const std::vector<ErrorRecord>& errors, const char* func) {
  if (const ErrorRecord* e = FirstCannotApply(errors)) MarkUnappliedSetting(ssl, func, e->data);
}

bool SettingsAllowHandshake(Ssl* ssl, const char* func) {
  const std::string* unapplied = &ssl->unapplied_setting;
  if (unapplied->empty()) return true;
  std::string why =
      "sslshim: refusing to handshake: a security setting was not applied: " + *unapplied;
  PushError(ERR_LIB_SSL, SSL_R_SSL_HANDSHAKE_FAILURE, func, why.c_str());
  ssl->connection.last_error = SSL_ERROR_SSL;
  return false;
}

bool PskAllowsHandshake(Ssl* ssl, const char* func) {
  if (ssl->psk_client_callback == nullptr && ssl->psk_server_callback == nullptr) return true;
  if (ssl->conn()->HasTls13ExternalPsk() || ssl->conn()->IsInitFinished()) return true;
  const VersionWindow window = EnabledVersions(ssl->session_ctx()->method->spec, ssl->min_version,
                                               ssl->max_version, ssl->options);
  if (ssl->session_ctx()->method->spec.datagram || window.max != TLS1_3_VERSION) return true;
  PushError(ERR_LIB_SSL, SSL_R_SSL_HANDSHAKE_FAILURE, func,
            "sslshim: refusing to handshake: PSK callbacks with TLS 1.3 enabled: OpenSSL 3 would "
            "use them as a TLS 1.3 external PSK, which BoringSSL does not have; "
            "SSL_set_max_proto_version(ssl, TLS1_2_VERSION) gives a TLS 1.2 PSK handshake");
  ssl->connection.last_error = SSL_ERROR_SSL;
  return false;
}

}  // namespace sslshim
