// Ownership dispatch for the exported entry points (docs/design-notes.md).
//
// Each exported function that takes an SSL*, SSL_CTX*, SSL_METHOD* or SSL_CIPHER* first resolves
// it: a live handle of ours is served here; a foreign object (made by the real libssl) goes to the
// next definition of the same versioned name, i.e. the real libssl when we are preloaded. As the
// stand-in libssl.so.3 there is no next definition: the call fails with an OpenSSL error and one
// message on stderr. A freed or mistyped handle of ours fails the same way instead of crashing.
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

// For functions without an object argument: the real libssl's own calls get the real answer.
#define SSLSHIM_FORWARD_CALLS_FROM_REAL_LIBSSL(fn, ...)               \
  do {                                                                \
    if (::sslshim::IsRealLibsslCaller(__builtin_return_address(0))) { \
      SSLSHIM_RETURN_REAL_IF_ANY(fn, __VA_ARGS__);                    \
    }                                                                 \
  } while (0)

// Forwards the current call to the real libssl, or fails as above. `fail` is returned on failure
// (left empty for void functions).
#define SSLSHIM_FORWARD(fn, fail, ...)           \
  do {                                           \
    SSLSHIM_RETURN_REAL_IF_ANY(fn, __VA_ARGS__); \
    ::sslshim::ReportNoRealLibssl(#fn);          \
    return fail;                                 \
  } while (0)

// Declares `var` as the shim's object behind `handle` (of the given kind), or leaves the function
// (forwarding a foreign object, failing on null or invalid ones).
#define SSLSHIM_RESOLVE(Type, kind, var, handle, fn, fail, ...)                                  \
  ::sslshim::Type* var;                                                                          \
  do {                                                                                           \
    auto resolved_ = ::sslshim::Resolve<::sslshim::Type>((handle), ::sslshim::HandleKind::kind); \
    if (resolved_.state == ::sslshim::HandleState::kForeign) {                                   \
      if ((handle) == nullptr) {                                                                 \
        ::sslshim::ReportNullHandle(#fn);                                                        \
        return fail;                                                                             \
      }                                                                                          \
      SSLSHIM_FORWARD(fn, fail, __VA_ARGS__);                                                    \
    }                                                                                            \
    if (resolved_.state == ::sslshim::HandleState::kInvalid) {                                   \
      ::sslshim::ReportInvalidHandle(#fn);                                                       \
      return fail;                                                                               \
    }                                                                                            \
    var = resolved_.object;                                                                      \
  } while (0)

#define SSLSHIM_SSL(var, handle, fn, fail, ...) \
  SSLSHIM_RESOLVE(Ssl, kSsl, var, handle, fn, fail, __VA_ARGS__)
#define SSLSHIM_CTX(var, handle, fn, fail, ...) \
  SSLSHIM_RESOLVE(Ctx, kCtx, var, handle, fn, fail, __VA_ARGS__)
#define SSLSHIM_SESSION(var, handle, fn, fail, ...) \
  SSLSHIM_RESOLVE(Session, kSession, var, handle, fn, fail, __VA_ARGS__)
