// The benchmarks: for each case, the shim (the OpenSSL-API loop, served by the preloaded shim)
// and a baseline loop, run in alternating batches inside one benchmark so that both see the same
// machine load, batch by batch.
#ifndef SSLSHIM_BENCH_PAIRED_BENCH_H_
#define SSLSHIM_BENCH_PAIRED_BENCH_H_

#include "write_loop.h"

namespace sslshim_bench {

// Counters each benchmark reports (read back by the driver through SampleReporter).
inline constexpr const char* kShimBytesPerSecond = "shim_Bps";
inline constexpr const char* kBaselineBytesPerSecond = "baseline_Bps";
inline constexpr const char* kThroughputRatio = "ratio";  // shim / baseline

// Registers BenchmarkName(case) for every case of AllBenchCases().
void RegisterPairedBenchmarks(WriteLoopFactory shim, WriteLoopFactory baseline);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_PAIRED_BENCH_H_
