#include "sample_reporter.h"

#include <ostream>

#include "paired_bench.h"
#include "sample_file.h"

namespace sslshim_bench {

namespace {
double CounterOf(const benchmark::BenchmarkReporter::Run& run, const char* name) {
  auto found = run.counters.find(name);
  return found == run.counters.end() ? 0 : found->second.value;
}
}  // namespace

bool SampleReporter::ReportContext(const Context&) { return true; }

void SampleReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration) continue;
    Sample sample;
    sample.benchmark_name = run.benchmark_name();
    sample.shim_bytes_per_second = CounterOf(run, kShimBytesPerSecond);
    sample.baseline_bytes_per_second = CounterOf(run, kBaselineBytesPerSecond);
    sample.ratio = CounterOf(run, kThroughputRatio);
    sample.label = run.report_label;
    if (run.error_occurred) sample.error = run.error_message.empty() ? "error" : run.error_message;
    WriteSample(GetOutputStream(), sample);
  }
  GetOutputStream().flush();  // a later crash must not lose what was measured
}

}  // namespace sslshim_bench
