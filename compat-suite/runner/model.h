// What the runner knows about one run of one case: the observation (parsed from the SUT's and
// the peer's output) and the verdicts, plus the columns the cases run in.
#ifndef COMPAT_SUITE_RUNNER_MODEL_H_
#define COMPAT_SUITE_RUNNER_MODEL_H_

#include <string>
#include <utility>
#include <vector>

#include "testsupport/json.h"

namespace compat {

// The suite reads observation lines and writes its report with the tests' shared JSON value.
using Json = sslshim::testsupport::Json;
using sslshim::testsupport::JsonQuote;

enum class Verdict { kHolds, kDiffers, kBreaks, kNa, kSkipped };
const char* VerdictName(Verdict v);
// Combines verdicts of several runs into one cell: breaks > differs > holds > skipped > n/a.
Verdict Worse(Verdict a, Verdict b);

struct Judgement {
  Verdict verdict = Verdict::kHolds;
  std::string note;  // deviation name (differs), what went wrong (breaks), reason (n/a, skipped)
};

struct ErrEntry {
  int lib = 0;
  int reason = 0;
  std::string text;
  std::string func;
};

struct Step {
  std::string tag;
  std::string op;
  long long num = 0;
  long long ret = 0;
  int err = -1;
  int sys_errno = 0;
  std::vector<ErrEntry> queue;
  long long repeat = 0;  // identical WANT_* results folded into this one
  bool HasReason(int lib, int reason) const;
  std::string Describe() const;  // "ret=-1 err=1 SSL:127 (text)" — deterministic
};

struct ProcessEnd {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;
  int signal = 0;
  std::string Describe() const;
};

struct Column {
  std::string name;
  std::vector<std::pair<std::string, std::string>> env;  // added to the SUT's environment
  bool judged = false;     // a `breaks` here fails the suite (columns 2-4)
  bool reference = false;  // plain OpenSSL 3: known deviations are reported as `differs`
  // W01: the file SSL_write must resolve to ("" = the system's libssl.so.3, "*" = anything).
  std::string expect_lib;
  // Which library must have produced the ClientHello ("openssl", "boringssl", "" = any).
  std::string expect_tls;
  std::string unavailable;  // non-empty: every cell is skipped with this reason
};

struct Observation {
  std::string column;
  std::string case_name;
  std::string tls;  // "1.2", "1.3" or "-"
  ProcessEnd sut_end;
  ProcessEnd peer_end;
  std::vector<Step> steps;
  Json summary;  // the SUT's summary line
  Json peer;     // the peer's report line
  std::string sut_stderr;
  std::string peer_stderr;

  const Step* First(const std::string& tag) const;
  const Step* Last(const std::string& tag) const;
  std::vector<const Step*> Writes() const;
  long long Written() const { return summary["written"].AsInt(-1); }
  long long PeerBytes() const { return peer["app_bytes"].AsInt(-1); }
  bool PeerStreamOk() const { return peer["stream_ok"].AsBool(false); }
};

Json ObservationToJson(const Observation& o);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_MODEL_H_
