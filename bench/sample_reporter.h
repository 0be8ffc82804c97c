// The child's file reporter: writes each repetition (not the aggregates: the driver pools
// repetitions across rounds and takes its own median) to --benchmark_out as sample lines.
#ifndef SSLSHIM_BENCH_SAMPLE_REPORTER_H_
#define SSLSHIM_BENCH_SAMPLE_REPORTER_H_

#include <benchmark/benchmark.h>

#include <vector>

namespace sslshim_bench {

class SampleReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
};

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_SAMPLE_REPORTER_H_
