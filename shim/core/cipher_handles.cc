#include "core/cipher_handles.h"

#include <map>
#include <mutex>
#include <string>

#include "core/handle_table.h"

namespace sslshim {
namespace {

struct CipherEntry {
  Cipher cipher;
  void* handle = nullptr;
};

}  // namespace

const SSL_CIPHER* CipherHandle(const CipherInfo& info) {
  static std::mutex mutex;
  // Lives for the process (handles may be used during exit), reachable from here.
  static auto* entries = new std::map<std::string, CipherEntry>();
  std::lock_guard<std::mutex> lock(mutex);
  CipherEntry& entry = (*entries)[info.name];
  if (entry.handle == nullptr) {
    entry.cipher.info = info;
    entry.handle = NewHandle(HandleKind::kCipher, &entry.cipher);
  }
  return static_cast<const SSL_CIPHER*>(entry.handle);
}

}  // namespace sslshim
