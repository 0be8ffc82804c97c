#include "report.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace compat {
namespace {

std::string Escape(const std::string& s) {  // for XML attributes and text
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Cut(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 1) + "…";
}

// W28: the text the program got must be OpenSSL's own for that library and reason.
std::string CheckErrorEntry(const ErrEntry& e) {
  if (e.text.empty()) return "an error queue entry without text";
  if (e.text.find("lib(") != std::string::npos || e.text.find("reason(") != std::string::npos) {
    return "unreadable error text '" + e.text + "'";
  }
  if (e.lib == ERR_LIB_SYS) return "";
  if (ERR_lib_error_string(ERR_PACK(e.lib, 0, 0)) == nullptr) {
    return "library " + std::to_string(e.lib) + " is not an OpenSSL library";
  }
  char expected[256];
  ERR_error_string_n(ERR_PACK(e.lib, 0, e.reason), expected, sizeof expected);
  if (e.text != expected) return "error text '" + e.text + "' is not OpenSSL's '" + expected + "'";
  return "";
}

}  // namespace

Report::Report(std::vector<Column> columns, std::vector<Run> runs)
    : columns_(std::move(columns)), runs_(std::move(runs)) {
  for (const auto& claim : Catalogue()) {
    std::vector<Cell> row;
    for (size_t c = 0; c < columns_.size(); c++) row.push_back(ComputeCell(claim, c));
    cells_.push_back(row);
  }
}

Cell Report::CrossCutting(const std::string& id, size_t column) const {
  Cell cell;
  cell.verdict = Verdict::kHolds;
  std::set<std::string> seen;
  for (const auto& run : runs_) {
    if (run.column != column) continue;
    cell.ran = true;
    const std::string where = run.spec->name + "@" + run.tls + ": ";
    for (const auto& s : run.obs.steps) {
      std::string problem;
      if (id == "W27" && (s.err < SSL_ERROR_NONE || s.err > SSL_ERROR_WANT_ACCEPT)) {
        problem = "SSL_get_error returned " + std::to_string(s.err) + " after " + s.op;
      }
      if (id == "W28") {
        if (s.err == SSL_ERROR_SSL && s.queue.empty()) {
          problem = "SSL_ERROR_SSL after " + s.op + " with an empty error queue";
        }
        for (const auto& e : s.queue) {
          if (problem.empty()) problem = CheckErrorEntry(e);
        }
      }
      if (!problem.empty() && seen.insert(where + problem).second) {
        cell.verdict = Verdict::kBreaks;
        cell.notes.push_back(where + problem);
      }
    }
  }
  return cell;
}

Cell Report::ComputeCell(const Claim& claim, size_t column) const {
  Cell cell;
  if (claim.id == "W22") {
    cell.ran = true;
    cell.verdict = Verdict::kNa;
    cell.notes.push_back("SSLv2 is spoken by no backend (OpenSSL 3 and BoringSSL removed it)");
    return cell;
  }
  if (!columns_[column].unavailable.empty()) {
    cell.ran = true;
    cell.verdict = Verdict::kSkipped;
    cell.notes.push_back(columns_[column].name + ": " + columns_[column].unavailable);
    return cell;
  }
  if (claim.id == "W27" || claim.id == "W28") return CrossCutting(claim.id, column);
  std::vector<std::pair<std::string, Judgement>> found;
  for (const auto& run : runs_) {
    if (run.column != column) continue;
    auto it = run.verdicts.find(claim.id);
    if (it == run.verdicts.end()) continue;
    cell.verdict = cell.ran ? Worse(cell.verdict, it->second.verdict) : it->second.verdict;
    cell.ran = true;
    found.emplace_back(run.spec->name + "@" + run.tls, it->second);
  }
  for (const auto& [where, j] : found) {
    if (j.verdict == cell.verdict && !j.note.empty()) cell.notes.push_back(where + ": " + j.note);
  }
  return cell;
}

std::string Report::Footnote(const Cell& cell, std::vector<std::string>& notes) const {
  if (cell.verdict == Verdict::kHolds || cell.notes.empty()) return "";
  std::string text;
  for (const auto& n : cell.notes) text += (text.empty() ? "" : "; ") + n;
  auto it = std::find(notes.begin(), notes.end(), text);
  size_t index = static_cast<size_t>(it - notes.begin());
  if (it == notes.end()) notes.push_back(text);
  return " [" + std::to_string(index + 1) + "]";
}

