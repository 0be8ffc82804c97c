// Certificates and keys cross the backend interface as DER; these turn them into the libcrypto
// objects the real libssl takes, for a context (SSL_CTX_*) or a connection (SSL_*) alike.
#pragma once

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <vector>

namespace sslshim::openssl_backend {

// One certificate; nullptr (d2i_X509's reason on the queue) if `der` is not exactly one.
X509* CertificateFromDer(const std::vector<uint8_t>& der);
// One distinguished name; nullptr (with a reason on the queue) if `der` is not exactly one.
X509_NAME* NameFromDer(const std::vector<uint8_t>& der);
// A stack of them (SSL(_CTX)_set_client_CA_list's list, owned by the caller); nullptr if one is
// not a name.
STACK_OF(X509_NAME) * NameStackFromDer(const std::vector<std::vector<uint8_t>>& names_der);
// A private key in PKCS#8 (or a traditional encoding d2i_AutoPrivateKey knows); nullptr if not.
EVP_PKEY* PrivateKeyFromDer(const std::vector<uint8_t>& der);
// Appends `cert` as DER; false if it cannot be encoded.
bool AppendCertificateDer(X509* cert, std::vector<std::vector<uint8_t>>* chain);

// The whole chain, as SSL(_CTX)_use_certificate_chain_file sets it: the leaf, and the rest
// replacing whatever chain the target had. `use` is the real SSL(_CTX)_use_certificate and
// `ctrl` the real SSL(_CTX)_ctrl, both from the RealLibssl table.
template <typename Target>
bool UseCertificateChainDer(Target* target, int (*use)(Target*, X509*),
                            long (*ctrl)(Target*, int, long, void*),
                            const std::vector<std::vector<uint8_t>>& chain_der) {
  if (chain_der.empty()) {
    ERR_raise(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER);
    return false;
  }
  X509* leaf = CertificateFromDer(chain_der[0]);
  if (leaf == nullptr) return false;
  const bool leaf_used = use(target, leaf) == 1;
  X509_free(leaf);  // the target holds its own reference
  if (!leaf_used) return false;
  if (ctrl(target, SSL_CTRL_CHAIN, 0, nullptr) != 1) return false;  // clear the chain
  for (size_t i = 1; i < chain_der.size(); ++i) {
    X509* cert = CertificateFromDer(chain_der[i]);
    if (cert == nullptr) return false;
    const bool added = ctrl(target, SSL_CTRL_CHAIN_CERT, 1, cert) == 1;  // add1: a new reference
    X509_free(cert);
    if (!added) return false;
  }
  return true;
}

}  // namespace sslshim::openssl_backend
