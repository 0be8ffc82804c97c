#include "engine.h"

#include <iostream>

#include "compare.h"
#include "generator.h"
#include "scenario.h"
#include "shrink.h"

namespace compat {
namespace {

// Runs a scenario natively and in one column; the difference, if any. nullopt also when native
// OpenSSL itself did not finish (then there is nothing to compare with).
std::optional<Difference> DifferenceIn(const DiffOptions& opt, const Column& column,
                                       const std::string& scenario) {
  DiffRecord native = RunScenario(scenario, opt.native, opt.paths, opt.timeout_seconds);
  std::string why;
  if (!NativeUsable(native, &why)) return std::nullopt;
  return CompareRecords(native, RunScenario(scenario, column, opt.paths, opt.timeout_seconds),
                        native.bio_pair);
}

std::string Shrink(const DiffOptions& opt, const Column& column, const std::string& scenario,
                   const std::string& kind) {
  return ShrinkScenario(scenario, kind, [&](const std::string& candidate) {
    auto d = DifferenceIn(opt, column, candidate);
    return d ? std::optional<std::string>(d->kind) : std::nullopt;
  });
}

// Some scenarios are answered differently from run to run (a peer's data racing its RST, a peer
// slowed by a loaded machine): natively and through the shim alike. Two answers that one side
// also gives in one of a few more runs of the other's are the same behaviour, not a difference;
// only a difference no entry documents is worth the extra runs.
constexpr int kReruns = 3;

bool NativeSometimesAnswersSo(const DiffOptions& opt, const std::string& scenario,
                              const DiffRecord& column_record) {
  for (int i = 0; i < kReruns; i++) {
    DiffRecord native = RunScenario(scenario, opt.native, opt.paths, opt.timeout_seconds);
    std::string why;
    if (!NativeUsable(native, &why)) continue;
    if (!CompareRecords(native, column_record, native.bio_pair)) return true;
  }
  return false;
}

bool ColumnSometimesAnswersAsNative(const DiffOptions& opt, const Column& column,
                                    const std::string& scenario, const DiffRecord& native) {
  for (int i = 0; i < kReruns; i++) {
    DiffRecord again = RunScenario(scenario, column, opt.paths, opt.timeout_seconds);
    if (!CompareRecords(native, again, native.bio_pair)) return true;
  }
  return false;
}

// Whether the difference between `native` and `column_record` is one of answers that vary from
// run to run, either side's.
bool AnswersVary(const DiffOptions& opt, const Column& column, const std::string& scenario,
                 const DiffRecord& native, const DiffRecord& column_record) {
  return NativeSometimesAnswersSo(opt, scenario, column_record) ||
         ColumnSometimesAnswersAsNative(opt, column, scenario, native);
}

void PrintRecord(const char* label, const DiffRecord& r) {
  std::cout << "  " << label << ":\n";
  for (const auto& c : r.calls) {
    std::cout << "    " << c.index << " " << c.op;
    if (c.event) {
      std::cout << (c.acknowledged ? "" : " (not acknowledged)") << "\n";
      continue;
    }
    std::cout << " -> " << AnswerClass(c) << " ret=" << c.ret << " n=" << c.n;
    if (!c.wants.empty()) std::cout << " wants=" << c.wants;
    std::cout << " shutdown=" << c.shutdown << " pending=" << c.pending << "\n";
  }
  std::cout << "    process: " << r.sut_end.Describe() << "; peer got " << r.peer_bytes
            << " bytes (" << r.peer_sha256.substr(0, 16) << "); peer events: " << r.peer_events
            << "\n";
}

}  // namespace

bool DiffSummary::Fails(const std::vector<Column>& columns) const {
  for (const auto& k : kinds) {
    for (const auto& c : columns) {
      if (c.name == k.column && c.judged && (k.crash_or_hang || k.known == nullptr)) return true;
    }
  }
  return false;
}

DiffSummary RunDifferential(const DiffOptions& opt) {
  DiffSummary sum;
  sum.seed = opt.seed;
  for (int i = 0; i < opt.count && !(opt.stop_at_first_kind && !sum.kinds.empty()); i++) {
    const std::string scenario =
        FormatScenario(GenerateScenario(opt.seed, static_cast<uint64_t>(i)));
    sum.scenarios++;
    DiffRecord native = RunScenario(scenario, opt.native, opt.paths, opt.timeout_seconds);
    sum.runs[opt.native.name]++;
    std::string why;
    if (!NativeUsable(native, &why)) {
      sum.native_unusable.push_back(scenario + " (" + why + ")");
      if (!opt.quiet) std::cerr << "[" << i << "] native: " << why << ": " << scenario << "\n";
      continue;
    }
    for (const auto& column : opt.columns) {
      DiffRecord rec = RunScenario(scenario, column, opt.paths, opt.timeout_seconds);
      sum.runs[column.name]++;
      auto d = CompareRecords(native, rec, native.bio_pair);
      if (!d) continue;
      if (!d->crash_or_hang && FindKnown(opt.known, column.name, d->kind) == nullptr &&
          AnswersVary(opt, column, scenario, native, rec)) {
        sum.native_varies.push_back("[" + column.name + "] " + scenario);
        if (!opt.quiet) {
          std::cerr << "[" << i << "] " << column.name
                    << ": answers that vary from run to run: " << d->kind << "\n";
        }
        continue;
      }
      KindFinding* found = nullptr;
      for (auto& k : sum.kinds) {
        if (k.column == column.name && k.kind == d->kind) found = &k;
      }
      if (found != nullptr) {
        found->count++;
        continue;
      }
      if (!opt.quiet) {
        std::cerr << "[" << i << "] " << column.name << ": new kind: " << d->kind << "\n";
      }
      KindFinding k;
      k.column = column.name;
      k.kind = d->kind;
      k.count = 1;
      k.first_index = static_cast<uint64_t>(i);
      k.first_scenario = scenario;
      k.crash_or_hang = d->crash_or_hang;
      k.known = FindKnown(opt.known, column.name, d->kind);
      k.minimal = Shrink(opt, column, scenario, d->kind);
      auto again = DifferenceIn(opt, column, k.minimal);
      // The minimal example is run once more for its answers; if it no longer differs, the
      // difference depends on timing, and the report says so rather than hide it.
      k.detail = again
                     ? again->detail
                     : "(the minimal scenario did not differ when run again: timing?) " + d->detail;
      sum.kinds.push_back(k);
    }
  }
  return sum;
}

int ReplayScenario(const DiffOptions& opt, const std::string& scenario) {
  DiffScenario parsed;
  char err[256];
  if (!diff_parse(scenario.c_str(), &parsed, err, sizeof err)) {
    std::cerr << "sslshim-compat: " << err << "\n";
    return 2;
  }
  const std::string text = FormatScenario(parsed);
  std::cout << "scenario: " << text << "\n";
  DiffRecord native = RunScenario(text, opt.native, opt.paths, opt.timeout_seconds);
  PrintRecord(opt.native.name.c_str(), native);
  std::string why;
  if (!NativeUsable(native, &why)) {
    std::cout << "native OpenSSL did not finish (" << why << "): nothing to compare with\n";
    return 1;
  }
  int status = 0;
  for (const auto& column : opt.columns) {
    DiffRecord rec = RunScenario(text, column, opt.paths, opt.timeout_seconds);
    PrintRecord(column.name.c_str(), rec);
    auto d = CompareRecords(native, rec, native.bio_pair);
    if (!d) {
      std::cout << "  " << column.name << ": same as native\n";
      continue;
    }
    if (!d->crash_or_hang && AnswersVary(opt, column, text, native, rec)) {
      std::cout << "  " << column.name << ": " << d->kind
                << "\n    but the answers vary from run to run: one side gave the other's in "
                   "another run\n";
      continue;
    }
    status = 1;
    std::cout << "  " << column.name << ": " << d->kind << "\n    " << d->detail << "\n"
              << "    minimal: " << Shrink(opt, column, text, d->kind) << "\n";
  }
  return status;
}

}  // namespace compat
