// What the entry points (exports/entry_point.h) use to hand a call to the real libssl and to
// report the calls they can neither serve nor forward (docs/design-notes.md).
//
// A foreign object (made by the real libssl) goes to the next definition of the same versioned
// name, i.e. the real libssl when we are preloaded. As the stand-in libssl.so.3 there is no next
// definition: the call fails with an OpenSSL error and one message on stderr. A freed or mistyped
// handle of ours fails the same way instead of crashing.
#pragma once

#include "core/handle_table.h"
#include "core/objects.h"

namespace sslshim {

// The real libssl's definition of `name` at OPENSSL_3.0.0, or nullptr (stand-in mode).
void* NextSymbol(const char* name);

// True when `return_address` lies in the real libssl. Preloaded, the real libssl's internal calls
// to its own exported names land here too (its TLS_method()->version check, its d2i_SSL_SESSION
// copy of a session for a ticket): a function that takes no object to tell whose call it is must
// give the real libssl the real answer.
bool IsRealLibsslCaller(const void* return_address);

void ReportNoRealLibssl(const char* func);   // a foreign object and no real libssl
void ReportInvalidHandle(const char* func);  // ours, but freed or of another kind
void ReportNullHandle(const char* func);     // a null object where one is required

}  // namespace sslshim

// Returns the real libssl's answer to the current call when there is a real libssl.
#define SSLSHIM_RETURN_REAL_IF_ANY(fn, ...)                                      \
  do {                                                                           \
    using Next = decltype(&::fn);                                                \
    static const Next next = reinterpret_cast<Next>(::sslshim::NextSymbol(#fn)); \
    if (next != nullptr) return next(__VA_ARGS__);                               \
  } while (0)

// Forwards the current call to the real libssl, or fails as above. `fail` is returned on failure
// (left empty for void functions). Only for an entry whose object is not its first parameter
// (SSL_CTX_new_ex); the entry points forward every other call themselves.
#define SSLSHIM_FORWARD(fn, fail, ...)           \
  do {                                           \
    SSLSHIM_RETURN_REAL_IF_ANY(fn, __VA_ARGS__); \
    ::sslshim::ReportNoRealLibssl(#fn);          \
    return fail;                                 \
  } while (0)
