// A child process of sslshim-bench: registers the benchmarks its role runs, then runs Google
// Benchmark with the driver's arguments, writing samples to --benchmark_out.
#ifndef SSLSHIM_BENCH_CHILD_H_
#define SSLSHIM_BENCH_CHILD_H_

#include "roles.h"

namespace sslshim_bench {

int RunChild(const Role& role, int argc, char** argv);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_CHILD_H_
