#include "diff_report.h"

#include <sstream>

#include "../runner/model.h"

namespace compat {
namespace {

std::string Status(const KindFinding& k, const std::vector<Column>& columns) {
  bool judged = false;
  for (const auto& c : columns) judged = judged || (c.name == k.column && c.judged);
  if (k.crash_or_hang) return judged ? "FAILS (crash or hang)" : "crash or hang (not judged)";
  if (k.known != nullptr) return "documented: " + k.known->contract_row;
  return judged ? "FAILS (undocumented)" : "undocumented (not judged)";
}

}  // namespace

std::string DifferentialMarkdown(const DiffSummary& sum, const std::vector<Column>& columns) {
  std::ostringstream md;
  md << "# Differential run\n\nseed " << sum.seed << ", " << sum.scenarios << " scenarios\n\n";
  md << "| column | runs |\n|---|---|\n";
  for (const auto& [column, runs] : sum.runs) md << "| " << column << " | " << runs << " |\n";
  md << "\nnative OpenSSL did not finish " << sum.native_unusable.size()
     << " scenario(s) (not compared)\n";
  for (const auto& s : sum.native_unusable) md << "- `" << s << "`\n";
  md << "\n"
     << sum.native_varies.size()
     << " scenario(s) answered differently from run to run: one side gave the other's answer in "
        "another run (not counted as a difference)\n";
  for (const auto& s : sum.native_varies) md << "- `" << s << "`\n";
  md << "\n" << sum.kinds.size() << " distinct kind(s) of difference\n";
  for (const auto& k : sum.kinds) {
    md << "\n## [" << k.column << "] " << k.kind << "\n\n";
    md << "- scenarios: " << k.count << " (first: index " << k.first_index << ")\n";
    md << "- status: " << Status(k, columns) << "\n";
    md << "- minimal: `" << k.minimal << "`\n";
    md << "- replay: `./sslshim compat --column " << k.column << " --differential-replay '"
       << k.minimal << "'`\n";
    md << "- answers: " << k.detail << "\n";
  }
  md << "\nsummary differential: " << sum.scenarios << " scenarios, " << sum.kinds.size()
     << " kinds, " << (sum.Fails(columns) ? "FAILS" : "passes") << "\n";
  return md.str();
}

std::string DifferentialJson(const DiffSummary& sum) {
  Json root = Json::Object();
  root.Set("seed", Json::Number(static_cast<double>(sum.seed)));
  root.Set("scenarios", Json::Number(sum.scenarios));
  Json runs = Json::Object();
  for (const auto& [column, n] : sum.runs) runs.Set(column, Json::Number(n));
  root.Set("runs", runs);
  Json unusable = Json::Array();
  for (const auto& s : sum.native_unusable) unusable.Push(Json::String(s));
  root.Set("native_unfinished", unusable);
  Json varies = Json::Array();
  for (const auto& s : sum.native_varies) varies.Push(Json::String(s));
  root.Set("native_varies", varies);
  Json kinds = Json::Array();
  for (const auto& k : sum.kinds) {
    Json j = Json::Object();
    j.Set("column", Json::String(k.column));
    j.Set("kind", Json::String(k.kind));
    j.Set("count", Json::Number(k.count));
    j.Set("first_index", Json::Number(static_cast<double>(k.first_index)));
    j.Set("first_scenario", Json::String(k.first_scenario));
    j.Set("minimal", Json::String(k.minimal));
    j.Set("detail", Json::String(k.detail));
    j.Set("crash_or_hang", Json::Bool(k.crash_or_hang));
    j.Set("documented", Json::String(k.known != nullptr ? k.known->contract_row : ""));
    kinds.Push(j);
  }
  root.Set("kinds", kinds);
  return root.Dump() + "\n";
}

}  // namespace compat