std::string Report::SummaryLines() const {
  std::ostringstream out;
  for (size_t c = 0; c < columns_.size(); c++) {
    std::map<Verdict, int> count;
    for (const auto& row : cells_) {
      if (row[c].ran) count[row[c].verdict]++;
    }
    out << "summary " << columns_[c].name << ": " << count[Verdict::kHolds] << " holds / "
        << count[Verdict::kDiffers] << " differs / " << count[Verdict::kBreaks] << " breaks / "
        << count[Verdict::kNa] << " n/a / " << count[Verdict::kSkipped] << " skipped"
        << (columns_[c].judged ? "" : "  (reported, not judged)") << "\n";
  }
  return out.str();
}

std::string Report::Markdown(bool with_cases) const {
  std::ostringstream out;
  std::vector<std::string> notes;
  out << "# sslshim compatibility matrix: SSL_write(3), OpenSSL 1.0.1t contract\n\n";
  out << "| claim | ";
  for (const auto& c : columns_) out << c.name << " | ";
  out << "\n|---|";
  for (size_t c = 0; c < columns_.size(); c++) out << "---|";
  out << "\n";
  const auto& claims = Catalogue();
  for (size_t r = 0; r < claims.size(); r++) {
    out << "| " << claims[r].id << " " << Cut(claims[r].words, 58) << " | ";
    for (size_t c = 0; c < columns_.size(); c++) {
      const Cell& cell = cells_[r][c];
      if (!cell.ran) {
        out << "- | ";
        continue;
      }
      out << VerdictName(cell.verdict) << Footnote(cell, notes) << " | ";
    }
    out << "\n";
  }
  if (with_cases) {
    out << "\n## Cases\n\n| case | TLS | claims | ";
    for (const auto& c : columns_) out << c.name << " | ";
    out << "\n|---|---|---|";
    for (size_t c = 0; c < columns_.size(); c++) out << "---|";
    out << "\n";
    for (const auto& spec : AllCases()) {
      for (const auto& tls : spec.tls) {
        bool any = false;
        std::ostringstream row;
        row << "| " << spec.name << " | " << tls << " | ";
        for (const auto& claim : ClaimsFor(spec, tls)) row << claim << " ";
        row << "| ";
        for (size_t c = 0; c < columns_.size(); c++) {
          const Run* run = nullptr;
          for (const auto& r : runs_) {
            if (r.spec == &spec && r.tls == tls && r.column == c) run = &r;
          }
          if (run == nullptr) {
            row << "- | ";
            continue;
          }
          any = true;
          Cell cell;
          cell.ran = true;
          cell.verdict = Verdict::kNa;
          bool first = true;
          for (const auto& [claim, j] : run->verdicts) {
            cell.verdict = first ? j.verdict : Worse(cell.verdict, j.verdict);
            first = false;
          }
          for (const auto& [claim, j] : run->verdicts) {
            if (j.verdict == cell.verdict && !j.note.empty() &&
                std::find(cell.notes.begin(), cell.notes.end(), j.note) == cell.notes.end()) {
              cell.notes.push_back(j.note);
            }
          }
          row << VerdictName(cell.verdict) << Footnote(cell, notes) << " | ";
        }
        if (any) out << row.str() << "\n";
      }
    }
  }
  if (!notes.empty()) out << "\n";
  for (size_t i = 0; i < notes.size(); i++) out << "[" << i + 1 << "] " << notes[i] << "\n";
  out << "\n" << SummaryLines();
  return out.str();
}

std::string Report::ObservationsMarkdown() const {
  std::ostringstream out;
  out << "# What each case did (SUT steps, distinct results; the peer's view)\n";
  for (const auto& run : runs_) {
    if (!columns_[run.column].unavailable.empty()) continue;
    out << "\n- `" << run.spec->name << "@" << run.tls << "` " << columns_[run.column].name << ": ";
    std::vector<std::string> shown;
    for (const auto& s : run.obs.steps) {
      std::string d = s.tag + " " + s.Describe();
      if (std::find(shown.begin(), shown.end(), d) == shown.end()) shown.push_back(d);
    }
    for (const auto& d : shown) out << d << "; ";
    if (run.obs.sut_end.signal != 0 || run.obs.sut_end.timed_out) {
      out << "SUT " << run.obs.sut_end.Describe() << "; ";
    }
    const Json& p = run.obs.peer;
    out << "peer: " << p["app_bytes"].AsInt() << " bytes"
        << (p["stream_ok"].AsBool() ? " intact" : " MISMATCH") << ", "
        << p["app_records_in"].AsInt() << " data records, hellos " << p["hellos"].AsInt()
        << ", key updates in " << p["key_updates_in"].AsInt() << ", tail "
        << p["tail_bytes"].AsInt() << " bytes/" << p["tail_records"].AsInt()
        << " records, alerts in " << p["alerts_in"].Dump() << " out " << p["alerts_out"].Dump();
  }
  out << "\n";
  return out.str();
}

