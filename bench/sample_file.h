// One measured repetition as a child writes it and the driver reads it back: a line of
// tab-separated fields in a temporary file (no JSON parser needed on either side).
#ifndef SSLSHIM_BENCH_SAMPLE_FILE_H_
#define SSLSHIM_BENCH_SAMPLE_FILE_H_

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sslshim_bench {

struct Sample {
  std::string benchmark_name;
  double shim_bytes_per_second = 0;
  double baseline_bytes_per_second = 0;
  double ratio = 0;   // median over the repetition's batch pairs of shim / baseline throughput
  std::string label;  // "<shim cipher> <shim provider> <baseline cipher> <baseline provider>"
  std::string error;  // empty unless the benchmark called SkipWithError
};

void WriteSample(std::ostream& out, const Sample& sample);
std::optional<Sample> ParseSampleLine(const std::string& line);
// Every sample in the file; malformed lines are skipped (a crash can cut the last one short).
std::vector<Sample> ReadSampleFile(const std::string& path);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_SAMPLE_FILE_H_
