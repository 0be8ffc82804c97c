// Certificates and keys as the program hands them over (objects or files, read with the program's
// own libcrypto, so password callbacks and error codes are OpenSSL's), turned into what crosses to
// a backend (DER). Shared by the SSL_CTX_use_* and SSL_use_* entry points.
#pragma once

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "core/unique_ptr.h"

namespace sslshim {

// RSA keys are handled only by the exports, which are built with OpenSSL's deprecated
// declarations (the core is not).
template <>
struct Deleter<RSA> {
  void operator()(RSA* rsa) const { RSA_free(rsa); }
};

std::vector<uint8_t> CertificateDer(X509* x);  // empty on failure
// Each name's DER appended to *out (CA lists for a backend); false when one cannot be encoded.
bool NameListDer(const STACK_OF(X509_NAME) * names, std::vector<std::vector<uint8_t>>* out);
std::vector<uint8_t> Pkcs8Der(EVP_PKEY* pkey);  // empty on failure (an OpenSSL error is pushed)

// Read one certificate / private key from a file, PEM or ASN1 (SSL_FILETYPE_*); nullptr with an
// OpenSSL error on failure, reported as `func`.
UniquePtr<X509> ReadCertificateFile(const char* file, int type, pem_password_cb* cb, void* userdata,
                                    const char* func);
UniquePtr<EVP_PKEY> ReadPrivateKeyFile(const char* file, int type, pem_password_cb* cb,
                                       void* userdata, const char* func);
// An RSA private key from a file (SSL_(CTX_)use_RSAPrivateKey_file: PEM RSA PRIVATE KEY or
// PKCS#1 DER), wrapped in an EVP_PKEY; nullptr with OpenSSL's error on failure.
UniquePtr<EVP_PKEY> ReadRsaPrivateKeyFile(const char* file, int type, pem_password_cb* cb,
                                          void* userdata, const char* func);
// An RSA key the program passes (SSL_(CTX_)use_RSAPrivateKey), as an EVP_PKEY with its own
// reference to it; nullptr with OpenSSL's error for a null key.
UniquePtr<EVP_PKEY> WrapRsaKey(RSA* rsa, const char* func);
// A PEM chain file: the leaf into *leaf, the rest into *rest (a new stack, or null when the file
// holds the leaf alone). false with an error.
bool ReadChainFile(const char* file, pem_password_cb* cb, void* userdata, UniquePtr<X509>* leaf,
                   UniquePtr<STACK_OF(X509)>* rest, const char* func);

// Where a certificate or key goes: an SSL_CTX or one SSL. The install functions hand DER to the
// backend; `finish` moves the backend's errors to the program's queue (core FinishCtxCall style).
struct CertTarget {
  UniquePtr<X509>* certificate;
  UniquePtr<EVP_PKEY>* private_key;
  std::function<const STACK_OF(X509) * ()> sent_chain;  // what follows the leaf, or null
  std::function<bool(const std::vector<std::vector<uint8_t>>&)> install_chain;
  std::function<bool(const std::vector<uint8_t>&)> install_key;
  std::function<int(bool ok, int silent_reason, const char* func)> finish;
  // A context's: makes the key type (EVP_PKEY_RSA, _EC, ...) current, as OpenSSL does when a
  // certificate or key of that type is set, keeping the other type's (exports/cert_choice.h);
  // true when the current key type changed. Null for a connection, which keeps one.
  std::function<bool(int key_type)> select_key_type;
};

class Ctx;
class Ssl;
CertTarget TargetOf(Ctx* ctx);  // exports/ctx_certs.cc
CertTarget TargetOf(Ssl* ssl);  // exports/conn_certs.cc

// SSL_(CTX_)use_certificate and SSL_(CTX_)use_PrivateKey on a target: 1, or 0 with an error.
int UseCertificate(const CertTarget& target, X509* x, const char* func);
int UsePrivateKey(const CertTarget& target, EVP_PKEY* pkey, const char* func);
// What a client certificate callback answered, on its connection: SSL_use_certificate, then
// SSL_use_PrivateKey (OpenSSL's order, errors left on the queue). True when both were taken.
bool UseClientCertificate(Ssl* ssl, X509* x, EVP_PKEY* pkey);
// SSL_(CTX_)check_private_key.
int CheckPrivateKey(X509* certificate, EVP_PKEY* private_key, const char* func);

}  // namespace sslshim
