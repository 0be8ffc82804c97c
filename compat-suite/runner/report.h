// Turns the runs into the matrix (claims x columns), the per-case table, the JSON file with every
// observation and the JUnit file.
#ifndef COMPAT_SUITE_RUNNER_REPORT_H_
#define COMPAT_SUITE_RUNNER_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "case_table.h"
#include "claims.h"
#include "model.h"

namespace compat {

struct Run {
  const CaseSpec* spec = nullptr;
  std::string tls;
  size_t column = 0;
  Observation obs;
  std::map<std::string, Judgement> verdicts;  // per claim
};

struct Cell {
  bool ran = false;  // false: no case for this claim was selected ("-")
  Verdict verdict = Verdict::kNa;
  std::vector<std::string> notes;
};

class Report {
 public:
  Report(std::vector<Column> columns, std::vector<Run> runs);

  const Cell& At(size_t claim, size_t column) const { return cells_[claim][column]; }
  // Markdown: the matrix, footnotes and summary lines (what stdout shows); `with_cases` adds the
  // per-case table (matrix.md). Both are the same for the same behaviour, run after run.
  std::string Markdown(bool with_cases) const;
  // What each run did, step by step (observations.md); retry counts vary with timing.
  std::string ObservationsMarkdown() const;
  std::string SummaryLines() const;
  std::string JsonText() const;
  std::string JUnitText() const;
  bool JudgedColumnBreaks() const;

 private:
  Cell ComputeCell(const Claim& claim, size_t column) const;
  Cell CrossCutting(const std::string& id, size_t column) const;
  std::string Footnote(const Cell& cell, std::vector<std::string>& notes) const;

  std::vector<Column> columns_;
  std::vector<Run> runs_;
  std::vector<std::vector<Cell>> cells_;
};

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_REPORT_H_
