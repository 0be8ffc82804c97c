// The driver: runs this executable again once per role (natively, and with the shim preloaded
// over each backend), pools the samples, checks them, prints the comparison.
#ifndef SSLSHIM_BENCH_DRIVER_H_
#define SSLSHIM_BENCH_DRIVER_H_

namespace sslshim_bench {

// Exit status: 0 when every column was measured cleanly (whether or not the budget is met: the
// table says that), 1 when a child failed or a check did not hold, 2 on bad arguments.
int RunDriver(int argc, char** argv);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_DRIVER_H_
