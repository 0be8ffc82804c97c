// The work against the real libssl.so.3, its functions reached by dlvsym (tls_pair_loop.h holds
// the work): what OpenSSL 3 costs with no shim in the way, even when the shim is preloaded.
#include "openssl_direct_loop.h"

#include <dlfcn.h>

#include <cstring>
#include <string>

#include "openssl_api.h"
#include "tls_pair_loop.h"

namespace sslshim_bench {

namespace {

// Filled once, before the first loop is made; a plain global so each call costs what a PLT call
// does.
LibsslFunctions real_libssl;

bool ResolveRealLibssl() {
  // RTLD_NOLOAD: the libssl.so.3 the executable was linked with, never a second copy.
  void* libssl = dlopen("libssl.so.3", RTLD_NOW | RTLD_NOLOAD);
  if (libssl == nullptr) return false;
  bool complete = true;
#define SSLSHIM_BENCH_RESOLVE(name)                                                               \
  real_libssl.name = reinterpret_cast<decltype(&::name)>(dlvsym(libssl, #name, "OPENSSL_3.0.0")); \
  complete = complete && real_libssl.name != nullptr;
  SSLSHIM_BENCH_LIBSSL_FUNCTIONS(SSLSHIM_BENCH_RESOLVE)
#undef SSLSHIM_BENCH_RESOLVE
  return complete;
}

struct RealLibssl {
  static constexpr const LibsslFunctions& kLibssl = real_libssl;

  // The file the resolved SSL_write lives in (libssl.so.3), checked by the driver.
  static std::string SslWriteProvider() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(real_libssl.SSL_write), &info) == 0 ||
        info.dli_fname == nullptr) {
      return "unknown";
    }
    const char* slash = std::strrchr(info.dli_fname, '/');
    return slash != nullptr ? slash + 1 : info.dli_fname;
  }
};

}  // namespace

std::unique_ptr<WriteLoop> NewOpenSslDirectLoop() {
  static const bool resolved = ResolveRealLibssl();
  if (!resolved) return nullptr;
  return std::make_unique<TlsPairLoop<OpenSslApi<RealLibssl>>>();
}

}  // namespace sslshim_bench
