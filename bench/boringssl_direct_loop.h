// The work written against BoringSSL's own API: the baseline for shim>BoringSSL. Compiled
// against BoringSSL's headers and linked with the privately prefixed BoringSSL, so it runs the
// same in any process, with or without the shim preloaded.
#ifndef SSLSHIM_BENCH_BORINGSSL_DIRECT_LOOP_H_
#define SSLSHIM_BENCH_BORINGSSL_DIRECT_LOOP_H_

#include <memory>

#include "write_loop.h"

namespace sslshim_bench {

std::unique_ptr<WriteLoop> NewBoringSslDirectLoop();

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_BORINGSSL_DIRECT_LOOP_H_
