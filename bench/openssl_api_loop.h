// The work written against OpenSSL 3's API, called by name: in a process with the shim preloaded,
// the shim serves it.
#ifndef SSLSHIM_BENCH_OPENSSL_API_LOOP_H_
#define SSLSHIM_BENCH_OPENSSL_API_LOOP_H_

#include <memory>

#include "write_loop.h"

namespace sslshim_bench {

std::unique_ptr<WriteLoop> NewOpenSslApiLoop();

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_OPENSSL_API_LOOP_H_
