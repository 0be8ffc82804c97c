// DANE TLSA authentication of the server (SSL_CTX_dane_enable, SSL_dane_enable,
// SSL_dane_tlsa_add, ...), as OpenSSL 3's ssl_lib.c: the records live in core/dane.h, and the
// program's libcrypto matches them while it verifies the peer's chain (core/verify.cc), so a
// record that matches nothing fails the handshake as under OpenSSL.
#include "core/dane.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "core/errors.h"
#include "exports/entry_point.h"

SSLSHIM_CTX_ENTRY(SSL_CTX_dane_enable, 0) { return ctx->dane.Enable(); }

SSLSHIM_CTX_ENTRY(SSL_CTX_dane_mtype_set, 0, md, mtype, ord) {
  return ctx->dane.SetMatchingType(md, mtype, ord);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_dane_set_flags, 0, flags) { return ctx->dane.SetFlags(flags); }

SSLSHIM_CTX_ENTRY(SSL_CTX_dane_clear_flags, 0, flags) { return ctx->dane.ClearFlags(flags); }

// Enables DANE on a client: the base domain becomes the SNI name (unless one is set) and the
// name the certificate must carry (RFC 7671's reference identifier), and records may be added.
SSLSHIM_SSL_ENTRY(SSL_dane_enable, 0, basedomain) {
  static constexpr char kFunc[] = "SSL_dane_enable";
  if (!ssl->ctx()->dane.enabled()) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_CONTEXT_NOT_DANE_ENABLED, kFunc);
    return 0;
  }
  if (ssl->dane.started()) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_DANE_ALREADY_ENABLED, kFunc);
    return 0;
  }
  // The SNI name first: it refuses an empty name, which set1_host would take as "no name check".
  if (SSL_get_servername(ssl->api(), TLSEXT_NAMETYPE_host_name) == nullptr &&
      !SSL_set_tlsext_host_name(ssl->api(), basedomain)) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_ERROR_SETTING_TLSA_BASE_DOMAIN, kFunc);
    return -1;
  }
  if (!X509_VERIFY_PARAM_set1_host(ssl->param.get(), basedomain, 0)) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_ERROR_SETTING_TLSA_BASE_DOMAIN, kFunc);
    return -1;
  }
  if (!ssl->dane.Start(ssl->ctx())) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, kFunc);
    return -1;
  }
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_dane_tlsa_add, -1, usage, selector, mtype, data, dlen) {
  return ssl->dane.AddRecord(usage, selector, mtype, data, dlen, "SSL_dane_tlsa_add");
}

SSLSHIM_SSL_ENTRY(SSL_dane_set_flags, 0, flags) { return ssl->dane.SetFlags(flags); }

SSLSHIM_SSL_ENTRY(SSL_dane_clear_flags, 0, flags) { return ssl->dane.ClearFlags(flags); }

// The connection's DANE state, as libcrypto's X509_STORE_CTX_set0_dane takes it (a program that
// verifies in its own callback hands it over so).
SSLSHIM_SSL_ENTRY(SSL_get0_dane, nullptr) { return ssl->dane.api(); }

// What the last verification matched: its depth, or -1 when DANE is off or verification failed.
SSLSHIM_SSL_ENTRY(SSL_get0_dane_authority, -1, mcert, mspki) {
  return ssl->dane.Authority(ssl->connection.verify_result, mcert, mspki);
}

SSLSHIM_SSL_ENTRY(SSL_get0_dane_tlsa, -1, usage, selector, mtype, data, dlen) {
  return ssl->dane.MatchedRecord(ssl->connection.verify_result, usage, selector, mtype, data, dlen);
}
