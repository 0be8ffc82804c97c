#include "driver.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "child_process.h"
#include "comparison_table.h"
#include "results.h"
#include "roles.h"
#include "sample_file.h"

#ifndef SSLSHIM_BENCH_SHIM_LIBRARY
#error "SSLSHIM_BENCH_SHIM_LIBRARY (the path of libsslshim.so) must be defined by the build"
#endif

namespace sslshim_bench {

namespace {

constexpr const char* kUsage =
    "usage: sslshim-bench [--rounds=N] [--show-child-output] [--child-timeout=SECONDS]\n"
    "                     [Google Benchmark options, e.g. --benchmark_min_time=1\n"
    "                      --benchmark_repetitions=10 --benchmark_filter=write/TLS1.3]\n"
    "Runs the SSL_write benchmarks in two processes with the shim preloaded: shim>BoringSSL in\n"
    "batches alternating with direct BoringSSL, and shim>OpenSSL alternating with the real\n"
    "libssl called directly; prints MB/s, the paired ratios and the project's speed budget. Each "
    "round\n"
    "runs both processes once; every cell is the median of all repetitions of all rounds.\n"
    "Defaults: --rounds=1 --benchmark_repetitions=7 --benchmark_min_time=0.2\n"
    "          --benchmark_enable_random_interleaving=true\n";

struct DriverOptions {
  int rounds = 1;
  bool show_child_output = false;
  int child_timeout_seconds = 1200;
  std::vector<std::string> benchmark_args;
};

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool HasFlag(const std::vector<std::string>& args, const std::string& flag) {
  for (const std::string& arg : args) {
    if (arg == flag || StartsWith(arg, flag + "=")) return true;
  }
  return false;
}

// nullopt when there is nothing to run: --help (*exit_status 0) or unusable arguments (2).
std::optional<DriverOptions> ParseOptions(int argc, char** argv, int* exit_status) {
  DriverOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      *exit_status = 0;
      return std::nullopt;
    } else if (StartsWith(arg, "--rounds=")) {
      options.rounds = std::atoi(arg.c_str() + 9);
      if (options.rounds < 1) options.rounds = 1;
    } else if (arg == "--show-child-output") {
      options.show_child_output = true;
    } else if (StartsWith(arg, "--child-timeout=")) {
      options.child_timeout_seconds = std::atoi(arg.c_str() + 16);
    } else if (StartsWith(arg, "--benchmark_out")) {
      std::cerr << "sslshim-bench: " << arg << " is used internally to collect the samples\n";
      *exit_status = 2;
      return std::nullopt;
    } else if (StartsWith(arg, "--benchmark_")) {
      options.benchmark_args.push_back(arg);
    } else {
      std::cerr << "sslshim-bench: unknown argument " << arg << "\n" << kUsage;
      *exit_status = 2;
      return std::nullopt;
    }
  }
  const std::pair<const char*, const char*> defaults[] = {
      {"--benchmark_repetitions", "7"},
      {"--benchmark_min_time", "0.2"},
      {"--benchmark_enable_random_interleaving", "true"},
  };
  for (const auto& [flag, value] : defaults) {
    if (!HasFlag(options.benchmark_args, flag)) {
      options.benchmark_args.push_back(std::string(flag) + "=" + value);
    }
  }
  return options;
}

std::string SelfExecutable() {
  std::vector<char> path(4096);
  ssize_t length = readlink("/proc/self/exe", path.data(), path.size() - 1);
  return length > 0 ? std::string(path.data(), static_cast<size_t>(length)) : "";
}

ChildSpec SpecFor(const Role& role, const DriverOptions& options, const std::string& executable,
                  const std::string& sample_path, const std::string& log_path) {
  ChildSpec spec;
  spec.executable = executable;
  spec.args = options.benchmark_args;
  spec.args.push_back("--benchmark_out=" + sample_path);
  spec.env_changes[kChildRoleEnv] = role.name;
  spec.env_changes["LD_PRELOAD"] = SSLSHIM_BENCH_SHIM_LIBRARY;
  spec.env_changes["SSLSHIM_BACKEND"] = role.backend;
  if (!options.show_child_output) {
    spec.stdout_path = "/dev/null";
    spec.stderr_path = log_path;
  }
  spec.timeout_seconds = options.child_timeout_seconds;
  return spec;
}

// A failed child's last words (its stderr, kept in a file so that progress lines stay readable).
void PrintLogTail(const std::string& log_path) {
  constexpr size_t kLines = 20;
  std::ifstream log(log_path);
  std::deque<std::string> tail;
  for (std::string line; std::getline(log, line);) {
    tail.push_back(line);
    if (tail.size() > kLines) tail.pop_front();
  }
  for (const std::string& line : tail) std::cerr << "    | " << line << "\n";
}

