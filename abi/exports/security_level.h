// OpenSSL's security level on the shim's objects (security_settings.cc): kept for the getters and
// the core's verification, and given to the backend, which applies it or fails closed.
#pragma once

#include "core/objects.h"

namespace sslshim {

void ApplySecurityLevel(Ctx* ctx, int level, const char* func);
void ApplySecurityLevel(Ssl* ssl, int level, const char* func);

// The fewest security bits OpenSSL's default callback accepts at `level` (clamped to 0..5).
int SecurityLevelMinimumBits(int level);

// The level an OpenSSL cipher string sets with "@SECLEVEL=n" (the last one), or -1 for none.
int SecurityLevelInCipherString(const char* list);

}  // namespace sslshim
