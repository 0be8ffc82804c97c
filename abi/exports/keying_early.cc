// SSL_export_keying_material_early: RFC 8446's early exporter, keyed by the early exporter secret
// a TLS 1.3 connection has only when early data was offered (client) or accepted (server). OpenSSL
// 3 answers 0, queueing nothing, on any connection without it (TLS 1.2, no early data, before the
// handshake): measured natively. A backend that keeps the secret answers itself; BoringSSL derives
// none, so a connection that has one in OpenSSL's terms fails with the reason instead of an
// answer computed from another secret.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
#include "exports/entry_point.h"

SSLSHIM_SSL_ENTRY(SSL_export_keying_material_early, 0, out, olen, label, llen, context,
                  contextlen) {
  if (ssl->conn()->HasEarlyExporter()) {
    return ssl->conn()->ExportEarlyKeyingMaterial(out, olen, label, llen, context, contextlen);
  }
  if (ssl->conn()->VersionNumber() != TLS1_3_VERSION) return 0;
  const int status = ssl->conn()->EarlyDataStatus();
  const bool has_secret = status == sslshim::kEarlyDataAccepted ||
                          (!ssl->conn()->IsServer() && status != sslshim::kEarlyDataNotSent);
  if (!has_secret) return 0;
  sslshim::PushError(ERR_LIB_SSL, ERR_R_UNSUPPORTED, "SSL_export_keying_material_early",
                     "sslshim: BoringSSL keeps no early exporter secret");
  return 0;
}
