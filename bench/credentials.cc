#include "credentials.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

namespace sslshim_bench {

namespace {

[[noreturn]] void DieWithOpenSslError(const char* what) {
  std::fprintf(stderr, "sslshim-bench: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

template <typename T, typename Encoder>
std::vector<uint8_t> ToDer(T* object, Encoder encode, const char* what) {
  unsigned char* der = nullptr;
  int length = encode(object, &der);
  if (length <= 0) DieWithOpenSslError(what);
  std::vector<uint8_t> bytes(der, der + length);
  OPENSSL_free(der);
  return bytes;
}

Credentials MakeSelfSignedP256() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) DieWithOpenSslError("EVP_EC_gen(P-256)");

  X509* cert = X509_new();
  X509_NAME* name = X509_NAME_new();
  if (cert == nullptr || name == nullptr) DieWithOpenSslError("X509_new");
  const auto* common_name = reinterpret_cast<const unsigned char*>("sslshim-bench");
  bool ok = X509_set_version(cert, X509_VERSION_3) &&
            ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) &&
            X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600) != nullptr &&
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, common_name, -1, -1, 0) &&
            X509_set_subject_name(cert, name) && X509_set_issuer_name(cert, name) &&
            X509_set_pubkey(cert, key) && X509_sign(cert, key, EVP_sha256()) > 0;
  if (!ok) DieWithOpenSslError("building the self-signed certificate");

  PKCS8_PRIV_KEY_INFO* pkcs8 = EVP_PKEY2PKCS8(key);
  if (pkcs8 == nullptr) DieWithOpenSslError("EVP_PKEY2PKCS8");

  Credentials credentials;
  credentials.certificate_der = ToDer(cert, i2d_X509, "i2d_X509");
  credentials.private_key_der = ToDer(pkcs8, i2d_PKCS8_PRIV_KEY_INFO, "i2d_PKCS8_PRIV_KEY_INFO");
  PKCS8_PRIV_KEY_INFO_free(pkcs8);
  X509_NAME_free(name);
  X509_free(cert);
  EVP_PKEY_free(key);
  return credentials;
}

}  // namespace

const Credentials& BenchCredentials() {
  static const Credentials credentials = MakeSelfSignedP256();
  return credentials;
}

}  // namespace sslshim_bench
