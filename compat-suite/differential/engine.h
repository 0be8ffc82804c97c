// The differential engine: generates scenarios from a seed, runs each natively and in every shim
// column, compares, groups differences by kind, shrinks each kind's first example, and judges the
// kinds against the list of documented deliberate differences.
#ifndef COMPAT_SUITE_DIFFERENTIAL_ENGINE_H_
#define COMPAT_SUITE_DIFFERENTIAL_ENGINE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "../runner/model.h"
#include "allowlist.h"
#include "diff_run.h"

namespace compat {

struct DiffOptions {
  uint64_t seed = 1;
  int count = 0;
  std::vector<Column> columns;  // the columns compared with native (native itself not included)
  Column native;
  DiffPaths paths;
  int timeout_seconds = 10;
  std::vector<KnownDifference> known;
  bool quiet = false;
  bool stop_at_first_kind = false;  // the self-test: stop once anything differs
};

struct KindFinding {
  std::string column;
  std::string kind;
  int count = 0;
  uint64_t first_index = 0;
  std::string first_scenario;
  std::string minimal;  // the first scenario, shrunk
  std::string detail;   // the minimal scenario's difference in full
  bool crash_or_hang = false;
  const KnownDifference* known = nullptr;
};

struct DiffSummary {
  uint64_t seed = 0;
  int scenarios = 0;
  std::map<std::string, int> runs;           // per column, native included
  std::vector<std::string> native_unusable;  // scenarios native OpenSSL itself did not finish
  // "[column] scenario" whose answers varied from run to run: native OpenSSL gave the column's
  // answer in another run, or the column gave native's.
  std::vector<std::string> native_varies;
  std::vector<KindFinding> kinds;
  // A crash or hang in a judged column, or a kind there that no entry documents.
  bool Fails(const std::vector<Column>& columns) const;
};

DiffSummary RunDifferential(const DiffOptions& opt);
// One scenario: native and every column, each record printed, differences shrunk.
int ReplayScenario(const DiffOptions& opt, const std::string& scenario);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_ENGINE_H_
