// The differential engine's report: the same text on the console and in differential.md, and the
// same facts in differential.json, next to the suite's other reports.
#ifndef COMPAT_SUITE_DIFFERENTIAL_DIFF_REPORT_H_
#define COMPAT_SUITE_DIFFERENTIAL_DIFF_REPORT_H_

#include <string>
#include <vector>

#include "engine.h"

namespace compat {

std::string DifferentialMarkdown(const DiffSummary& sum, const std::vector<Column>& columns);
std::string DifferentialJson(const DiffSummary& sum);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_DIFF_REPORT_H_
