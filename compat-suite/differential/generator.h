// The seeded scenario generator, and the rules every scenario obeys (the shrinker keeps to them):
// no step may make a correct library wait forever, so a hang is always a finding.
#ifndef COMPAT_SUITE_DIFFERENTIAL_GENERATOR_H_
#define COMPAT_SUITE_DIFFERENTIAL_GENERATOR_H_

#include <cstdint>
#include <string>

#include "scenario.h"

namespace compat {

// Scenario `index` of the series `seed`: the same pair gives the same scenario on any machine.
DiffScenario GenerateScenario(uint64_t seed, uint64_t index);
// The rules: KeyUpdate only on TLS 1.3; peer data and close_notify only after the first I/O call
// (the handshake has begun) and before the peer has closed; at most one close or reset; on a
// blocking socket, a read or peek only right after peer data or once the peer has ended its side,
// a second SSL_shutdown only once the peer has, and the peer never stops reading there.
bool ScenarioValid(const DiffScenario& s);
// The scenario's text form (diff_format) as a string.
std::string FormatScenario(const DiffScenario& s);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_GENERATOR_H_