std::string Report::JsonText() const {
  Json root = Json::Object();
  root.Set("suite", Json::String("sslshim compat: SSL_write(3) OpenSSL 1.0.1t"));
  Json cols = Json::Array();
  for (const auto& c : columns_) {
    Json jc = Json::Object();
    jc.Set("name", Json::String(c.name));
    Json env = Json::Object();
    for (const auto& [k, v] : c.env) env.Set(k, Json::String(v));
    jc.Set("env", env);
    jc.Set("judged", Json::Bool(c.judged));
    jc.Set("unavailable", Json::String(c.unavailable));
    cols.Push(jc);
  }
  root.Set("columns", cols);
  Json claims = Json::Array();
  const auto& catalogue = Catalogue();
  for (size_t r = 0; r < catalogue.size(); r++) {
    Json jc = Json::Object();
    jc.Set("id", Json::String(catalogue[r].id));
    jc.Set("words", Json::String(catalogue[r].words));
    jc.Set("expected", Json::String(catalogue[r].expected));
    Json cells = Json::Object();
    for (size_t c = 0; c < columns_.size(); c++) {
      const Cell& cell = cells_[r][c];
      Json jcell = Json::Object();
      jcell.Set("verdict", Json::String(cell.ran ? VerdictName(cell.verdict) : "not run"));
      Json jn = Json::Array();
      for (const auto& n : cell.notes) jn.Push(Json::String(n));
      jcell.Set("notes", jn);
      cells.Set(columns_[c].name, jcell);
    }
    jc.Set("cells", cells);
    claims.Push(jc);
  }
  root.Set("claims", claims);
  Json runs = Json::Array();
  for (const auto& run : runs_) {
    Json jr = Json::Object();
    jr.Set("case", Json::String(run.spec->name));
    jr.Set("what", Json::String(run.spec->what));
    jr.Set("tls", Json::String(run.tls));
    jr.Set("column", Json::String(columns_[run.column].name));
    jr.Set("peer_script", Json::String(run.spec->peer_script));
    Json verdicts = Json::Object();
    for (const auto& [claim, j] : run.verdicts) {
      Json jv = Json::Object();
      jv.Set("verdict", Json::String(VerdictName(j.verdict)));
      jv.Set("note", Json::String(j.note));
      verdicts.Set(claim, jv);
    }
    jr.Set("verdicts", verdicts);
    jr.Set("observation", ObservationToJson(run.obs));
    runs.Push(jr);
  }
  root.Set("runs", runs);
  return root.Dump() + "\n";
}

std::string Report::JUnitText() const {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sslshim-compat\">\n";
  for (size_t c = 0; c < columns_.size(); c++) {
    std::ostringstream cases;
    int tests = 0, failures = 0, skipped = 0;
    for (const auto& run : runs_) {
      if (run.column != c) continue;
      for (const auto& [claim, j] : run.verdicts) {
        tests++;
        cases << "    <testcase classname=\"compat." << Escape(columns_[c].name) << "\" name=\""
              << Escape(claim + " " + run.spec->name + "@" + run.tls) << "\">";
        if (j.verdict == Verdict::kBreaks && columns_[c].judged) {
          failures++;
          cases << "<failure message=\"" << Escape(j.note) << "\"/>";
        } else if (j.verdict == Verdict::kSkipped || j.verdict == Verdict::kNa) {
          skipped++;
          cases << "<skipped message=\"" << Escape(j.note) << "\"/>";
        } else if (!j.note.empty()) {
          cases << "<system-out>" << Escape(std::string(VerdictName(j.verdict)) + ": " + j.note)
                << "</system-out>";
        }
        cases << "</testcase>\n";
      }
    }
    out << "  <testsuite name=\"compat." << Escape(columns_[c].name) << "\" tests=\"" << tests
        << "\" failures=\"" << failures << "\" skipped=\"" << skipped << "\">\n"
        << cases.str() << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

bool Report::JudgedColumnBreaks() const {
  for (const auto& row : cells_) {
    for (size_t c = 0; c < columns_.size(); c++) {
      if (columns_[c].judged && row[c].ran && row[c].verdict == Verdict::kBreaks) return true;
    }
  }
  return false;
}

}  // namespace compat
