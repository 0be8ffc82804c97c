// The backend is chosen once per process from SSLSHIM_BACKEND (docs/design-notes.md): BoringSSL
// unless the variable says "openssl". An unknown name is an error, not a silent default: a
// comparison run that believed it measured OpenSSL must not have measured BoringSSL.
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "core/objects.h"
#include "core/trace.h"

namespace sslshim {

Backend* ActiveBackend(const char** why) {
  static std::once_flag once;
  static Backend* backend = nullptr;
  static std::string* reason = nullptr;
  std::call_once(once, [] {
    const char* name = std::getenv("SSLSHIM_BACKEND");
    std::string why_not;
    std::unique_ptr<Backend> made;
    if (name == nullptr || *name == '\0' || std::strcmp(name, "boringssl") == 0) {
      made = MakeBoringSslBackend(&why_not);
    } else if (std::strcmp(name, "openssl") == 0) {
      made = MakeOpenSslBackend(&why_not);
    } else {
      why_not = std::string("SSLSHIM_BACKEND=") + name + " is not a backend (boringssl or openssl)";
    }
    backend = made.release();  // lives for the process: objects may be freed during exit
    if (backend == nullptr) {
      reason = new std::string(why_not);
    } else {
      // The first object the program makes of ours: the moment the shim starts serving it.
      LogServing(name != nullptr && std::strcmp(name, "openssl") == 0 ? "openssl" : "boringssl");
    }
  });
  if (backend == nullptr && why != nullptr) *why = reason->c_str();
  return backend;
}

}  // namespace sslshim
