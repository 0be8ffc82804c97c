// Runs one child process (this executable again) with a changed environment, bounded in time.
#ifndef SSLSHIM_BENCH_CHILD_PROCESS_H_
#define SSLSHIM_BENCH_CHILD_PROCESS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sslshim_bench {

struct ChildSpec {
  std::string executable;
  std::vector<std::string> args;  // argv[1..]
  // Variables to set (a value) or remove (nullopt) relative to this process's environment.
  std::map<std::string, std::optional<std::string>> env_changes;
  // Where the child's stdout and stderr go; empty keeps this process's.
  std::string stdout_path;
  std::string stderr_path;
  int timeout_seconds = 1200;
};

// Empty if the child exited with status 0, else how it ended ("exit status 2", "signal 11",
// "killed after the 1200 s time limit", ...).
std::string RunChildProcess(const ChildSpec& spec);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_CHILD_PROCESS_H_