std::string HowMeasured(const Results& results, const DriverOptions& options) {
  size_t fewest = 0, most = 0;
  for (Column column : kAllColumns) {
    for (const BenchCase& bench_case : AllBenchCases()) {
      size_t count = results.SampleCount(column, bench_case);
      if (count == 0) continue;
      fewest = fewest == 0 ? count : std::min(fewest, count);
      most = std::max(most, count);
    }
  }
  std::string samples =
      fewest == most ? std::to_string(most) : std::to_string(fewest) + "-" + std::to_string(most);
  return "Each cell: median over " + samples + " repetitions (" + std::to_string(options.rounds) +
         " round(s)) of each repetition's median batch.\n"
         "Each ratio is measured pairwise, batch against batch in one process (shim>BoringSSL "
         "with\n"
         "BoringSSL, shim>OpenSSL with OpenSSL called directly): steadier than the MB/s quotient.";
}

// Each distinct problem once, with how often it happened (a bad column repeats for every sample).
void PrintProblems(const std::vector<std::string>& problems) {
  if (problems.empty()) return;
  std::vector<std::pair<std::string, int>> distinct;
  for (const std::string& problem : problems) {
    auto same = std::find_if(distinct.begin(), distinct.end(),
                             [&](const auto& entry) { return entry.first == problem; });
    if (same == distinct.end()) {
      distinct.emplace_back(problem, 1);
    } else {
      ++same->second;
    }
  }
  std::cout << "\nProblems (" << problems.size() << "):\n";
  for (const auto& [problem, count] : distinct) {
    std::cout << "  " << problem << (count > 1 ? " (x" + std::to_string(count) + ")" : "") << "\n";
  }
}

// One process: its samples go into `results`, and its failure (if any) into results' problems.
void RunOneChild(const Role& role, int round, const DriverOptions& options,
                 const std::string& executable, const std::string& work_dir, Results* results) {
  std::string sample_path =
      work_dir + "/" + role.name + "-round" + std::to_string(round) + ".samples";
  std::string log_path = sample_path + ".log";
  auto started = std::chrono::steady_clock::now();
  std::string failure = RunChildProcess(SpecFor(role, options, executable, sample_path, log_path));
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
          .count();
  std::cerr << " " << seconds << " s" << (failure.empty() ? "" : " - FAILED: " + failure) << "\n";
  const size_t problems_before = results->problems().size();
  if (!failure.empty()) {
    results->AddProblem(std::string(role.name) + " round " + std::to_string(round) + ": " +
                        failure + " (samples written before the failure are kept)");
  }
  for (const Sample& sample : ReadSampleFile(sample_path)) results->Add(role, sample);
  // The child's stderr says why, e.g. ld.so's "cannot be preloaded" when the shim was missing.
  if (results->problems().size() > problems_before) PrintLogTail(log_path);
  unlink(sample_path.c_str());
  unlink(log_path.c_str());
}

}  // namespace

int RunDriver(int argc, char** argv) {
  int exit_status = 0;
  std::optional<DriverOptions> options = ParseOptions(argc, argv, &exit_status);
  if (!options) return exit_status;
  if (access(SSLSHIM_BENCH_SHIM_LIBRARY, R_OK) != 0) {
    std::cerr << "sslshim-bench: " << SSLSHIM_BENCH_SHIM_LIBRARY
              << " is missing: build the sslshim target first\n";
    return 1;
  }
  const char* tmp = getenv("TMPDIR");
  std::string work_dir =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sslshim-bench-XXXXXX";
  if (mkdtemp(work_dir.data()) == nullptr) {
    std::perror("sslshim-bench: mkdtemp");
    return 1;
  }

  // Rounds alternate the processes, so a change in machine load affects every column alike.
  Results results;
  const std::string executable = SelfExecutable();
  const size_t runs = static_cast<size_t>(options->rounds) * AllRoles().size();
  size_t run = 0;
  for (int round = 1; round <= options->rounds; ++round) {
    for (const Role& role : AllRoles()) {
      std::cerr << "[" << ++run << "/" << runs << "] " << role.description << " ..." << std::flush;
      RunOneChild(role, round, *options, executable, work_dir, &results);
    }
  }
  rmdir(work_dir.c_str());
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    if (results.Ciphers(version).size() > 1) {
      results.AddProblem(std::string(TlsVersionName(version)) +
                         ": the columns negotiated different ciphers");
    }
  }

  PrintComparison(results, HowMeasured(results, *options), std::cout);
  PrintProblems(results.problems());
  return results.problems().empty() ? 0 : 1;
}

}  // namespace sslshim_bench
