// The work against OpenSSL 3's API as this process links it (tls_pair_loop.h holds it). With the
// shim preloaded it measures the shim and its backend.
#include "openssl_api_loop.h"

#include <dlfcn.h>

#include <cstring>
#include <string>

#include "openssl_api.h"
#include "tls_pair_loop.h"

namespace sslshim_bench {

namespace {

// The functions as linked: a constant table of their addresses, so every call compiles to the
// direct call (through the PLT) the program itself would make.
struct LinkedLibssl {
  static constexpr LibsslFunctions kLibssl = {
#define SSLSHIM_BENCH_ADDRESS(name) &::name,
      SSLSHIM_BENCH_LIBSSL_FUNCTIONS(SSLSHIM_BENCH_ADDRESS)
#undef SSLSHIM_BENCH_ADDRESS
  };

  // The file that serves SSL_write in this process: libssl.so.3 natively, libsslshim.so when the
  // shim is preloaded.
  static std::string SslWriteProvider() {
    Dl_info info{};
    void* bound = dlsym(RTLD_DEFAULT, "SSL_write");
    if (bound == nullptr || dladdr(bound, &info) == 0 || info.dli_fname == nullptr) {
      return "unknown";
    }
    const char* slash = std::strrchr(info.dli_fname, '/');
    return slash != nullptr ? slash + 1 : info.dli_fname;
  }
};

}  // namespace

std::unique_ptr<WriteLoop> NewOpenSslApiLoop() {
  return std::make_unique<TlsPairLoop<OpenSslApi<LinkedLibssl>>>();
}

}  // namespace sslshim_bench
