// sslshim-compat: runs every SSL_write(3) case in every column and prints the matrix.
//
//   sslshim-compat --build-dir DIR [--column NAME]... [--case GLOB]... [--tls 1.2|1.3]
//                  [--extra-column NAME:ENV=VAL[,ENV=VAL]]... [--timeout SECONDS]
//                  [--report-dir DIR] [--unavailable-exit CODE] [--list] [--quiet]
//   sslshim-compat --build-dir DIR --differential N [--seed S] [--column NAME]...
//   sslshim-compat --build-dir DIR --differential-replay 'SCENARIO' | --seed S --index I
//                  [--known-differences FILE] [--stop-at-first-kind]   (differential/)
//
// Exit status: 1 if a judged column (shim-openssl, shim-boringssl, standin) has a `breaks` cell,
// else 0 (or --unavailable-exit's code when a selected judged column could not run); 2 on usage.
#include <fnmatch.h>
#include <openssl/ssl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "../differential/diff_command.h"
#include "case_table.h"
#include "certs.h"
#include "claims.h"
#include "columns.h"
#include "process.h"
#include "report.h"

namespace compat {
namespace {

struct Options {
  std::string build_dir;
  std::string report_dir;
  std::vector<std::string> columns;
  std::vector<std::string> cases;
  std::vector<std::string> extra;
  std::string tls;
  int timeout = 10;
  int unavailable_exit = 0;
  bool list = false;
  bool quiet = false;
  DiffCommand diff;
};

int Usage() {
  std::cerr << "usage: sslshim-compat --build-dir DIR [--column NAME]... [--case GLOB]...\n"
               "       [--tls 1.2|1.3] [--extra-column NAME:ENV=VAL[,ENV=VAL]]...\n"
               "       [--timeout SECONDS] [--report-dir DIR] [--unavailable-exit CODE]\n"
               "       [--list] [--quiet]\n"
               "       sslshim-compat [--column NAME]... --differential N [--seed S]\n"
               "       sslshim-compat [--column NAME]... --differential-replay SCENARIO\n"
               "       sslshim-compat [--column NAME]... --seed S --index I\n"
               "       (differential: [--known-differences FILE] [--stop-at-first-kind])\n";
  return 2;
}

std::string ExeDir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

void MakeDirs(const std::string& path) {
  for (size_t i = 1; i <= path.size(); i++) {
    if (i == path.size() || path[i] == '/') mkdir(path.substr(0, i).c_str(), 0755);
  }
}

bool Selected(const std::vector<std::string>& patterns, const std::string& name) {
  if (patterns.empty()) return true;
  for (const auto& p : patterns) {
    if (fnmatch(p.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

int Main(int argc, char** argv) {
  Options opt;
  opt.diff.known_file = COMPAT_KNOWN_DIFFERENCES;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--build-dir")
      opt.build_dir = value();
    else if (a == "--report-dir")
      opt.report_dir = value();
    else if (a == "--column")
      opt.columns.push_back(value());
    else if (a == "--case")
      opt.cases.push_back(value());
    else if (a == "--extra-column")
      opt.extra.push_back(value());
    else if (a == "--tls")
      opt.tls = value();
    else if (a == "--timeout")
      opt.timeout = std::atoi(value().c_str());
    else if (a == "--unavailable-exit")
      opt.unavailable_exit = std::atoi(value().c_str());
    else if (a == "--list")
      opt.list = true;
    else if (a == "--quiet")
      opt.quiet = true;
    else if (a == "--differential")
      opt.diff.count = std::atoi(value().c_str());
    else if (a == "--differential-replay")
      opt.diff.replay = value();
    else if (a == "--seed")
      opt.diff.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--index")
      opt.diff.index = std::atoll(value().c_str());
    else if (a == "--known-differences")
      opt.diff.known_file = value();
    else if (a == "--stop-at-first-kind")
      opt.diff.stop_at_first_kind = true;
    else
      return Usage();
  }
  if (opt.list) {
    for (const auto& c : Catalogue()) std::cout << c.id << "  " << c.words << "\n";
    std::cout << "\n";
    for (const auto& s : AllCases()) {
      std::cout << s.name << "  [";
      for (const auto& c : s.claims) std::cout << " " << c;
      std::cout << " ]  " << s.what << "\n";
    }
    return 0;
  }
  // OpenSSL's SSL reason strings, so W28 can compare the SUT's error text with OpenSSL's own.
  OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, nullptr);
  const std::string exe_dir = ExeDir();
  if (opt.build_dir.empty()) opt.build_dir = exe_dir + "/..";
  if (opt.report_dir.empty()) opt.report_dir = opt.build_dir + "/compat-suite/report";
  if (opt.timeout <= 0 || (!opt.tls.empty() && opt.tls != "1.2" && opt.tls != "1.3")) {
    return Usage();
  }

  std::vector<Column> all = StandardColumns(opt.build_dir);
  for (const auto& e : opt.extra) {
    auto c = ParseExtraColumn(e);
    if (!c) return Usage();
    all.push_back(*c);
  }
  std::vector<Column> columns;
  for (const auto& c : all) {
    if (Selected(opt.columns, c.name)) columns.push_back(c);
  }
  if (columns.empty()) {
    std::cerr << "sslshim-compat: no column matches\n";
    return 2;
  }

  RunPaths paths;
  paths.sut = exe_dir + "/compat-sut";
  paths.peer = exe_dir + "/compat-peer";
  paths.work = opt.report_dir + "/work";
  MakeDirs(paths.work);
  paths.cert = paths.work + "/cert.pem";
  paths.key = paths.work + "/key.pem";
  std::string cert_error = MakeSelfSignedCert(paths.work);
  if (!cert_error.empty()) {
    std::cerr << "sslshim-compat: " << cert_error << "\n";
    return 2;
  }
  if (opt.diff.active()) {
    return RunDiffCommand(opt.diff, all, opt.columns, exe_dir, opt.report_dir, paths.cert,
                          paths.key, opt.timeout, opt.quiet);
  }

  std::vector<Run> runs;
  for (size_t c = 0; c < columns.size(); c++) {
    for (const auto& spec : AllCases()) {
      if (!Selected(opt.cases, spec.name)) continue;
      for (const auto& tls : spec.tls) {
        if (!opt.tls.empty() && tls != "-" && tls != opt.tls) continue;
        Run run;
        run.spec = &spec;
        run.tls = tls;
        run.column = c;
        run.obs.column = columns[c].name;
        run.obs.case_name = spec.name;
        run.obs.tls = tls;
        if (columns[c].unavailable.empty()) {
          run.obs = RunCase(spec, tls, columns[c], paths, opt.timeout);
        }
        run.verdicts = JudgeRun(spec, run.obs, columns[c]);
        if (!opt.quiet && columns[c].unavailable.empty()) {
          Verdict worst = Verdict::kNa;
          for (const auto& [claim, j] : run.verdicts) worst = Worse(worst, j.verdict);
          std::cerr << "[" << columns[c].name << "] " << spec.name << "@" << tls << ": "
                    << VerdictName(worst) << "\n";
        }
        runs.push_back(std::move(run));
      }
    }
  }

  Report report(columns, std::move(runs));
  bool ok = WriteFile(opt.report_dir + "/matrix.md", report.Markdown(true)) &&
            WriteFile(opt.report_dir + "/observations.md", report.ObservationsMarkdown()) &&
            WriteFile(opt.report_dir + "/observations.json", report.JsonText()) &&
            WriteFile(opt.report_dir + "/junit.xml", report.JUnitText());
  std::cout << report.Markdown(false);
  std::cout << "report: " << opt.report_dir
            << "/{matrix.md,observations.md,observations.json,junit.xml}\n";
  if (!ok) {
    std::cerr << "sslshim-compat: could not write the report under " << opt.report_dir << "\n";
    return 2;
  }
  if (report.JudgedColumnBreaks()) return 1;
  for (const auto& c : columns) {
    if (c.judged && !c.unavailable.empty() && opt.unavailable_exit != 0) {
      return opt.unavailable_exit;
    }
  }
  return 0;
}

}  // namespace
}  // namespace compat

int main(int argc, char** argv) { return compat::Main(argc, argv); }
