// The program's OpenSSL error queue, as the shim writes to it: OpenSSL's own libcrypto
// (ERR_new/ERR_set_debug/ERR_set_error), so ERR_get_error and ERR_error_string_n give the program
// exactly what OpenSSL would, in OpenSSL's library and reason numbering (docs/design-notes.md).
#pragma once

#include <vector>

#include "backend/backend.h"

namespace sslshim {

// Pushes one error; `func` names the API function, as OpenSSL 3 records it.
void PushError(int lib, int reason, const char* func, const char* data = nullptr);
// Pushes what a backend reported, in order.
void PushErrors(const std::vector<ErrorRecord>& records);

// Says once per function name that a call could not be served, and why: on stderr, or in
// SSLSHIM_LOG_FILE, unless SSLSHIM_LOG=off (core/trace.h). Such calls also push an OpenSSL error,
// so a program that checks errors sees one, logged or not.
void WarnOnce(const char* func, const char* why);

}  // namespace sslshim
