// The cases and what each must show: the one place where the suite's expectations live.
#ifndef COMPAT_SUITE_RUNNER_CASE_TABLE_H_
#define COMPAT_SUITE_RUNNER_CASE_TABLE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model.h"

namespace compat {

// Collects a judge's findings. Each one may name the claim it belongs to (a case can cover
// several claims); unnamed ones apply to all of the case's claims. A requirement that fails is a
// `breaks`. A deviation is the contract not met in a way the project documents and names: it
// reads `differs` in the reference column (and unjudged extra columns), and `breaks` in the shim's
// columns unless `any_column` (the shim must meet the contract on every backend).
class Findings {
 public:
  void Require(bool ok, const std::string& what, const std::string& claim = "");
  void Deviates(const std::string& name, const std::string& what, const std::string& claim = "",
                bool any_column = false);
  Judgement For(const std::string& claim, const Column& column) const;

 private:
  struct Finding {
    std::string claim;
    std::string what;
    std::string deviation;  // empty for a failed requirement
    bool any_column = false;
  };
  std::vector<Finding> problems_;
  std::vector<Finding> deviations_;
};

using Judge = std::function<void(const Observation&, const Column&, Findings&)>;

struct CaseSpec {
  std::string name;
  std::vector<std::string> claims;  // "W05@1.2" = this claim only in the TLS 1.2 run
  std::vector<std::string> tls;     // {"1.2", "1.3"}, {"1.2"}, or {"-"} (no connection)
  std::string what;                 // one line for the report
  std::string peer_script;
  bool sut_is_server = false;
  bool tcp = false;             // loopback TCP instead of a socketpair (RST needs TCP)
  bool expects_signal = false;  // the SUT may be killed by a signal; the judge decides
  Judge judge;
};

const std::vector<CaseSpec>& AllCases();

// The claims a run of `spec` in `tls` speaks for.
std::vector<std::string> ClaimsFor(const CaseSpec& spec, const std::string& tls);

// Verdict per claim for one run, including the checks common to every case (crash, timeout).
std::map<std::string, Judgement> JudgeRun(const CaseSpec& spec, const Observation& o,
                                          const Column& column);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_CASE_TABLE_H_
