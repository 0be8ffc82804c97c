// What a guarded (not implemented) libssl function does when it cannot forward: fail the call
// with an OpenSSL error and a one-time message naming the function. It returns 0, which reads as
// failure (or NULL) for nearly every libssl function.
#include <openssl/err.h>

#include <string>

#include "core/errors.h"
#include "core/fail_closed.h"
#include "core/real_libssl_lookup.h"
#include "guards/fail_closed_guards.h"

extern "C" {

struct SslshimGuardEntry {
  const char* name;
  void* next;          // the real libssl's definition once found (at the first call), or nullptr
  const char* reason;  // why it is refused by design (abi/refused-by-design.tsv), or nullptr
};

// `first_arg` is the call's first argument when `ours` (else nullptr): the object a security
// setter was given, which the refusal marks (fail_closed_guards.h).
__attribute__((visibility("hidden"))) long sslshim_guard_refuse(const SslshimGuardEntry* entry,
                                                                int ours, const void* first_arg) {
  std::string why = ours ? "not implemented by sslshim for its own objects"
                         : "not implemented by sslshim, and there is no real libssl.so.3 to "
                           "forward it to (stand-in mode)";
  if (ours && entry->reason != nullptr) {
    why = std::string("refused by design for sslshim's objects: ") + entry->reason;
  }
  sslshim::PushError(ERR_LIB_SSL, ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, entry->name,
                     (std::string("sslshim: ") + why).c_str());
  sslshim::WarnOnce(entry->name, why.c_str());
  if (ours) {
    if (const char* setting = sslshim::GuardedSecuritySetting(entry->name)) {
      sslshim::MarkUnappliedSettingForHandle(first_arg, entry->name,
                                             std::string(setting) + " is not served by sslshim");
    }
  }
  return 0;
}

// A guard finds its forward target at its first call (guard_dispatch.S calls this with every
// argument register saved), not at load: most processes the shim is preloaded into never call a
// libssl function, and looking up every guarded name up front cost each of them milliseconds. The
// pointer is published once found, so later calls jump straight to it; racing first calls only
// repeat the same lookup. Until found (no real libssl yet, or none at all), each call looks again:
// a libssl.so.3 loaded later with a module opened RTLD_LOCAL (Python's _ssl) is then found.
__attribute__((visibility("hidden"))) void* sslshim_guard_resolve(SslshimGuardEntry* entry) {
  void* next = sslshim::RealLibsslSymbol(entry->name);
  if (next != nullptr) __atomic_store_n(&entry->next, next, __ATOMIC_RELEASE);
  return next;
}

}  // extern "C"
