// `sslshim-compat --differential N [--seed S]`, `--differential-replay SCENARIO` and
// `--seed S --index I`: the differential engine's commands, behind the runner's option parsing.
#ifndef COMPAT_SUITE_DIFFERENTIAL_DIFF_COMMAND_H_
#define COMPAT_SUITE_DIFFERENTIAL_DIFF_COMMAND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "../runner/model.h"

namespace compat {

struct DiffCommand {
  int count = 0;                    // --differential N
  std::string replay;               // --differential-replay SCENARIO
  long long index = -1;             // --index I (with --seed): replay generated scenario I
  uint64_t seed = 1;                // --seed S
  std::string known_file;           // --known-differences FILE
  bool stop_at_first_kind = false;  // --stop-at-first-kind
  bool active() const { return count > 0 || !replay.empty() || index >= 0; }
};

// `columns` are the selected columns; the native one is the reference, the others are compared
// with it (default when only native is selected: shim-boringssl and shim-openssl). Returns the
// exit status: 1 when a judged column crashed, hung, or differed in an undocumented way.
int RunDiffCommand(const DiffCommand& cmd, const std::vector<Column>& all_columns,
                   const std::vector<std::string>& selected, const std::string& exe_dir,
                   const std::string& report_dir, const std::string& cert, const std::string& key,
                   int timeout_seconds, bool quiet);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_DIFF_COMMAND_H_
