// The work against OpenSSL 3's real libssl, called through pointers found with dlvsym, so that it
// reaches OpenSSL even in a process where the shim is preloaded and owns the global libssl names:
// the baseline for shim>OpenSSL, measured in the same process.
#ifndef SSLSHIM_BENCH_OPENSSL_DIRECT_LOOP_H_
#define SSLSHIM_BENCH_OPENSSL_DIRECT_LOOP_H_

#include <memory>

#include "write_loop.h"

namespace sslshim_bench {

// nullptr if the real libssl.so.3 (OPENSSL_3.0.0) is not in the process.
std::unique_ptr<WriteLoop> NewOpenSslDirectLoop();

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_OPENSSL_DIRECT_LOOP_H_
