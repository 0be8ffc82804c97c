#include "exports/dispatch.h"

#include <dlfcn.h>
#include <openssl/err.h>

#include <cstdint>

#include "core/errors.h"
#include "core/real_libssl_lookup.h"

namespace sslshim {

void* NextSymbol(const char* name) { return RealLibsslSymbol(name); }

bool IsRealLibsslCaller(const void* return_address) {
  static const uintptr_t real_base = [] {
    Dl_info info;
    void* real = NextSymbol("SSL_new");
    return real != nullptr && dladdr(real, &info) != 0 ? reinterpret_cast<uintptr_t>(info.dli_fbase)
                                                       : uintptr_t{0};
  }();
  if (real_base == 0) return false;  // stand-in: there is no real libssl
  Dl_info info;
  return dladdr(return_address, &info) != 0 &&
         reinterpret_cast<uintptr_t>(info.dli_fbase) == real_base;
}

void ReportNoRealLibssl(const char* func) {
  PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, func,
            "sslshim: object not made by sslshim, and no real libssl to forward it to");
  WarnOnce(func,
           "called with an object sslshim did not make, and there is no real libssl.so.3 to "
           "forward it to (stand-in mode)");
}

void ReportInvalidHandle(const char* func) {
  PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, func,
            "sslshim: handle already freed, or of another type");
  WarnOnce(func, "called with an sslshim handle that was already freed or is of another type");
}

void ReportNullHandle(const char* func) {
  PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
}

}  // namespace sslshim
