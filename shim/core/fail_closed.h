// Security settings fail closed (docs/contract.md, "Security settings fail closed").
//
// A program restricts a connection's security (versions, suites, groups, signature algorithms,
// verification, DANE, certificate transparency...) and rarely checks the setter's answer. Where
// the shim cannot apply such a setting as OpenSSL 3 would, going on without it would give the
// program a weaker connection than it asked for, silently. Instead the setter fails as usual (0,
// an error naming why) and marks the object it was given: a context passes its mark to the
// connections made from it afterwards, and a connection with a mark refuses to handshake or move
// data (-1, SSL_ERROR_SSL, SSL_R_SSL_HANDSHAKE_FAILURE with the setting named), sending nothing.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.h"

namespace sslshim {

class Ctx;
class Ssl;

// Marks `ctx` / `ssl`: `func` could not apply `what`. Says so once on stderr. The first mark is
// the one reported.
void MarkUnappliedSetting(Ctx* ctx, const char* func, const std::string& what);
void MarkUnappliedSetting(Ssl* ssl, const char* func, const std::string& what);

// The same for a handle of unknown kind (the guards of functions not served): marks it when it is
// a live SSL_CTX or SSL of ours; otherwise does nothing.
void MarkUnappliedSettingForHandle(const void* handle, const char* func, const std::string& what);

// After a setter's backend call: marks the object when an error says the backend could not apply
// what OpenSSL would have (ErrorRecord::backend_cannot_apply).
void MarkIfBackendCannotApply(Ctx* ctx, const std::vector<ErrorRecord>& errors, const char* func);
void MarkIfBackendCannotApply(Ssl* ssl, const std::vector<ErrorRecord>& errors, const char* func);

// For the calls that would handshake or move data: false, with the error pushed and
// SSL_get_error's answer recorded, when the connection carries a mark.
bool SettingsAllowHandshake(Ssl* ssl, const char* func);

// The same for PSK callbacks on a connection that could reach TLS 1.3 on a backend without TLS 1.3
// external PSKs: OpenSSL 3 would authenticate that handshake with the callbacks' key; the backend
// would go on with certificates alone (or without any).
bool PskAllowsHandshake(Ssl* ssl, const char* func);

}  // namespace sslshim
