#include "core/errors.h"

#include <openssl/err.h>

#include <mutex>
#include <set>
#include <string>

#include "core/trace.h"

namespace sslshim {

void PushError(int lib, int reason, const char* func, const char* data) {
  ERR_new();
  ERR_set_debug("sslshim", 0, func);
  if (data != nullptr && data[0] != '\0') {
    ERR_set_error(lib, reason, "%s", data);
  } else {
    ERR_set_error(lib, reason, nullptr);
  }
}

void PushErrors(const std::vector<ErrorRecord>& records) {
  for (const ErrorRecord& r : records) {
    PushError(r.lib, r.reason, r.function.empty() ? nullptr : r.function.c_str(),
              r.data.empty() ? nullptr : r.data.c_str());
  }
}

void WarnOnce(const char* func, const char* why) {
  if (!LogEnabled(LogLevel::kRefusals)) return;
  static std::mutex mutex;
  static auto* warned = new std::set<std::string>();  // leaked: may be used during exit
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!warned->insert(func).second) return;
  }
  std::string line = std::string("sslshim: ") + func + ": " + why + "\n";
  WriteLogLine(line.data(), line.size());
}

}  // namespace sslshim
