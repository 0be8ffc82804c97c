// One run of one scenario in one column: the SUT (in the column's environment) and the native
// peer as two processes over a socketpair (loopback TCP when the scenario resets), with a control
// socketpair between them and a hard time bound. The record is what the SUT and the peer printed.
#ifndef COMPAT_SUITE_DIFFERENTIAL_DIFF_RUN_H_
#define COMPAT_SUITE_DIFFERENTIAL_DIFF_RUN_H_

#include <string>
#include <vector>

#include "../runner/model.h"
#include "../runner/process.h"

namespace compat {

struct CallRecord {
  int index = 0;
  std::string op;  // the step's token, e.g. "write:100/moved" or "peer:close"
  bool event = false;
  bool acknowledged = true;  // events: the peer answered
  long long ret = 0;
  long long n = 0;
  int err = 0;
  int sys_errno = 0;
  std::string wants;  // WANT_* kinds answered before the final answer: "", "R", "W", "RW"
  int shutdown = 0;
  int pending = 0;
  std::vector<ErrEntry> queue;
};

struct DiffRecord {
  bool bio_pair = false;  // the scenario's transport is a BIO pair
  ProcessEnd sut_end;
  ProcessEnd peer_end;
  std::vector<CallRecord> calls;
  bool ended = false;  // the SUT printed its end line
  long long peer_bytes = -1;
  std::string peer_sha256;
  std::string peer_events;
  std::string sut_stderr;
};

struct DiffPaths {
  std::string sut;   // compat-diff-sut
  std::string peer;  // compat-diff-peer
  std::string cert;
  std::string key;
  std::string work;  // per-run output files (overwritten by the next run)
};

DiffRecord RunScenario(const std::string& scenario, const Column& column, const DiffPaths& paths,
                       int timeout_seconds);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_DIFF_RUN_H_
