#include "load_mode.h"

#include "process_runner.h"

namespace sslshim::e2e {

const char* RunModeName(RunMode mode) {
  switch (mode) {
    case RunMode::kNative:
      return "native";
    case RunMode::kPreloadBoringSsl:
      return "preload-boringssl";
    case RunMode::kPreloadOpenSsl:
      return "preload-openssl";
    case RunMode::kStandin:
      return "standin";
  }
  return "?";
}

std::vector<std::string> RunModeEnvironment(RunMode mode, const std::string& shim_lib,
                                            const std::string& standin_lib) {
  std::vector<std::string> env = CleanEnvironment();
  switch (mode) {
    case RunMode::kNative:
      break;
    case RunMode::kPreloadBoringSsl:
      env.push_back("LD_PRELOAD=" + shim_lib);
      env.push_back("SSLSHIM_BACKEND=boringssl");
      break;
    case RunMode::kPreloadOpenSsl:
      env.push_back("LD_PRELOAD=" + shim_lib);
      env.push_back("SSLSHIM_BACKEND=openssl");
      break;
    case RunMode::kStandin:
      env.push_back("LD_LIBRARY_PATH=" + standin_lib.substr(0, standin_lib.rfind('/')));
      break;
  }
  return env;
}

}  // namespace sslshim::e2e
