// The guarded (not served) libssl functions that restrict a connection's security. Refused for one
// of the shim's objects, each also marks that object, so its connections refuse to handshake
// rather than go on without the restriction (core/fail_closed.h). docs/contract.md lists them.
#pragma once

namespace sslshim {

// What the function would have restricted ("DANE authentication"), or nullptr when `name` is not
// such a function.
const char* GuardedSecuritySetting(const char* name);

}  // namespace sslshim
