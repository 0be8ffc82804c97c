// OpenSSL 3's CA list (SSL_CTX_set0_CA_list and friends): the names a side sends in the TLS 1.3
// certificate_authorities extension, kept apart from the client CA list, which a server still
// prefers for its CertificateRequest where it is not empty. The names are the program's
// libcrypto objects (the getters hand them out) and cross to the backend as DER.
#include <openssl/err.h>
#include <openssl/lhash.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include <cstring>
#include <utility>
#include <vector>

#include "core/errors.h"
#include "exports/cert_io.h"
#include "exports/conn_copy.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// OpenSSL's setters and adders answer nothing about the backend: a list it refuses (a name that
// does not encode) is reported on the queue and the connection goes on without it.
void InstallCaList(Ctx* ctx, const char* func) {
  std::vector<std::vector<uint8_t>> names;
  bool ok = NameListDer(ctx->ca_names.get(), &names);
  ok = ok && ctx->backend()->SetCaNames(ctx->ca_names ? &names : nullptr);
  FinishCtxCall(ctx, ok, ERR_R_INTERNAL_ERROR, func);
}

void InstallCaList(Ssl* ssl, const char* func) {
  std::vector<std::vector<uint8_t>> names;
  bool ok = NameListDer(ssl->ca_names.get(), &names);
  ok = ok && ssl->conn()->SetCaNames(ssl->ca_names ? &names : nullptr);
  FinishConnCall(ssl, ok, ERR_R_INTERNAL_ERROR, func);
}

// OpenSSL's add_ca_name: the certificate's subject appended (the list made if there is none);
// 0 without a word for a null certificate.
bool AddCaName(UniquePtr<STACK_OF(X509_NAME)>* names, const X509* x) {
  if (x == nullptr) return false;
  if (*names == nullptr) names->reset(sk_X509_NAME_new_null());
  if (*names == nullptr) return false;
  UniquePtr<X509_NAME> name(X509_NAME_dup(X509_get_subject_name(x)));
  return name != nullptr && PushToStack(names->get(), std::move(name));
}

}  // namespace

void InstallOwnCaList(Ssl* ssl, const char* func) { InstallCaList(ssl, func); }

}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set0_CA_list, , name_list) {
  ctx->ca_names.reset(name_list);  // takes ownership, freeing the old list, as OpenSSL
  sslshim::InstallCaList(ctx, "SSL_CTX_set0_CA_list");
}

SSLSHIM_SSL_ENTRY(SSL_set0_CA_list, , name_list) {
  ssl->ca_names.reset(name_list);
  sslshim::InstallCaList(ssl, "SSL_set0_CA_list");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get0_CA_list, nullptr) { return ctx->ca_names.get(); }

// OpenSSL's: the connection's own list, else its current context's.
SSLSHIM_SSL_ENTRY(SSL_get0_CA_list, nullptr) {
  return ssl->ca_names != nullptr ? ssl->ca_names.get() : ssl->ctx()->ca_names.get();
}

SSLSHIM_CTX_ENTRY(SSL_CTX_add1_to_CA_list, 0, x) {
  if (!sslshim::AddCaName(&ctx->ca_names, x)) return 0;
  sslshim::InstallCaList(ctx, "SSL_CTX_add1_to_CA_list");
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_add1_to_CA_list, 0, x) {
  if (!sslshim::AddCaName(&ssl->ca_names, x)) return 0;
  sslshim::InstallCaList(ssl, "SSL_add1_to_CA_list");
  return 1;
}

// libssl's own hash table of names (its ssl_local.h defines it the same way).
DEFINE_LHASH_OF(X509_NAME);

