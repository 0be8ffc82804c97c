// The settings that restrict what a connection accepts, beyond versions, suites and groups (which
// ctrl.cc and ciphers.cc serve): the security level, the verification parameters (host names, IP
// address, purpose, trust, the whole X509_VERIFY_PARAM), the verification store, and the TLS 1.3
// suites of one connection.
//
// Verification runs in the core with the program's own libcrypto (core/verify.cc), so every
// verification parameter is applied exactly as OpenSSL applies it; the security level also goes
// to the backend, which either applies it to the handshake or fails closed (core/fail_closed.h).
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>
#include <string>

#include "core/fail_closed.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

namespace sslshim {

void ApplySecurityLevel(Ctx* ctx, int level, const char* func) {
  ctx->security_level = level;
  FinishCtxCall(ctx, ctx->backend()->SetSecurityLevel(level), 0, func);
}

void ApplySecurityLevel(Ssl* ssl, int level, const char* func) {
  ssl->security_level = level;
  FinishConnCall(ssl, ssl->conn()->SetSecurityLevel(level), 0, func);
}

int SecurityLevelMinimumBits(int level) {
  static constexpr int kMinBits[] = {0, 80, 112, 128, 192, 256};
  return kMinBits[level < 0 ? 0 : level > 5 ? 5 : level];
}

int SecurityLevelInCipherString(const char* list) {
  static constexpr char kCommand[] = "@SECLEVEL=";
  if (list == nullptr) return -1;
  int level = -1;
  // As OpenSSL: the last command wins; a level is one digit, 0 to 5.
  for (const char* p = strstr(list, kCommand); p != nullptr; p = strstr(p + 1, kCommand)) {
    char digit = p[sizeof kCommand - 1];
    if (digit >= '0' && digit <= '5') level = digit - '0';
  }
  return level;
}

}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_security_level, , level) {
  sslshim::ApplySecurityLevel(ctx, level, "SSL_CTX_set_security_level");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_security_level, 0) { return ctx->security_level; }

SSLSHIM_SSL_ENTRY(SSL_set_security_level, , level) {
  sslshim::ApplySecurityLevel(ssl, level, "SSL_set_security_level");
}

SSLSHIM_SSL_ENTRY(SSL_get_security_level, 0) { return ssl->security_level; }

SSLSHIM_SSL_ENTRY(SSL_set_ciphersuites, 0, str) {
  bool ok = str != nullptr && ssl->conn()->SetCiphersuites(str);
  if (!sslshim::FinishConnCall(ssl, ok, SSL_R_NO_CIPHER_MATCH, "SSL_set_ciphersuites")) return 0;
  ssl->ciphersuites = std::make_unique<std::string>(str);
  return 1;
}

// --- Verification parameters, applied by the core's verification -------------------------------

SSLSHIM_CTX_ENTRY(SSL_CTX_set1_param, 0, vpm) {
  return X509_VERIFY_PARAM_set1(ctx->param.get(), vpm);
}

SSLSHIM_SSL_ENTRY(SSL_set1_param, 0, vpm) { return X509_VERIFY_PARAM_set1(ssl->param.get(), vpm); }

// OpenSSL 3: a name that parses as an IP address is the address to check, not a host name.
SSLSHIM_SSL_ENTRY(SSL_set1_host, 0, hostname) {
  if (hostname != nullptr && X509_VERIFY_PARAM_set1_ip_asc(ssl->param.get(), hostname) == 1)
    return 1;
  return X509_VERIFY_PARAM_set1_host(ssl->param.get(), hostname, 0);
}

// As OpenSSL 3: an IP address is set as the one address (there can be only one); a name is added.
SSLSHIM_SSL_ENTRY(SSL_add1_host, 0, hostname) {
  if (hostname != nullptr) {
    if (sslshim::UniquePtr<ASN1_OCTET_STRING>(a2i_IPADDRESS(hostname)) != nullptr) {
      char* old_ip = X509_VERIFY_PARAM_get1_ip_asc(ssl->param.get());
      if (old_ip != nullptr) {
        OPENSSL_free(old_ip);
        return 0;
      }
      return X509_VERIFY_PARAM_set1_ip_asc(ssl->param.get(), hostname);
    }
  }
  return X509_VERIFY_PARAM_add1_host(ssl->param.get(), hostname, 0);
}

SSLSHIM_SSL_ENTRY(SSL_set_hostflags, , flags) {
  X509_VERIFY_PARAM_set_hostflags(ssl->param.get(), flags);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_purpose, 0, purpose) {
  return X509_VERIFY_PARAM_set_purpose(ctx->param.get(), purpose);
}

SSLSHIM_SSL_ENTRY(SSL_set_purpose, 0, purpose) {
  return X509_VERIFY_PARAM_set_purpose(ssl->param.get(), purpose);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_trust, 0, trust) {
  return X509_VERIFY_PARAM_set_trust(ctx->param.get(), trust);
}

SSLSHIM_SSL_ENTRY(SSL_set_trust, 0, trust) {
  return X509_VERIFY_PARAM_set_trust(ssl->param.get(), trust);
}

// As SSL_CTX_set_cert_store, with a reference of its own.
SSLSHIM_CTX_ENTRY(SSL_CTX_set1_cert_store, , store) {
  if (store != nullptr && !X509_STORE_up_ref(store)) return;
  ctx->store.reset(store != nullptr ? store : X509_STORE_new());
}
