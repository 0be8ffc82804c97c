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
    known.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return known;
}

const KnownDifference* FindKnown(const std::vector<KnownDifference>& known,
                                 const std::string& kind) {
  for (const auto& k : known) {
    if (fnmatch(k.pattern.c_str(), kind.c_str(), 0) == 0) return &k;
  }
  return nullptr;
}

}  // namespace compat
