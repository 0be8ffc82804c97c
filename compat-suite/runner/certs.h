// A throw-away EC P-256 self-signed certificate made at run time in the build tree: the suite
// never ships a private key.
#ifndef COMPAT_SUITE_RUNNER_CERTS_H_
#define COMPAT_SUITE_RUNNER_CERTS_H_

#include <string>

namespace compat {

// Writes <dir>/cert.pem and <dir>/key.pem. Returns an error message, or "" on success.
std::string MakeSelfSignedCert(const std::string& dir);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_CERTS_H_
