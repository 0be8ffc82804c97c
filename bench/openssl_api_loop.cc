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

#include "openssl_context_setup.inc"

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
