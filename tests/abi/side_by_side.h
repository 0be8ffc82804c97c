// Running one script on OpenSSL's libssl and on the shim's stand-in in one process: the test links
// the real libssl, and the stand-in is opened RTLD_LOCAL beside it, so each name can be resolved
// in both and the two answers compared.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <string>

namespace sslshim::side_by_side {

// The stand-in, opened once per process (nullptr, with a test failure, if it cannot be).
inline void* Standin() {
  static void* lib = dlopen(SSLSHIM_STANDIN_LIB, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(lib, nullptr) << dlerror();
  return lib;
}

// The stand-in's definition of `name`; a test failure if it is missing or is the real libssl's
// (the comparison would then prove nothing).
template <typename Fn>
Fn Shim(const char* name, Fn real) {
  void* lib = Standin();
  auto fn = lib != nullptr ? reinterpret_cast<Fn>(dlsym(lib, name)) : nullptr;
  EXPECT_NE(fn, nullptr) << name;
  EXPECT_NE(reinterpret_cast<void*>(fn), reinterpret_cast<void*>(real))
      << name << " resolved to the real libssl: the comparison would prove nothing";
  return fn;
}

// "answer lib:reason" for a call (the first queued error, "-" for none), the queue emptied.
inline std::string Outcome(long ret) {
  unsigned long error = ERR_get_error();
  std::string out =
      std::to_string(ret) + " " +
      (error != 0 ? std::to_string(ERR_GET_LIB(error)) + ":" + std::to_string(ERR_GET_REASON(error))
                  : "-");
  ERR_clear_error();
  return out;
}

// A self-signed certificate for `key`, valid for an hour (nullptr if signing failed).
inline X509* SelfSignedCertificate(EVP_PKEY* key, const char* common_name) {
  X509* cert = X509_new();
  if (cert == nullptr || key == nullptr) return cert;
  X509_set_version(cert, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  X509_set_pubkey(cert, key);
  if (X509_sign(cert, key, EVP_sha256()) <= 0) {
    X509_free(cert);
    return nullptr;
  }
  return cert;
}

// Whether the stand-in runs on its OpenSSL backend (SSLSHIM_BACKEND=openssl).
inline bool OnOpenSslBackend() {
  const char* backend = std::getenv("SSLSHIM_BACKEND");
  return backend != nullptr && std::string(backend) == "openssl";
}

// A server's P-256 key and a self-signed certificate for it, made once per process.
struct Identity {
  EVP_PKEY* key;
  X509* cert;
};
inline const Identity& ServerIdentity() {
  static const Identity identity = [] {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    return Identity{key, SelfSignedCertificate(key, "side-by-side.test")};
  }();
  return identity;
}

// For a struct `Api` of function pointers listed by FIELDS as X(field, name): RealApi() fills it
// with the real libssl's definitions, ShimApi() with the stand-in's.
#define SSLSHIM_SIDE_BY_SIDE_REAL(field, name) api.field = &name;
#define SSLSHIM_SIDE_BY_SIDE_SHIM(field, name) \
  api.field = ::sslshim::side_by_side::Shim(#name, &name);
#define SSLSHIM_SIDE_BY_SIDE_API(Api, FIELDS) \
  Api RealApi() {                             \
    Api api;                                  \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_REAL)         \
    return api;                               \
  }                                           \
  Api ShimApi() {                             \
    Api api;                                  \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_SHIM)         \
    return api;                               \
  }

}  // namespace sslshim::side_by_side
