// The catalogue of claims (catalogue/claims.def), compiled in.
#ifndef COMPAT_SUITE_RUNNER_CLAIMS_H_
#define COMPAT_SUITE_RUNNER_CLAIMS_H_

#include <string>
#include <vector>

namespace compat {

struct Claim {
  std::string id;
  std::string words;     // the page's words, shortened
  std::string expected;  // what the suite checks
};

const std::vector<Claim>& Catalogue();

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_CLAIMS_H_
