// The documented deliberate differences (known_differences.txt): a difference kind matching one of
// its patterns is reported but does not fail the differential test. Every entry names the row of
// docs/contract.md that decides it.
#ifndef COMPAT_SUITE_DIFFERENTIAL_ALLOWLIST_H_
#define COMPAT_SUITE_DIFFERENTIAL_ALLOWLIST_H_

#include <string>
#include <vector>

namespace compat {

struct KnownDifference {
  std::string column;        // the one column it is allowed in, or empty for every column
  std::string pattern;       // fnmatch glob over the kind
  std::string contract_row;  // where docs/contract.md documents it
};

// Lines "[@COLUMN ]PATTERN<TAB>CONTRACT ROW"; '#' starts a comment line. "@COLUMN " limits the
// entry to one column, for a difference one backend makes (the other must still answer as
// native). An entry without a contract row is an error (returned in *error), so nothing enters
// the list undocumented.
std::vector<KnownDifference> LoadKnownDifferences(const std::string& path, std::string* error);
// The entry that allows `kind` in `column`, or nullptr.
const KnownDifference* FindKnown(const std::vector<KnownDifference>& known,
                                 const std::string& column, const std::string& kind);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_ALLOWLIST_H_
