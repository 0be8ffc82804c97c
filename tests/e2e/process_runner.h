// Runs the end-to-end programs as child processes: an explicit environment (so the peer is never
// preloaded), one inherited socket as fd 3, stdout/stderr captured in files, and a hard deadline
// after which every child still running is killed, so no test hangs or leaves a process behind.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace sslshim::e2e {

// The fd number an inherited socket has in the child.
inline constexpr int kChildSocketFd = 3;

struct ChildSpec {
  std::string program;
  std::vector<std::string> args;  // argv[1..]
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  int socket_fd = -1;             // if >= 0, becomes kChildSocketFd in the child
  std::string stdout_path;
  std::string stderr_path;
};

struct ChildOutcome {
  bool started = false;
  bool timed_out = false;  // killed at the deadline
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it
  std::string stdout_text;
  std::string stderr_text;

  bool Succeeded() const { return started && !timed_out && signal == 0 && exit_code == 0; }
  // "exit 0", "killed by signal 11", "timed out after the deadline", with the captured stderr.
  std::string Describe() const;
};

// Starts every child, waits for all of them until `timeout` has passed, then kills the rest.
// `close_after_start` are this process's copies of the children's sockets, closed once every
// child has its own, so one child's exit reaches the other as the end of the stream.
std::vector<ChildOutcome> RunChildren(const std::vector<ChildSpec>& children,
                                      std::chrono::milliseconds timeout,
                                      const std::vector<int>& close_after_start = {});

// This process's environment without LD_PRELOAD, LD_LIBRARY_PATH and SSLSHIM_*: what the peer and
// the native runs get, and what the other modes start from.
std::vector<std::string> CleanEnvironment();

// The whole content of a file ("" if it cannot be read).
std::string ReadFile(const std::string& path);

}  // namespace sslshim::e2e
