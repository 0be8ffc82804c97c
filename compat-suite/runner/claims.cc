#include "claims.h"

namespace compat {

const std::vector<Claim>& Catalogue() {
  static const std::vector<Claim> claims = {
#define CLAIM(id, words, expected) {id, words, expected},
#include "../catalogue/claims.def"
#undef CLAIM
  };
  return claims;
}

}  // namespace compat
