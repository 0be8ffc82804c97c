// One side of a comparison: a client and a server SSL, connected, and the timed work on them.
// Library-free, so that loops built against OpenSSL's headers and against BoringSSL's can be
// driven by the same code (paired_bench.cc).
#ifndef SSLSHIM_BENCH_WRITE_LOOP_H_
#define SSLSHIM_BENCH_WRITE_LOOP_H_

#include <memory>
#include <string>

#include "bench_matrix.h"

namespace sslshim_bench {

class WriteLoop {
 public:
  virtual ~WriteLoop() = default;
  // Sets up the pair for `bench_case` and handshakes. Empty on success, else what failed.
  virtual std::string Connect(const BenchCase& bench_case) = 0;
  // Runs the workload `count` times. Empty on success, else what failed.
  virtual std::string Run(int count) = 0;
  // "<negotiated cipher> <file that serves SSL_write>", for the driver's checks.
  virtual std::string Label() const = 0;
};

using WriteLoopFactory = std::unique_ptr<WriteLoop> (*)();

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_WRITE_LOOP_H_
