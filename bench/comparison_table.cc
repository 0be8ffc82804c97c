#include "comparison_table.h"

#include <cstdio>
#include <optional>
#include <ostream>

namespace sslshim_bench {

namespace {

struct BudgetRule {
  size_t payload_size;
  double min_ratio;  // shim>BoringSSL / direct BoringSSL
};
// Issue #3 §8.
constexpr BudgetRule kBudget[] = {{64, 0.93}, {16384, 0.97}};

std::optional<double> MinRatioFor(size_t payload_size) {
  for (const BudgetRule& rule : kBudget) {
    if (rule.payload_size == payload_size) return rule.min_ratio;
  }
  return std::nullopt;
}

std::string Format(const char* format, double value) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string MegabytesPerSecond(const std::optional<double>& bytes_per_second) {
  return bytes_per_second ? Format("%.1f", *bytes_per_second / 1e6) : "-";
}

std::string RatioText(const std::optional<double>& ratio) {
  return ratio ? Format("%.3f", *ratio) : "-";
}

const char* WorkloadDescription(Workload workload) {
  return workload == Workload::kWrite
             ? "SSL_write alone (the ciphertext is taken from the BIO pair undecrypted)"
             : "SSL_write + the peer's SSL_read of the same bytes";
}

std::string CipherLine(const Results& results) {
  std::string line = "Negotiated cipher:";
  const char* separator = " ";
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    std::set<std::string> ciphers = results.Ciphers(version);
    line += separator + std::string(TlsVersionName(version)) + " ";
    separator = "; ";
    if (ciphers.empty()) {
      line += "(none measured)";
    } else if (ciphers.size() == 1) {
      line += *ciphers.begin() + " in every column";
    } else {
      line += "DIFFERS between columns (";
      for (const std::string& cipher : ciphers)
        line += cipher + (cipher == *ciphers.rbegin() ? "" : " ");
      line += "): not like for like";
    }
  }
  return line;
}

}  // namespace

BudgetSummary PrintComparison(const Results& results, const std::string& how_measured,
                              std::ostream& out) {
  BudgetSummary summary;
  out << "\nSSL_write throughput over a BIO pair, MB/s (10^6 bytes per second)\n"
      << how_measured << "\n"
      << CipherLine(results) << "\n";
  char line[256];
  for (Workload workload : {Workload::kWrite, Workload::kWriteRead}) {
    out << "\n" << WorkloadName(workload) << ": " << WorkloadDescription(workload) << "\n";
    std::snprintf(line, sizeof line, "%-7s %6s %10s %15s %7s %-12s %10s %13s %7s\n", "version",
                  "bytes", ColumnTitle(Column::kBoringSslDirect),
                  ColumnTitle(Column::kShimBoringSsl), "ratio", "budget",
                  ColumnTitle(Column::kOpenSslNative), ColumnTitle(Column::kShimOpenSsl), "ratio");
    out << line;
    for (const BenchCase& bench_case : AllBenchCases()) {
      if (bench_case.workload != workload) continue;
      auto direct = results.MedianBytesPerSecond(Column::kBoringSslDirect, bench_case);
      auto shim_bssl = results.MedianBytesPerSecond(Column::kShimBoringSsl, bench_case);
      auto native = results.MedianBytesPerSecond(Column::kOpenSslNative, bench_case);
      auto shim_openssl = results.MedianBytesPerSecond(Column::kShimOpenSsl, bench_case);
      std::optional<double> bssl_ratio = results.MedianRatio(Column::kShimBoringSsl, bench_case);
      std::optional<double> openssl_ratio = results.MedianRatio(Column::kShimOpenSsl, bench_case);
      std::string budget = "";
      if (std::optional<double> min_ratio = MinRatioFor(bench_case.payload_size)) {
        ++summary.cells_checked;
        if (!bssl_ratio) {
          ++summary.cells_unmeasured;
          budget = "unmeasured";
        } else {
          bool met = *bssl_ratio >= *min_ratio;
          if (!met) ++summary.cells_missed;
          budget = Format(">=%.2f ", *min_ratio) + (met ? "met" : "MISSED");
        }
      }
      std::snprintf(line, sizeof line, "%-7s %6zu %10s %15s %7s %-12s %10s %13s %7s\n",
                    TlsVersionName(bench_case.version), bench_case.payload_size,
                    MegabytesPerSecond(direct).c_str(), MegabytesPerSecond(shim_bssl).c_str(),
                    RatioText(bssl_ratio).c_str(), budget.c_str(),
                    MegabytesPerSecond(native).c_str(), MegabytesPerSecond(shim_openssl).c_str(),
                    RatioText(openssl_ratio).c_str());
      out << line;
    }
  }
  out << "\nBudget (shim>BoringSSL / direct BoringSSL, >=0.93 at 64 B, >=0.97 at 16384 B): ";
  if (summary.cells_checked == 0 || summary.cells_unmeasured == summary.cells_checked) {
    out << "NOT MEASURED\n";
  } else if (summary.cells_missed == 0) {
    int measured = summary.cells_checked - summary.cells_unmeasured;
    out << "met in all " << measured << " measured cells";
    if (summary.cells_unmeasured > 0) out << " (" << summary.cells_unmeasured << " unmeasured)";
    out << "\n";
  } else {
    out << "MISSED in " << summary.cells_missed << " of " << summary.cells_checked << " cells";
    if (summary.cells_unmeasured > 0) out << " (" << summary.cells_unmeasured << " unmeasured)";
    out << "\n";
  }
  return summary;
}

}  // namespace sslshim_bench
