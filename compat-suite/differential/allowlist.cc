#include "allowlist.h"

#include <fnmatch.h>

#include <fstream>

namespace compat {

std::vector<KnownDifference> LoadKnownDifferences(const std::string& path, std::string* error) {
  std::vector<KnownDifference> known;
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return known;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    number++;
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 >= line.size()) {
      *error = path + ":" + std::to_string(number) + ": expected PATTERN<TAB>CONTRACT ROW";
      return {};
    }
    std::string pattern = line.substr(0, tab);
    std::string column;
    if (pattern[0] == '@') {
      const size_t space = pattern.find(' ');
      if (space == std::string::npos || space == 1 || space + 1 >= pattern.size()) {
        *error = path + ":" + std::to_string(number) + ": expected @COLUMN PATTERN";
        return {};
      }
      column = pattern.substr(1, space - 1);
      pattern = pattern.substr(space + 1);
    }
    known.push_back({column, pattern, line.substr(tab + 1)});
  }
  return known;
}

const KnownDifference* FindKnown(const std::vector<KnownDifference>& known,
                                 const std::string& column, const std::string& kind) {
  for (const auto& k : known) {
    if (!k.column.empty() && k.column != column) continue;
    if (fnmatch(k.pattern.c_str(), kind.c_str(), 0) == 0) return &k;
  }
  return nullptr;
}

}  // namespace compat
