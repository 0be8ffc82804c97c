// The CA names a server sends in its CertificateRequest. The names are the program's libcrypto
// X509_NAME objects (it may inspect the list), and cross to the backend as DER.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// The names as DER for a backend, or false with OpenSSL's reason queued.
bool NamesDer(const STACK_OF(X509_NAME) * names, std::vector<std::vector<uint8_t>>* out,
              const char* func) {
  for (int i = 0; i < sk_X509_NAME_num(names); i++) {
    unsigned char* der = nullptr;
    int len = i2d_X509_NAME(sk_X509_NAME_value(names, i), &der);
    if (len <= 0) {
      PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
      return false;
    }
    out->emplace_back(der, der + len);
    OPENSSL_free(der);
  }
  return true;
}

int InstallNames(Ctx* ctx, const char* func) {
  std::vector<std::vector<uint8_t>> names;
  if (!NamesDer(ctx->client_ca_names, &names, func)) return 0;
  return FinishCtxCall(ctx, ctx->backend->SetClientCaNames(names), ERR_R_INTERNAL_ERROR, func);
}

int InstallNames(Ssl* ssl, const char* func) {
  std::vector<std::vector<uint8_t>> names;
  if (!NamesDer(ssl->client_ca_names.get(), &names, func)) return 0;
  return FinishConnCall(ssl, ssl->conn->SetClientCaNames(names), ERR_R_INTERNAL_ERROR, func);
}

// SSL_(CTX_)add_client_CA: the certificate's subject appended to `*names` (made if null).
bool AddSubject(STACK_OF(X509_NAME) * *names, X509* x, const char* func) {
  X509_NAME* name = x != nullptr ? X509_NAME_dup(X509_get_subject_name(x)) : nullptr;
  if (name == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return false;
  }
  if (*names == nullptr) *names = sk_X509_NAME_new_null();
  if (*names == nullptr || !sk_X509_NAME_push(*names, name)) {
    X509_NAME_free(name);
    return false;
  }
  return true;
}

int CompareNames(const X509_NAME* const* a, const X509_NAME* const* b) {
  return X509_NAME_cmp(*a, *b);
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_client_CA_list, , name_list) {
  sk_X509_NAME_pop_free(ctx->client_ca_names, X509_NAME_free);  // takes ownership, as OpenSSL
  ctx->client_ca_names = name_list;
  sslshim::InstallNames(ctx, "SSL_CTX_set_client_CA_list");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_client_CA_list, nullptr) { return ctx->client_ca_names; }

SSLSHIM_CTX_ENTRY(SSL_CTX_add_client_CA, 0, x) {
  static constexpr char kFunc[] = "SSL_CTX_add_client_CA";
  if (!sslshim::AddSubject(&ctx->client_ca_names, x, kFunc)) return 0;
  return sslshim::InstallNames(ctx, kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_set_client_CA_list, , name_list) {
  ssl->client_ca_names.reset(name_list);  // takes ownership, as OpenSSL
  sslshim::InstallNames(ssl, "SSL_set_client_CA_list");
}

SSLSHIM_SSL_ENTRY(SSL_add_client_CA, 0, x) {
  static constexpr char kFunc[] = "SSL_add_client_CA";
  STACK_OF(X509_NAME)* names = ssl->client_ca_names.release();
  const bool added = sslshim::AddSubject(&names, x, kFunc);
  ssl->client_ca_names.reset(names);
  return added ? sslshim::InstallNames(ssl, kFunc) : 0;
}

// OpenSSL's: a client's answer is the names the server asked for; a server's, its own list or
// its context's.
SSLSHIM_SSL_ENTRY(SSL_get_client_CA_list, nullptr) {
  if (ssl->role == sslshim::Ssl::Role::kClient) {
    return const_cast<STACK_OF(X509_NAME)*>(SSL_get0_peer_CA_list(ssl->api()));
  }
  if (ssl->client_ca_names != nullptr) return ssl->client_ca_names.get();
  return ssl->ctx->client_ca_names;
}

// OpenSSL's: the distinct subject names of the certificates in a PEM file, or NULL.
SSLSHIM_FUNCTION_ENTRY(SSL_load_client_CA_file, file) {
  static constexpr char kFunc[] = "SSL_load_client_CA_file";
  BIO* in = file != nullptr ? BIO_new_file(file, "r") : nullptr;
  if (in == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_SYS_LIB, kFunc);
    return nullptr;
  }
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new(sslshim::CompareNames);
  while (X509* x = PEM_read_bio_X509(in, nullptr, nullptr, nullptr)) {
    X509_NAME* name = X509_NAME_dup(X509_get_subject_name(x));
    X509_free(x);
    if (name == nullptr || sk_X509_NAME_find(names, name) >= 0 || !sk_X509_NAME_push(names, name)) {
      X509_NAME_free(name);
    }
  }
  BIO_free(in);
  ERR_clear_error();  // the read loop ends on "no start line"
  if (sk_X509_NAME_num(names) == 0) {
    sk_X509_NAME_free(names);
    return nullptr;
  }
  sk_X509_NAME_set_cmp_func(names, nullptr);
  return names;
}
