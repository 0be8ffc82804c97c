#include "shrink.h"

#include "generator.h"
#include "scenario.h"

namespace compat {
namespace {

// Simpler variants of one step: a shorter write (same retry), a plain retry.
bool Simplify(DiffStep& step, int attempt) {
  if (step.kind != DIFF_WRITE && step.kind != DIFF_WRITE_EX) return false;
  if (attempt == 0 && step.retry != DIFF_RETRY_SAME) {
    step.retry = DIFF_RETRY_SAME;
    return true;
  }
  if (attempt == 1 && step.len > 100) {
    step.len = 100;
    return true;
  }
  if (attempt == 2 && step.kind == DIFF_WRITE_EX) {
    step.kind = DIFF_WRITE;
    return true;
  }
  return false;
}

}  // namespace

std::string ShrinkScenario(
    const std::string& scenario, const std::string& kind,
    const std::function<std::optional<std::string>(const std::string&)>& kind_of) {
  DiffScenario best;
  char err[256];
  if (!diff_parse(scenario.c_str(), &best, err, sizeof err)) return scenario;
  auto keeps_kind = [&](const DiffScenario& candidate) {
    if (!ScenarioValid(candidate)) return false;
    auto k = kind_of(FormatScenario(candidate));
    return k && *k == kind;
  };
  bool changed = true;
  while (changed) {
    changed = false;
    // Drop one step at a time, last first: later steps rarely cause earlier differences.
    for (int i = best.count - 1; i >= 0 && best.count > 1; i--) {
      DiffScenario candidate = best;
      for (int k = i; k + 1 < candidate.count; k++) candidate.steps[k] = candidate.steps[k + 1];
      candidate.count--;
      if (keeps_kind(candidate)) {
        best = candidate;
        changed = true;
      }
    }
    for (int i = 0; i < best.count; i++) {
      for (int attempt = 0; attempt < 3; attempt++) {
        DiffScenario candidate = best;
        if (Simplify(candidate.steps[i], attempt) && keeps_kind(candidate)) {
          best = candidate;
          changed = true;
        }
      }
    }
  }
  return FormatScenario(best);
}

}  // namespace compat
