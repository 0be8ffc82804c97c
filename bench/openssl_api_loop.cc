// The work against OpenSSL 3's API (tls_pair_loop.inc holds it). With the shim preloaded it
// measures the shim and its backend.
#include "openssl_api_loop.h"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "bench_matrix.h"
#include "credentials.h"
#include "write_loop.h"

namespace sslshim_bench {

namespace {

// The same cipher in every column: AES-128-GCM, which BoringSSL picks first on AES-NI hardware
// (and, for TLS 1.3, cannot be told otherwise).
bool ConfigureContext(SSL_CTX* ctx, TlsVersion version) {
  int protocol = version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
  return SSL_CTX_set_min_proto_version(ctx, protocol) == 1 &&
         SSL_CTX_set_max_proto_version(ctx, protocol) == 1 &&
         (version == TlsVersion::kTls12
              ? SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") == 1
              : SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") == 1);
}

bool LoadServerCredentials(SSL_CTX* ctx) {
  const Credentials& credentials = BenchCredentials();
  const unsigned char* cert_der = credentials.certificate_der.data();
  const unsigned char* key_der = credentials.private_key_der.data();
  X509* cert = d2i_X509(nullptr, &cert_der, static_cast<long>(credentials.certificate_der.size()));
  EVP_PKEY* key =
      d2i_AutoPrivateKey(nullptr, &key_der, static_cast<long>(credentials.private_key_der.size()));
  bool ok = cert != nullptr && key != nullptr && SSL_CTX_use_certificate(ctx, cert) == 1 &&
            SSL_CTX_use_PrivateKey(ctx, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

// The file that serves SSL_write in this process: libssl.so.3 natively, libsslshim.so when the
// shim is preloaded.
std::string SslWriteProvider() {
  Dl_info info{};
  void* bound = dlsym(RTLD_DEFAULT, "SSL_write");
  if (bound == nullptr || dladdr(bound, &info) == 0 || info.dli_fname == nullptr) return "unknown";
  const char* slash = std::strrchr(info.dli_fname, '/');
  return slash != nullptr ? slash + 1 : info.dli_fname;
}

#include "tls_pair_loop.inc"

}  // namespace

std::unique_ptr<WriteLoop> NewOpenSslApiLoop() { return std::make_unique<TlsPairLoop>(); }

}  // namespace sslshim_bench
