#include "diff_command.h"

#include <fnmatch.h>

#include <fstream>
#include <iostream>

#include "diff_report.h"
#include "engine.h"
#include "generator.h"
#include "scenario.h"

namespace compat {
namespace {

bool Matches(const std::vector<std::string>& patterns, const std::string& name) {
  for (const auto& p : patterns) {
    if (fnmatch(p.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

}  // namespace

int RunDiffCommand(const DiffCommand& cmd, const std::vector<Column>& all_columns,
                   const std::vector<std::string>& selected, const std::string& exe_dir,
                   const std::string& report_dir, const std::string& cert, const std::string& key,
                   int timeout_seconds, bool quiet) {
  DiffOptions opt;
  opt.seed = cmd.seed;
  opt.count = cmd.count;
  opt.timeout_seconds = timeout_seconds;
  opt.quiet = quiet;
  opt.stop_at_first_kind = cmd.stop_at_first_kind;
  opt.paths = {exe_dir + "/compat-diff-sut", exe_dir + "/compat-diff-peer", cert, key,
               report_dir + "/work"};
  std::vector<std::string> wanted = selected;
  bool only_native = wanted.size() == 1 && wanted[0] == "openssl";
  if (wanted.empty() || only_native) wanted = {"shim-boringssl", "shim-openssl"};
  for (const auto& c : all_columns) {
    if (c.reference) {
      opt.native = c;
    } else if (Matches(wanted, c.name)) {
      if (!c.unavailable.empty()) {
        std::cerr << "sslshim-compat: column " << c.name << " skipped: " << c.unavailable << "\n";
        continue;
      }
      opt.columns.push_back(c);
    }
  }
  if (opt.columns.empty()) {
    std::cerr << "sslshim-compat: no column to compare with native OpenSSL\n";
    return 2;
  }
  std::string error;
  opt.known = LoadKnownDifferences(cmd.known_file, &error);
  if (!error.empty()) {
    std::cerr << "sslshim-compat: " << error << "\n";
    return 2;
  }
  if (!cmd.replay.empty()) return ReplayScenario(opt, cmd.replay);
  if (cmd.index >= 0) {
    return ReplayScenario(
        opt, FormatScenario(GenerateScenario(cmd.seed, static_cast<uint64_t>(cmd.index))));
  }
  DiffSummary sum = RunDifferential(opt);
  const std::string md = DifferentialMarkdown(sum, opt.columns);
  std::ofstream(report_dir + "/differential.md", std::ios::trunc) << md;
  std::ofstream(report_dir + "/differential.json", std::ios::trunc) << DifferentialJson(sum);
  std::cout << md << "report: " << report_dir << "/{differential.md,differential.json}\n";
  return sum.Fails(opt.columns) ? 1 : 0;
}

}  // namespace compat
