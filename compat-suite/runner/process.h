// Runs one case in one column: the transport and control channel, the peer and the SUT each in
// its own process group with its own environment, a time bound, and the parsed observation.
#ifndef COMPAT_SUITE_RUNNER_PROCESS_H_
#define COMPAT_SUITE_RUNNER_PROCESS_H_

#include <string>

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

Observation RunCase(const CaseSpec &spec, const std::string &tls, const Column &column,
                    const RunPaths &paths, int timeout_seconds);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_PROCESS_H_
