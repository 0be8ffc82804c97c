#include "bench_matrix.h"

#include <cstdlib>
#include <sstream>

namespace sslshim_bench {

namespace {
// The sizes the speed budget names: one small record, a typical write, one full TLS record.
constexpr size_t kPayloadSizes[] = {64, 1024, 16384};
constexpr TlsVersion kVersions[] = {TlsVersion::kTls12, TlsVersion::kTls13};
constexpr Workload kWorkloads[] = {Workload::kWrite, Workload::kWriteRead};
}  // namespace

std::vector<BenchCase> AllBenchCases() {
  std::vector<BenchCase> cases;
  for (Workload workload : kWorkloads) {
    for (TlsVersion version : kVersions) {
      for (size_t size : kPayloadSizes) cases.push_back({version, workload, size});
    }
  }
  return cases;
}

const char* TlsVersionName(TlsVersion version) {
  return version == TlsVersion::kTls12 ? "TLS1.2" : "TLS1.3";
}

const char* WorkloadName(Workload workload) {
  return workload == Workload::kWrite ? "write" : "write+read";
}

std::string BenchmarkName(const BenchCase& bench_case) {
  return std::string(WorkloadName(bench_case.workload)) + "/" + TlsVersionName(bench_case.version) +
         "/" + std::to_string(bench_case.payload_size);
}

std::optional<BenchCase> ParseBenchmarkName(const std::string& name) {
  std::vector<std::string> parts;
  std::stringstream stream(name);
  for (std::string part; std::getline(stream, part, '/');) parts.push_back(part);
  if (parts.size() < 3) return std::nullopt;
  for (const BenchCase& candidate : AllBenchCases()) {
    if (parts[0] == WorkloadName(candidate.workload) &&
        parts[1] == TlsVersionName(candidate.version) &&
        parts[2] == std::to_string(candidate.payload_size)) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace sslshim_bench
