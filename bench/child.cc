#include "child.h"

#include <benchmark/benchmark.h>

#include "boringssl_direct_loop.h"
#include "openssl_api_loop.h"
#include "openssl_direct_loop.h"
#include "paired_bench.h"
#include "sample_reporter.h"

namespace sslshim_bench {

int RunChild(const Role& role, int argc, char** argv) {
  WriteLoopFactory baseline = role.baseline_column == Column::kBoringSslDirect
                                  ? NewBoringSslDirectLoop
                                  : NewOpenSslDirectLoop;
  RegisterPairedBenchmarks(NewOpenSslApiLoop, baseline);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  SampleReporter samples;
  benchmark::RunSpecifiedBenchmarks(nullptr, &samples);
  benchmark::Shutdown();
  return 0;
}

}  // namespace sslshim_bench
