// The CA names a server sends in its CertificateRequest. The names are the program's libcrypto
// X509_NAME objects (it may inspect the list), and cross to the backend as DER.
#include <dirent.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <string>
#include <utility>

#include "core/errors.h"
#include "exports/cert_io.h"
#include "exports/conn_copy.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// The names as DER for a backend, or false with OpenSSL's reason queued.
bool NamesDer(const STACK_OF(X509_NAME) * names, std::vector<std::vector<uint8_t>>* out,
              const char* func) {
  if (NameListDer(names, out)) return true;
  PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
  return false;
}

int InstallNames(Ctx* ctx, const char* func) {
  std::vector<std::vector<uint8_t>> names;
  if (!NamesDer(ctx->client_ca_names.get(), &names, func)) return 0;
  return FinishCtxCall(ctx, ctx->backend()->SetClientCaNames(names), ERR_R_INTERNAL_ERROR, func);
}

int InstallNames(Ssl* ssl, const char* func) {
  std::vector<std::vector<uint8_t>> names;
  if (!NamesDer(ssl->client_ca_names.get(), &names, func)) return 0;
  return FinishConnCall(ssl, ssl->conn()->SetClientCaNames(names), ERR_R_INTERNAL_ERROR, func);
}

// SSL_(CTX_)add_client_CA: the certificate's subject appended to `*names` (made if null).
bool AddSubject(UniquePtr<STACK_OF(X509_NAME)>* names, X509* x, const char* func) {
  UniquePtr<X509_NAME> name(x != nullptr ? X509_NAME_dup(X509_get_subject_name(x)) : nullptr);
  if (name == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return false;
  }
  if (*names == nullptr) names->reset(sk_X509_NAME_new_null());
  return PushToStack(names->get(), std::move(name));
}

int CompareNames(const X509_NAME* const* a, const X509_NAME* const* b) {
  return X509_NAME_cmp(*a, *b);
}

}  // namespace

int InstallClientCaNames(Ssl* ssl, const char* func) { return InstallNames(ssl, func); }
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_client_CA_list, , name_list) {
  ctx->client_ca_names.reset(name_list);  // takes ownership, as OpenSSL
  sslshim::InstallNames(ctx, "SSL_CTX_set_client_CA_list");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_client_CA_list, nullptr) { return ctx->client_ca_names.get(); }

// OpenSSL's: a deep copy (an empty stack for NULL), or NULL when memory runs out.
SSLSHIM_FUNCTION_ENTRY(SSL_dup_CA_list, sk) {
  sslshim::UniquePtr<STACK_OF(X509_NAME)> copy(sk_X509_NAME_new_null());
  if (copy == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_dup_CA_list");
    return nullptr;
  }
  for (int i = 0; i < sk_X509_NAME_num(sk); i++) {
    sslshim::UniquePtr<X509_NAME> name(X509_NAME_dup(sk_X509_NAME_value(sk, i)));
    if (name == nullptr || !sslshim::PushToStack(copy.get(), std::move(name))) return nullptr;
  }
  return copy.release();
}

SSLSHIM_CTX_ENTRY(SSL_CTX_add_client_CA, 0, x) {
  static constexpr char kFunc[] = "SSL_CTX_add_client_CA";
  if (!sslshim::AddSubject(&ctx->client_ca_names, x, kFunc)) return 0;
  return sslshim::InstallNames(ctx, kFunc);
}

// A server connection's own names (haproxy sets them from its client hello callback, with the
// context it then moves the connection to); as OpenSSL, the list is taken over.
SSLSHIM_SSL_ENTRY(SSL_set_client_CA_list, , name_list) {
  ssl->client_ca_names.reset(name_list);
  sslshim::InstallNames(ssl, "SSL_set_client_CA_list");
}

SSLSHIM_SSL_ENTRY(SSL_add_client_CA, 0, x) {
  static constexpr char kFunc[] = "SSL_add_client_CA";
  if (!sslshim::AddSubject(&ssl->client_ca_names, x, kFunc)) return 0;
  return sslshim::InstallNames(ssl, kFunc);
}

// OpenSSL's: a client's answer is the names the server asked for; a server's, its own list or
// its context's.
SSLSHIM_SSL_ENTRY(SSL_get_client_CA_list, nullptr) {
  if (ssl->role == sslshim::Ssl::Role::kClient) {
    return const_cast<STACK_OF(X509_NAME)*>(SSL_get0_peer_CA_list(ssl->api()));
  }
  if (ssl->client_ca_names != nullptr) return ssl->client_ca_names.get();
  return ssl->ctx()->client_ca_names.get();
}

// OpenSSL's: the distinct subject names of the certificates in a PEM file, or NULL.
namespace sslshim {
namespace {

// The subject names of the certificates in a PEM file, added to `names` (sorted by
// CompareNames) unless there already; false when the file cannot be opened.
bool AddFileSubjects(STACK_OF(X509_NAME) * names, const char* file, const char* func) {
  UniquePtr<BIO> in(file != nullptr ? BIO_new_file(file, "r") : nullptr);
  if (in == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_SYS_LIB, func);
    return false;
  }
  while (UniquePtr<X509> x =
             UniquePtr<X509>(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr))) {
    UniquePtr<X509_NAME> name(X509_NAME_dup(X509_get_subject_name(x.get())));
    if (name != nullptr && sk_X509_NAME_find(names, name.get()) < 0) {
      PushToStack(names, std::move(name));  // a name that cannot be added is left out
    }
  }
  ERR_clear_error();  // the read loop ends on "no start line"
  return true;
}

}  // namespace
}  // namespace sslshim

SSLSHIM_FUNCTION_ENTRY(SSL_load_client_CA_file, file) {
  sslshim::UniquePtr<STACK_OF(X509_NAME)> names(sk_X509_NAME_new(sslshim::CompareNames));
  if (names == nullptr) return nullptr;
  if (!sslshim::AddFileSubjects(names.get(), file, "SSL_load_client_CA_file") ||
      sk_X509_NAME_num(names.get()) == 0) {
    return nullptr;
  }
  sk_X509_NAME_set_cmp_func(names.get(), nullptr);
  return names.release();
}

// OpenSSL's: the file's subjects are added to the program's stack, each once; 1, or 0 when the
// file cannot be read. The stack keeps its own order and comparison function.
SSLSHIM_FUNCTION_ENTRY(SSL_add_file_cert_subjects_to_stack, stack, file) {
  static constexpr char kFunc[] = "SSL_add_file_cert_subjects_to_stack";
  if (stack == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, kFunc);
    return 0;
  }
  auto* cmp = sk_X509_NAME_set_cmp_func(stack, sslshim::CompareNames);
  bool ok = sslshim::AddFileSubjects(stack, file, kFunc);
  sk_X509_NAME_set_cmp_func(stack, cmp);
  return ok ? 1 : 0;
}

// OpenSSL's: every file in the directory, as above; 0 when the directory cannot be read.
SSLSHIM_FUNCTION_ENTRY(SSL_add_dir_cert_subjects_to_stack, stack, dir) {
  static constexpr char kFunc[] = "SSL_add_dir_cert_subjects_to_stack";
  if (stack == nullptr || dir == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, kFunc);
    return 0;
  }
  DIR* d = opendir(dir);
  if (d == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_SYS_LIB, kFunc, dir);
    return 0;
  }
  int ret = 1;
  while (const dirent* entry = readdir(d)) {
    std::string path = std::string(dir) + "/" + entry->d_name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (!SSL_add_file_cert_subjects_to_stack(stack, path.c_str())) {
      ret = 0;
      break;
    }
  }
  closedir(d);
  return ret;
}
