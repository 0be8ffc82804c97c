// The shrinker: drops steps from a differing scenario while the same kind of difference persists,
// so the example a person reads is as short as the difference allows.
#ifndef COMPAT_SUITE_DIFFERENTIAL_SHRINK_H_
#define COMPAT_SUITE_DIFFERENTIAL_SHRINK_H_

#include <functional>
#include <optional>
#include <string>

namespace compat {

// `kind_of` runs a candidate (native and the column) and returns its difference kind, or nullopt.
// Candidates that break the generator's rules are never run. Returns the smallest scenario found.
std::string ShrinkScenario(
    const std::string& scenario, const std::string& kind,
    const std::function<std::optional<std::string>(const std::string&)>& kind_of);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_SHRINK_H_
