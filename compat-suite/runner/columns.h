// The columns: the same SUT binary run plainly, under the preloaded shim with either backend,
// and against the stand-in libssl.so.3; plus any extra column given on the command line.
#ifndef COMPAT_SUITE_RUNNER_COLUMNS_H_
#define COMPAT_SUITE_RUNNER_COLUMNS_H_

#include <optional>
#include <string>
#include <vector>

#include "model.h"

namespace compat {

std::vector<Column> StandardColumns(const std::string& build_dir);
// "NAME:ENV=VAL[,ENV=VAL]" -> a column reported but not judged. nullopt when malformed.
std::optional<Column> ParseExtraColumn(const std::string& spec);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_COLUMNS_H_
