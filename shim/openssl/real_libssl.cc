#include "real_libssl.h"

#include <dlfcn.h>

#include <atomic>

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

// A handle on the libssl.so.3 the process has already loaded, or nullptr; never loads one. The
// first handle found is kept (one reference, for the life of the process: the pointers resolved
// through it must stay valid).
void* LoadedLibsslHandle() {
  static std::atomic<void*> kept{nullptr};
  if (void* handle = kept.load()) return handle;
  void* handle = dlopen("libssl.so.3", RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) return nullptr;
  void* expected = nullptr;
  if (!kept.compare_exchange_strong(expected, handle)) {
    dlclose(handle);  // another thread kept one first
    return expected;
  }
  return handle;
}

// Whether `address` lies in the object this code is in (the shim, when it stands in as
// libssl.so.3 and the soname finds it).
bool IsInThisObject(void* address) {
  Dl_info ours{}, theirs{};
  return dladdr(reinterpret_cast<void*>(&ResolveNextOpenSsl3), &ours) != 0 &&
         dladdr(address, &theirs) != 0 && ours.dli_fbase == theirs.dli_fbase;
}

}  // namespace

// RTLD_NEXT finds a libssl in the global scope: one the program links, the usual case. A libssl
// that came with a module opened RTLD_LOCAL (Python's _ssl, which the interpreter dlopens) is not
// in it, though the module's libssl calls still reach the preloaded shim; that one is found by its
// soname among the objects already loaded.
void* ResolveNextOpenSsl3(const char* name) {
  if (void* next = dlvsym(RTLD_NEXT, name, kOpenSsl3Version)) return next;
  void* handle = LoadedLibsslHandle();
  if (handle == nullptr) return nullptr;
  void* loaded = dlvsym(handle, name, kOpenSsl3Version);
  return loaded == nullptr || IsInThisObject(loaded) ? nullptr : loaded;
}

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
