// What the children measured, pooled by table cell (column x case), with the checks that keep a
// column honest: every sample must come from the code its column names, and no benchmark may
// have failed.
#ifndef SSLSHIM_BENCH_RESULTS_H_
#define SSLSHIM_BENCH_RESULTS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "bench_matrix.h"
#include "roles.h"
#include "sample_file.h"

namespace sslshim_bench {

class Results {
 public:
  // Files a child's sample under its cells, or records why it cannot be used.
  void Add(const Role& role, const Sample& sample);
  void AddProblem(const std::string& problem) { problems_.push_back(problem); }

  std::optional<double> MedianBytesPerSecond(Column column, const BenchCase& bench_case) const;
  // Median of the paired ratios shim / baseline for the shim column's cells.
  std::optional<double> MedianRatio(Column shim_column, const BenchCase& bench_case) const;
  size_t SampleCount(Column column, const BenchCase& bench_case) const;
  // The ciphers the samples of this version negotiated, across all columns (one, if all agree).
  std::set<std::string> Ciphers(TlsVersion version) const;
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  using CellKey = std::tuple<Column, Workload, TlsVersion, size_t>;
  static CellKey KeyOf(Column column, const BenchCase& bench_case);
  static std::optional<double> MedianOf(const std::map<CellKey, std::vector<double>>& cells,
                                        const CellKey& key);

  std::map<CellKey, std::vector<double>> bytes_per_second_;
  std::map<CellKey, std::vector<double>> ratios_;
  std::map<TlsVersion, std::set<std::string>> ciphers_;
  std::vector<std::string> problems_;
};

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_RESULTS_H_
