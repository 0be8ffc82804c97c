#include "core/real_libssl_lookup.h"

#include <dlfcn.h>

#include <atomic>

namespace sslshim {
namespace {

constexpr char kOpenSsl3Version[] = "OPENSSL_3.0.0";

// A handle on the libssl.so.3 the process has already loaded, or nullptr; never loads one. The
// first handle found is kept for the life of the process: what it resolved must stay valid.
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

// Whether `address` lies in the object this code is in.
bool IsInThisObject(void* address) {
  Dl_info ours{}, theirs{};
  return dladdr(reinterpret_cast<void*>(&RealLibsslSymbol), &ours) != 0 &&
         dladdr(address, &theirs) != 0 && ours.dli_fbase == theirs.dli_fbase;
}

}  // namespace

void* RealLibsslSymbol(const char* name) {
  if (void* next = dlvsym(RTLD_NEXT, name, kOpenSsl3Version)) return next;
  void* handle = LoadedLibsslHandle();
  if (handle == nullptr) return nullptr;
  void* loaded = dlvsym(handle, name, kOpenSsl3Version);
  return loaded == nullptr || IsInThisObject(loaded) ? nullptr : loaded;
}

}  // namespace sslshim
