// Runs one case in one column: the transport and control channel, the peer and the SUT each in
// its own process group with its own environment, a time bound, and the parsed observation.
#ifndef COMPAT_SUITE_RUNNER_PROCESS_H_
#define COMPAT_SUITE_RUNNER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "case_table.h"
#include "model.h"

namespace compat {

struct RunPaths {
  std::string sut;   // compat-sut executable
  std::string peer;  // compat-peer executable
  std::string cert;  // PEM certificate and key (made by certs.h)
  std::string key;
  std::string work;  // per-run output files go under here
};

// The pieces RunCase is made of, shared with the differential engine (differential/).
// The runner's environment minus anything that loads or configures the shim, plus `add`.
std::vector<std::string> ChildEnv(const std::vector<std::pair<std::string, std::string>>& add);
// fork + exec with `transport` on fd 3 and `ctl` on fd 4, in a new process group.
pid_t Spawn(std::vector<std::string> argv, std::vector<std::string> env, int transport, int ctl,
            const std::string& out_file, const std::string& err_file);
// Waits for the child until the deadline, then kills its process group.
ProcessEnd Reap(pid_t pid, std::chrono::steady_clock::time_point deadline);
// The last `limit` bytes of a file.
std::string ReadFile(const std::string& path, size_t limit);
// Two connected loopback TCP sockets (a reset needs TCP).
bool TcpPair(int fds[2]);

Observation RunCase(const CaseSpec& spec, const std::string& tls, const Column& column,
                    const RunPaths& paths, int timeout_seconds);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_PROCESS_H_
