// Certificate transparency (SSL_CTX_enable_ct, SSL_set_ct_validation_callback,
// SSL_get0_peer_scts), as OpenSSL 3's ssl_lib.c: enabling it asks for the server's SCTs and for
// OCSP status (SCTs come stapled too); the core validates them inside the peer's verification
// (core/certificate_transparency.h).
#include "core/certificate_transparency.h"

#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/errors.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// The callback SSL_*_enable_ct installs for `validation_mode`; nullptr, with OpenSSL's error, for
// an unknown mode.
ssl_ct_validation_cb BuiltInValidation(int validation_mode, const char* func) {
  switch (validation_mode) {
    case SSL_CT_VALIDATION_PERMISSIVE:
      return PermissiveCtValidation;
    case SSL_CT_VALIDATION_STRICT:
      return StrictCtValidation;
    default:
      PushError(ERR_LIB_SSL, SSL_R_INVALID_CT_VALIDATION_TYPE, func);
      return nullptr;
  }
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_ct_validation_callback, 0, callback, arg) {
  if (callback != nullptr) ctx->status_type = TLSEXT_STATUSTYPE_ocsp;  // SCTs come stapled too
  ctx->ct_callback = callback;
  ctx->ct_arg = arg;
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_set_ct_validation_callback, 0, callback, arg) {
  if (callback != nullptr) {
    ssl->status_type = TLSEXT_STATUSTYPE_ocsp;
    ssl->conn()->RequestOcspStatus();
    ssl->conn()->RequestSignedCertTimestamps();
  }
  ssl->ct_callback = callback;
  ssl->ct_arg = arg;
  return 1;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_enable_ct, 0, validation_mode) {
  ssl_ct_validation_cb callback = sslshim::BuiltInValidation(validation_mode, "SSL_CTX_enable_ct");
  return callback != nullptr && SSL_CTX_set_ct_validation_callback(ctx->api(), callback, nullptr);
}

SSLSHIM_SSL_ENTRY(SSL_enable_ct, 0, validation_mode) {
  ssl_ct_validation_cb callback = sslshim::BuiltInValidation(validation_mode, "SSL_enable_ct");
  return callback != nullptr && SSL_set_ct_validation_callback(ssl->api(), callback, nullptr);
}

SSLSHIM_SSL_ENTRY(SSL_ct_is_enabled, 0) { return ssl->ct_callback != nullptr; }

SSLSHIM_CTX_ENTRY(SSL_CTX_ct_is_enabled, 0) { return ctx->ct_callback != nullptr; }

SSLSHIM_SSL_ENTRY(SSL_get0_peer_scts, nullptr) {
  return sslshim::PeerScts(ssl, SSL_get0_peer_certificate(ssl->api()));
}
