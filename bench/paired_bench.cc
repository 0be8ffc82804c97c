// Why pairs of batches: the machine is shared, and a co-runner on the sibling hyperthread changes
// the cost of every instruction for seconds at a time. Separate benchmarks (even interleaved
// repetitions in one process) then gave shim/baseline ratios that moved by 10-15% from run to
// run. Here each Google Benchmark iteration runs one batch of the shim and one of the baseline
// (alternating which goes first), each timed on its own; the ratio is the median of the per-pair
// ratios, so load that changes more slowly than one batch (tens to hundreds of microseconds)
// cancels out, and a batch that was preempted is an outlier the median ignores.
#include "paired_bench.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bench_matrix.h"

namespace sslshim_bench {

namespace {

// Enough writes per batch that the clock reads are noise (>= ~10 us), few enough that load
// rarely changes within one: 1024 x 64 B, 64 x 1 KiB, 4 x 16 KiB.
int BatchSize(size_t payload_size) {
  return static_cast<int>(std::max<size_t>(4, 65536 / payload_size));
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// Seconds taken by one batch, or a negative value with *error set.
double TimeBatch(WriteLoop& loop, int batch, std::string* error) {
  auto start = std::chrono::steady_clock::now();
  *error = loop.Run(batch);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return error->empty() ? elapsed.count() : -1;
}

void BenchmarkPair(benchmark::State& state, BenchCase bench_case, WriteLoopFactory shim_factory,
                   WriteLoopFactory baseline_factory) {
  std::unique_ptr<WriteLoop> shim = shim_factory();
  std::unique_ptr<WriteLoop> baseline = baseline_factory();
  if (shim == nullptr || baseline == nullptr) {
    state.SkipWithError("a loop could not be made (is the real libssl.so.3 loaded?)");
    return;
  }
  for (WriteLoop* loop : {shim.get(), baseline.get()}) {
    if (std::string error = loop->Connect(bench_case); !error.empty()) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  const int batch = BatchSize(bench_case.payload_size);
  std::string error;
  // Warm-up (buffers allocated, caches filled), untimed.
  if (TimeBatch(*shim, batch, &error) < 0 || TimeBatch(*baseline, batch, &error) < 0) {
    state.SkipWithError(error.c_str());
    return;
  }

  std::vector<double> shim_seconds, baseline_seconds;
  bool shim_first = true;
  for (auto _ : state) {
    WriteLoop& first = shim_first ? *shim : *baseline;
    WriteLoop& second = shim_first ? *baseline : *shim;
    double first_seconds = TimeBatch(first, batch, &error);
    double second_seconds = first_seconds < 0 ? -1 : TimeBatch(second, batch, &error);
    if (second_seconds < 0) {
      state.SkipWithError(error.c_str());
      return;
    }
    shim_seconds.push_back(shim_first ? first_seconds : second_seconds);
    baseline_seconds.push_back(shim_first ? second_seconds : first_seconds);
    shim_first = !shim_first;
  }

  std::vector<double> ratios;
  for (size_t i = 0; i < shim_seconds.size(); ++i) {
    ratios.push_back(baseline_seconds[i] / shim_seconds[i]);  // throughput shim / baseline
  }
  const double batch_bytes =
      static_cast<double>(batch) * static_cast<double>(bench_case.payload_size);
  state.counters[kShimBytesPerSecond] = batch_bytes / Median(shim_seconds);
  state.counters[kBaselineBytesPerSecond] = batch_bytes / Median(baseline_seconds);
  state.counters[kThroughputRatio] = Median(ratios);
  state.SetLabel(shim->Label() + " " + baseline->Label());
}

}  // namespace

void RegisterPairedBenchmarks(WriteLoopFactory shim, WriteLoopFactory baseline) {
  for (const BenchCase& bench_case : AllBenchCases()) {
    benchmark::RegisterBenchmark(BenchmarkName(bench_case).c_str(), BenchmarkPair, bench_case, shim,
                                 baseline);
  }
}

}  // namespace sslshim_bench
