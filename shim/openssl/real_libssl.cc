#include "real_libssl.h"

#include "core/real_libssl_lookup.h"

namespace sslshim::openssl_backend {
namespace {

constexpr char kOpenSsl3Version[] = "OPENSSL_3.0.0";

struct LoadedLibssl {
  RealLibssl functions;
  bool complete = false;
  std::string why;  // set when !complete
};

LoadedLibssl LoadProcessLibssl() {
  LoadedLibssl loaded;
  std::string missing;
  loaded.complete = ResolveRealLibssl(&ResolveNextOpenSsl3, &loaded.functions, &missing);
  if (!loaded.complete) {
    loaded.why = "the real libssl's " + missing + "@" + kOpenSsl3Version +
                 " is not in this process after sslshim; SSLSHIM_BACKEND=openssl needs preload "
                 "mode (LD_PRELOAD=libsslshim.so with the program's own libssl.so.3 loaded), not "
                 "the stand-in libssl.so.3";
  }
  return loaded;
}

}  // namespace

void* ResolveNextOpenSsl3(const char* name) { return RealLibsslSymbol(name); }

bool ResolveRealLibssl(SymbolResolver resolve, RealLibssl* out, std::string* missing) {
  RealLibssl table;
#define SSLSHIM_RESOLVE_REAL_POINTER(name)                             \
  table.name = reinterpret_cast<decltype(table.name)>(resolve(#name)); \
  if (table.name == nullptr) {                                         \
    *missing = #name;                                                  \
    return false;                                                      \
  }
  SSLSHIM_REAL_LIBSSL_FUNCTIONS(SSLSHIM_RESOLVE_REAL_POINTER)
#undef SSLSHIM_RESOLVE_REAL_POINTER
  *out = table;
  return true;
}

const RealLibssl* ProcessRealLibssl(std::string* why) {
  // Resolved once (thread-safe static initialisation), on the first use of the backend: the core
  // makes it when the program first needs it (SSL_CTX_new...), after the program has loaded its
  // libssl, whether linked or with a dlopened module.
  static const LoadedLibssl loaded = LoadProcessLibssl();
  if (!loaded.complete) {
    if (why != nullptr) *why = loaded.why;
    return nullptr;
  }
  return &loaded.functions;
}

}  // namespace sslshim::openssl_backend
