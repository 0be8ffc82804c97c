#include "core/real_libssl_lookup.h"

#include <dlfcn.h>
#include <link.h>

#include <atomic>
#include <cstddef>

namespace sslshim {
namespace {

constexpr char kOpenSsl3Version[] = "OPENSSL_3.0.0";

// How many objects the dynamic loader has loaded so far in this process. A libssl.so.3 can only
// appear when this grows, so a failed search stays valid until it does. One callback: every entry
// carries the same process-wide count.
unsigned long long LoaderAdds() {
  unsigned long long adds = 0;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t size, void* out) {
        if (size >= offsetof(dl_phdr_info, dlpi_adds) + sizeof(info->dlpi_adds)) {
          *static_cast<unsigned long long*>(out) = info->dlpi_adds;
        }
        return 1;
      },
      &adds);
  return adds;
}

// A handle on the libssl.so.3 the process has already loaded, or nullptr; never loads one. The
// first handle found is kept for the life of the process: what it resolved must stay valid.
// A failed dlopen(RTLD_NOLOAD) is not cheap (the loader searches the library path and opens the
// file it finds to compare it with the loaded ones), so after a miss it is tried again only once
// the loader has loaded something. Atomics only, no lock: racing threads at worst repeat the
// search, and a child forked in the middle inherits nothing it could wait on.
void* LoadedLibsslHandle() {
  static std::atomic<void*> kept{nullptr};
  static std::atomic<unsigned long long> missed_at{0};  // LoaderAdds() at the last miss
  if (void* handle = kept.load(std::memory_order_acquire)) return handle;
  // Read before searching: an object loaded meanwhile makes the next call search again.
  const unsigned long long adds = LoaderAdds();
  if (adds != 0 && missed_at.load(std::memory_order_relaxed) == adds) return nullptr;
  void* handle = dlopen("libssl.so.3", RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) {
    missed_at.store(adds, std::memory_order_relaxed);
    return nullptr;
  }
  void* expected = nullptr;
  if (!kept.compare_exchange_strong(expected, handle, std::memory_order_acq_rel)) {
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
