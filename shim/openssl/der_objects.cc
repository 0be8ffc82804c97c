#include "der_objects.h"

#include <openssl/evp.h>

namespace sslshim::openssl_backend {

X509* CertificateFromDer(const std::vector<uint8_t>& der) {
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert != nullptr && p != der.data() + der.size()) {  // trailing bytes: not one certificate
    ERR_raise_data(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT,
                   "sslshim: trailing bytes after a DER certificate");
    X509_free(cert);
    return nullptr;
  }
  return cert;
}

X509_NAME* NameFromDer(const std::vector<uint8_t>& der) {
  const unsigned char* p = der.data();
  X509_NAME* name = d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size()));
  if (name != nullptr && p != der.data() + der.size()) {
    ERR_raise_data(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT,
                   "sslshim: trailing bytes after a DER distinguished name");
    X509_NAME_free(name);
    return nullptr;
  }
  return name;
}

STACK_OF(X509_NAME) * NameStackFromDer(const std::vector<std::vector<uint8_t>>& names_der) {
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  if (names == nullptr) return nullptr;
  for (const std::vector<uint8_t>& der : names_der) {
    X509_NAME* name = NameFromDer(der);
    if (name == nullptr || sk_X509_NAME_push(names, name) <= 0) {
      X509_NAME_free(name);
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      return nullptr;
    }
  }
  return names;
}

EVP_PKEY* PrivateKeyFromDer(const std::vector<uint8_t>& der) {
  const unsigned char* p = der.data();
  return d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
}

bool AppendCertificateDer(X509* cert, std::vector<std::vector<uint8_t>>* chain) {
  const int len = i2d_X509(cert, nullptr);
  if (len <= 0) return false;
  std::vector<uint8_t> der(static_cast<size_t>(len));
  unsigned char* p = der.data();
  if (i2d_X509(cert, &p) != len) return false;
  chain->push_back(std::move(der));
  return true;
}

}  // namespace sslshim::openssl_backend
