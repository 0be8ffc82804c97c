#include "results.h"

#include <algorithm>
#include <sstream>

namespace sslshim_bench {

namespace {
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}
}  // namespace

Results::CellKey Results::KeyOf(Column column, const BenchCase& bench_case) {
  return {column, bench_case.workload, bench_case.version, bench_case.payload_size};
}

void Results::Add(const Role& role, const Sample& sample) {
  std::string where = std::string(role.name) + " " + sample.benchmark_name;
  std::optional<BenchCase> bench_case = ParseBenchmarkName(sample.benchmark_name);
  if (!bench_case) {
    problems_.push_back(where + ": not a benchmark of this program");
    return;
  }
  if (!sample.error.empty()) {
    problems_.push_back(where + ": " + sample.error);
    return;
  }
  // The label: shim cipher, shim provider, baseline cipher, baseline provider.
  std::vector<std::string> label = Words(sample.label);
  if (label.size() != 4 || label[1] != ExpectedProvider(role.shim_column) ||
      label[3] != ExpectedProvider(role.baseline_column)) {
    problems_.push_back(where + ": SSL_write was not served by " +
                        ExpectedProvider(role.shim_column) + " and " +
                        ExpectedProvider(role.baseline_column) + " (label '" + sample.label +
                        "'); sample discarded");
    return;
  }
  ciphers_[bench_case->version].insert(label[0]);
  ciphers_[bench_case->version].insert(label[2]);
  bytes_per_second_[KeyOf(role.shim_column, *bench_case)].push_back(sample.shim_bytes_per_second);
  bytes_per_second_[KeyOf(role.baseline_column, *bench_case)].push_back(
      sample.baseline_bytes_per_second);
  ratios_[KeyOf(role.shim_column, *bench_case)].push_back(sample.ratio);
}

std::optional<double> Results::MedianOf(const std::map<CellKey, std::vector<double>>& cells,
                                        const CellKey& key) {
  auto found = cells.find(key);
  if (found == cells.end() || found->second.empty()) return std::nullopt;
  std::vector<double> values = found->second;
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

std::optional<double> Results::MedianBytesPerSecond(Column column,
                                                    const BenchCase& bench_case) const {
  return MedianOf(bytes_per_second_, KeyOf(column, bench_case));
}

std::optional<double> Results::MedianRatio(Column shim_column, const BenchCase& bench_case) const {
  return MedianOf(ratios_, KeyOf(shim_column, bench_case));
}

size_t Results::SampleCount(Column column, const BenchCase& bench_case) const {
  auto found = bytes_per_second_.find(KeyOf(column, bench_case));
  return found == bytes_per_second_.end() ? 0 : found->second.size();
}

std::set<std::string> Results::Ciphers(TlsVersion version) const {
  auto found = ciphers_.find(version);
  return found == ciphers_.end() ? std::set<std::string>() : found->second;
}

}  // namespace sslshim_bench
