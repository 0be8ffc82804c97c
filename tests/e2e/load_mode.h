// The four ways a test runs a program: natively, preloaded on each backend, and through the
// stand-in; and the environment that gives each (the fail-closed and reliability tests share it).
#pragma once

#include <string>
#include <vector>

namespace sslshim::e2e {

enum class RunMode { kNative, kPreloadBoringSsl, kPreloadOpenSsl, kStandin };
inline constexpr RunMode kShimRunModes[] = {RunMode::kPreloadBoringSsl, RunMode::kPreloadOpenSsl,
                                            RunMode::kStandin};

// "native", "preload-boringssl", "preload-openssl", "standin".
const char* RunModeName(RunMode mode);

// CleanEnvironment() plus what `mode` needs: LD_PRELOAD=`shim_lib` and SSLSHIM_BACKEND, or
// LD_LIBRARY_PATH=<directory of `standin_lib`>.
std::vector<std::string> RunModeEnvironment(RunMode mode, const std::string& shim_lib,
                                            const std::string& standin_lib);

}  // namespace sslshim::e2e
