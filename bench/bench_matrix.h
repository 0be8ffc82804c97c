// The benchmark matrix (payload sizes x TLS versions x workloads) and the benchmark names built
// from it. Shared, library-free, by the OpenSSL-API half, the direct-BoringSSL half (which cannot
// include OpenSSL's headers) and the driver that reads the results back by name.
#ifndef SSLSHIM_BENCH_BENCH_MATRIX_H_
#define SSLSHIM_BENCH_BENCH_MATRIX_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sslshim_bench {

enum class TlsVersion { kTls12, kTls13 };

// kWrite: the client's SSL_write alone; the ciphertext is taken out of the BIO pair raw (no
// decryption), so the figure is SSL_write's own cost. kWriteRead: SSL_write and the peer's
// SSL_read of the same bytes, the round a real program pays.
enum class Workload { kWrite, kWriteRead };

struct BenchCase {
  TlsVersion version;
  Workload workload;
  size_t payload_size;
};

// Every case, in display order.
std::vector<BenchCase> AllBenchCases();

const char* TlsVersionName(TlsVersion version);  // "TLS1.2", "TLS1.3"
const char* WorkloadName(Workload workload);     // "write", "write+read"

// "<workload>/<version>/<size>", e.g. "write/TLS1.3/16384".
std::string BenchmarkName(const BenchCase& bench_case);
// The inverse of BenchmarkName; ignores anything Google Benchmark appends after the size.
std::optional<BenchCase> ParseBenchmarkName(const std::string& name);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_BENCH_MATRIX_H_