namespace sslshim {

// The table does not own its names (the stack it indexes does).
template <>
struct Deleter<LHASH_OF(X509_NAME)> {
  void operator()(LHASH_OF(X509_NAME) * table) const { lh_X509_NAME_free(table); }
};

namespace {

// OpenSSL's comparison of names for these functions: their DER, shorter first.
int CompareNameDer(const X509_NAME* a, const X509_NAME* b) {
  unsigned char* a_der = nullptr;
  unsigned char* b_der = nullptr;
  const int a_len = i2d_X509_NAME(a, &a_der);
  const int b_len = i2d_X509_NAME(b, &b_der);
  OpenSslBytes a_owned(a_der), b_owned(b_der);
  if (a_len < 0 || b_len < 0) return -2;
  if (a_len != b_len) return a_len - b_len;
  return std::memcmp(a_der, b_der, static_cast<size_t>(a_len));
}

int CompareNameDerInStack(const X509_NAME* const* a, const X509_NAME* const* b) {
  return CompareNameDer(*a, *b);
}

unsigned long HashName(const X509_NAME* name) {
  return X509_NAME_hash_ex(name, nullptr, nullptr, nullptr);  // 0 when SHA-1 is not there
}

// The subject of each certificate an OSSL_STORE URI holds, added to `stack` unless there (and
// from the URIs it lists, `depth` levels down). As OpenSSL's: false when the store cannot be
// opened or a name not added (the reasons left queued); otherwise what the last listed URI's
// answer was (true if none), with the queue cleared.
bool AddStoreSubjects(STACK_OF(X509_NAME) * stack, const char* uri, int depth) {
  UniquePtr<OSSL_STORE_CTX> store(OSSL_STORE_open(uri, nullptr, nullptr, nullptr, nullptr));
  if (store == nullptr) return false;
  bool ok = true;
  bool failed = false;
  while (!failed && !OSSL_STORE_eof(store.get()) && !OSSL_STORE_error(store.get())) {
    UniquePtr<OSSL_STORE_INFO> info(OSSL_STORE_load(store.get()));
    if (info == nullptr) continue;
    const int type = OSSL_STORE_INFO_get_type(info.get());
    if (type == OSSL_STORE_INFO_NAME) {
      if (depth > 0) {
        ok = AddStoreSubjects(stack, OSSL_STORE_INFO_get0_NAME(info.get()), depth - 1);
      }
    } else if (type == OSSL_STORE_INFO_CERT) {
      X509* x = OSSL_STORE_INFO_get0_CERT(info.get());
      UniquePtr<X509_NAME> name(x != nullptr ? X509_NAME_dup(X509_get_subject_name(x)) : nullptr);
      if (name == nullptr) {
        failed = true;
      } else if (sk_X509_NAME_find(stack, name.get()) < 0 && !PushToStack(stack, std::move(name))) {
        failed = true;
      }
    }
  }
  if (!failed) ERR_clear_error();
  return ok && !failed;
}

}  // namespace
}  // namespace sslshim

// OpenSSL's: every certificate in the store (a file, a directory: one level down) adds its
// subject unless the stack has it; the stack keeps its comparison function.
SSLSHIM_FUNCTION_ENTRY(SSL_add_store_cert_subjects_to_stack, stack, store) {
  auto* previous = sk_X509_NAME_set_cmp_func(stack, sslshim::CompareNameDerInStack);
  const bool ok = sslshim::AddStoreSubjects(stack, store, 1);
  sk_X509_NAME_set_cmp_func(stack, previous);
  return ok ? 1 : 0;
}

// OpenSSL's SSL_load_client_CA_file_ex: the distinct subjects of the file's certificates, in file
// order, the certificates read under the library context and property query given; NULL when the
// file cannot be read or has none.
SSLSHIM_FUNCTION_ENTRY(SSL_load_client_CA_file_ex, file, libctx, propq) {
  using sslshim::UniquePtr;
  UniquePtr<BIO> in(BIO_new(BIO_s_file()));
  UniquePtr<LHASH_OF(X509_NAME)> seen(lh_X509_NAME_new(sslshim::HashName, sslshim::CompareNameDer));
  UniquePtr<X509> x;
  UniquePtr<STACK_OF(X509_NAME)> names;
  OSSL_LIB_CTX* previous_libctx = nullptr;
  bool switched_libctx = false;
  bool ok = false;
  if (in == nullptr || seen == nullptr) {
    ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
  } else if (x.reset(X509_new_ex(libctx, propq)), x == nullptr) {
    ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
  } else if (BIO_read_filename(in.get(), file) > 0) {
    // The hash of a name needs SHA-1 from the library context given.
    previous_libctx = OSSL_LIB_CTX_set0_default(libctx);
    switched_libctx = true;
    ok = true;
    // PEM_read_bio_X509 reads into the certificate it is given, or frees it and sets the
    // pointer to NULL when a block does not decode: the pointer is owned again after the loop.
    X509* read_into = x.release();
    while (ok && PEM_read_bio_X509(in.get(), &read_into, nullptr, nullptr) != nullptr) {
      if (names == nullptr && (names.reset(sk_X509_NAME_new_null()), names == nullptr)) {
        ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
        ok = false;
        break;
      }
      UniquePtr<X509_NAME> name(X509_NAME_dup(X509_get_subject_name(read_into)));
      if (name == nullptr) {
        ok = false;
      } else if (lh_X509_NAME_retrieve(seen.get(), name.get()) == nullptr) {
        // The table only points at the names the stack owns.
        lh_X509_NAME_insert(seen.get(), name.get());
        ok = sslshim::PushToStack(names.get(), std::move(name));
      }
    }
    x.reset(read_into);
  }
  if (!ok) names.reset();
  if (switched_libctx) OSSL_LIB_CTX_set0_default(previous_libctx);
  if (names != nullptr) ERR_clear_error();
  return names.release();
}
