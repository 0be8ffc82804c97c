#include "exports/dispatch.h"

#include <dlfcn.h>
#include <openssl/err.h>

#include "core/errors.h"

namespace sslshim {

void* NextSymbol(const char* name) { return dlvsym(RTLD_NEXT, name, "OPENSSL_3.0.0"); }

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
