// Prints the comparison: for each workload, TLS version and payload size, the four columns in
// MB/s, the paired ratios shim>BoringSSL / BoringSSL and shim>OpenSSL / OpenSSL, and whether
// the project's speed budget holds (shim>BoringSSL >= 0.93x direct BoringSSL at 64 B, >= 0.97x at
// 16 KiB).
#ifndef SSLSHIM_BENCH_COMPARISON_TABLE_H_
#define SSLSHIM_BENCH_COMPARISON_TABLE_H_

#include <iosfwd>
#include <string>

#include "results.h"

namespace sslshim_bench {

struct BudgetSummary {
  int cells_checked = 0;
  int cells_missed = 0;
  int cells_unmeasured = 0;
};

// `how_measured` is one line saying how many repetitions and rounds the medians are over.
BudgetSummary PrintComparison(const Results& results, const std::string& how_measured,
                              std::ostream& out);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_COMPARISON_TABLE_H_
