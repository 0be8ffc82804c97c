// Ownership of the program's libcrypto objects held by the shim, as bssl::UniquePtr: the type says
// the object is owned and frees it with its own *_free, so no destructor or error path has to.
#pragma once

#include <openssl/ct.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include <memory>

namespace sslshim {

template <typename T>
struct Deleter;

#define SSLSHIM_DEFINE_DELETER(type, free_function)                \
  template <>                                                      \
  struct Deleter<type> {                                           \
    void operator()(type* object) const { free_function(object); } \
  };

SSLSHIM_DEFINE_DELETER(EVP_PKEY, EVP_PKEY_free)
SSLSHIM_DEFINE_DELETER(X509, X509_free)
SSLSHIM_DEFINE_DELETER(X509_STORE, X509_STORE_free)
SSLSHIM_DEFINE_DELETER(CTLOG_STORE, CTLOG_STORE_free)

// A stack owns its names.
template <>
struct Deleter<STACK_OF(X509_NAME)> {
  void operator()(STACK_OF(X509_NAME) * names) const {
    sk_X509_NAME_pop_free(names, X509_NAME_free);
  }
};
// A stack owns its certificates.
template <>
struct Deleter<STACK_OF(X509)> {
  void operator()(STACK_OF(X509) * certificates) const {
    sk_X509_pop_free(certificates, X509_free);
  }
};
// A stack owns its extensions.
template <>
struct Deleter<STACK_OF(X509_EXTENSION)> {
  void operator()(STACK_OF(X509_EXTENSION) * extensions) const {
    sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
  }
};
// SRTP profile lists: the profiles themselves are static (exports/srtp.cc).
template <>
struct Deleter<STACK_OF(SRTP_PROTECTION_PROFILE)> {
  void operator()(STACK_OF(SRTP_PROTECTION_PROFILE) * profiles) const {
    sk_SRTP_PROTECTION_PROFILE_free(profiles);
  }
};
// A connection's or context's cipher list as SSL_get_ciphers hands it out: the stack is owned,
// its items are the library's static descriptions.
template <>
struct Deleter<STACK_OF(SSL_CIPHER)> {
  void operator()(STACK_OF(SSL_CIPHER) * ciphers) const { sk_SSL_CIPHER_free(ciphers); }
};
template <>
struct Deleter<STACK_OF(SCT)> {
  void operator()(STACK_OF(SCT) * scts) const { SCT_LIST_free(scts); }
};
SSLSHIM_DEFINE_DELETER(CT_POLICY_EVAL_CTX, CT_POLICY_EVAL_CTX_free)
SSLSHIM_DEFINE_DELETER(X509_VERIFY_PARAM, X509_VERIFY_PARAM_free)
SSLSHIM_DEFINE_DELETER(X509_STORE_CTX, X509_STORE_CTX_free)
SSLSHIM_DEFINE_DELETER(X509_NAME, X509_NAME_free)
SSLSHIM_DEFINE_DELETER(BIO, BIO_free)
SSLSHIM_DEFINE_DELETER(BIO_METHOD, BIO_meth_free)
SSLSHIM_DEFINE_DELETER(PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free)
SSLSHIM_DEFINE_DELETER(EVP_MD, EVP_MD_free)
SSLSHIM_DEFINE_DELETER(EVP_CIPHER, EVP_CIPHER_free)
SSLSHIM_DEFINE_DELETER(EVP_MD_CTX, EVP_MD_CTX_free)
SSLSHIM_DEFINE_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free)
SSLSHIM_DEFINE_DELETER(EVP_KEYMGMT, EVP_KEYMGMT_free)
SSLSHIM_DEFINE_DELETER(EVP_MAC, EVP_MAC_free)
SSLSHIM_DEFINE_DELETER(SCT, SCT_free)
SSLSHIM_DEFINE_DELETER(OCSP_RESPONSE, OCSP_RESPONSE_free)
SSLSHIM_DEFINE_DELETER(OCSP_BASICRESP, OCSP_BASICRESP_free)
SSLSHIM_DEFINE_DELETER(ASN1_OCTET_STRING, ASN1_OCTET_STRING_free)
SSLSHIM_DEFINE_DELETER(SSL_CONF_CTX, SSL_CONF_CTX_free)
SSLSHIM_DEFINE_DELETER(OSSL_STORE_INFO, OSSL_STORE_INFO_free)
SSLSHIM_DEFINE_DELETER(OSSL_STORE_CTX, OSSL_STORE_close)

#undef SSLSHIM_DEFINE_DELETER

template <typename T>
using UniquePtr = std::unique_ptr<T, Deleter<T>>;

// Pushes `item` onto `stack`, which then owns it; when the push fails, `item` is freed. As
// bssl::PushToStack.
inline bool PushToStack(STACK_OF(X509_NAME) * stack, UniquePtr<X509_NAME> item) {
  if (stack == nullptr || sk_X509_NAME_push(stack, item.get()) <= 0) return false;
  item.release();
  return true;
}
inline bool PushToStack(STACK_OF(X509) * stack, UniquePtr<X509> item) {
  if (stack == nullptr || sk_X509_push(stack, item.get()) <= 0) return false;
  item.release();
  return true;
}

// Bytes from the program's OPENSSL_malloc, given to the shim to keep (an OCSP response).
struct OpenSslFree {
  void operator()(unsigned char* bytes) const { OPENSSL_free(bytes); }
};
using OpenSslBytes = std::unique_ptr<unsigned char, OpenSslFree>;

}  // namespace sslshim
