// The one mechanism every exported libssl function goes through (docs/design-notes.md, "Entry
// points").
//
// An exported function is written once, by name and parameter names only:
//
//   SSLSHIM_SSL_ENTRY(SSL_write, -1, buf, num) {
//     return sslshim::WriteBytes(ssl, buf, num);
//   }
//
// Everything else is derived from OpenSSL's own declaration of the name (`&::SSL_write`, from
// <openssl/ssl.h>): the return type, every parameter's type, the kind of object the first
// parameter is, and the forwarding. The macro defines the exported `extern "C"` function with the
// header's signature (so a wrong count of names does not compile: a C function cannot be
// overloaded), resolves the first parameter, and then
//   - calls the body with the shim's object (`ssl`, `ctx`, `session`, `info`, `conf`) and the
//     other arguments, when it is a live handle of ours;
//   - forwards the call, with the same arguments in the same order, to the real libssl's
//     definition of the same name when the object is not ours (preloaded), or fails with an
//     OpenSSL error and one message on stderr when there is no real libssl (stand-in);
//   - fails the same way, returning `fail`, for a null object or a freed or mistyped handle;
// and, when SSLSHIM_LOG=trace, logs the call, its arguments and its answer (core/trace.h).
//
// Functions without an object argument use SSLSHIM_FUNCTION_ENTRY: the same derived signature
// and trace, with no resolution.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>

#include "core/handle_table.h"
#include "core/objects.h"
#include "core/trace.h"
#include "exports/dispatch.h"

namespace sslshim::entry {

// What OpenSSL's header declares for the exported function `Fn`.
template <auto Fn>
struct Signature;
template <typename R, typename... A, R (*Fn)(A...)>
struct Signature<Fn> {
  using Return = R;
  template <size_t I>
  using Arg = std::tuple_element_t<I, std::tuple<A...>>;
};

template <auto Fn>
using Return = typename Signature<Fn>::Return;
template <auto Fn, size_t I>
using Arg = typename Signature<Fn>::template Arg<I>;

// For each OpenSSL object type, the shim object behind its handles and what a body sees of it.
// Specialised next to each object's definition.
template <typename Handle>
struct Object;

// The common case: the body sees the shim's object itself.
template <typename T, HandleKind K>
struct PlainObject {
  using Type = T;
  using View = T*;
  static constexpr HandleKind kKind = K;
  static View ViewOf(T* object) { return object; }
};

template <>
struct Object<SSL> : PlainObject<Ssl, HandleKind::kSsl> {};
template <>
struct Object<SSL_CTX> : PlainObject<Ctx, HandleKind::kCtx> {};
template <>
struct Object<SSL_METHOD> : PlainObject<Method, HandleKind::kMethod> {};
template <>
struct Object<SSL_SESSION> : PlainObject<Session, HandleKind::kSession> {};

// The OpenSSL object type (SSL, SSL_CTX, ...) the first parameter of `Fn` points to.
template <auto Fn>
using HandleType = std::remove_cv_t<std::remove_pointer_t<Arg<Fn, 0>>>;
template <auto Fn>
using View = typename Object<HandleType<Fn>>::View;

// What an entry does with a null object.
enum class NullObject {
  kIsAnError,   // fails with ERR_R_PASSED_NULL_PARAMETER on the queue (most functions)
  kIsIgnored,   // answers `fail` silently (the `*_free` family, as OpenSSL)
  kGoesToBody,  // the body gets a null object and answers (its own reason code)
};

template <auto Fn>
struct Dispatch;
template <typename R, typename H, typename... A, R (*Fn)(H, A...)>
struct Dispatch<Fn> {
  using Traits = Object<std::remove_cv_t<std::remove_pointer_t<H>>>;

  // `Serve` is the body; `fail()` the answer when the call cannot be served or forwarded.
  template <auto Serve, NullObject kNull, typename Fail>
  static R Call(const char* name, const char* arg_names, Fail fail, H handle, A... args) {
    if (__builtin_expect(TraceEnabled(), 0)) {
      if constexpr (std::is_void_v<R>) {
        Resolve<Serve, kNull>(name, fail, handle, args...);
        TraceCall(name, arg_names, TraceNoResult{}, handle, args...);
      } else {
        R result = Resolve<Serve, kNull>(name, fail, handle, args...);
        TraceCall(name, arg_names, result, handle, args...);
        return result;
      }
    } else {
      return Resolve<Serve, kNull>(name, fail, handle, args...);
    }
  }

 private:
  template <auto Serve, NullObject kNull, typename Fail>
  static R Resolve(const char* name, Fail fail, H handle, A... args) {
    auto resolved = ::sslshim::Resolve<typename Traits::Type>(handle, Traits::kKind);
    if (__builtin_expect(resolved.state == HandleState::kLive, 1)) {
      return Serve(Traits::ViewOf(resolved.object), args...);
    }
    if (resolved.state == HandleState::kInvalid) {
      ReportInvalidHandle(name);
      return fail();
    }
    if (handle == nullptr) {
      if constexpr (kNull == NullObject::kGoesToBody) return Serve(nullptr, args...);
      if constexpr (kNull == NullObject::kIsAnError) ReportNullHandle(name);
      return fail();
    }
    // Not ours: the real libssl's definition of the same name, with the same arguments.
    static const auto next = reinterpret_cast<R (*)(H, A...)>(NextSymbol(name));
    if (next != nullptr) return next(handle, args...);
    ReportNoRealLibssl(name);
    return fail();
  }
};

// Who answers a function without an object when we are preloaded next to the real libssl.
enum class RealLibssl {
  kNever,           // the shim always answers
  kForItsOwnCalls,  // the real libssl's calls to its own exported name (its TLS_method()->version
                    // check, its d2i_SSL_SESSION copy of a ticket) get the real answer
  kAlways,          // the real libssl answers whenever there is one (process-wide state it owns)
};

// Functions without an object: the body, traced.
template <auto Fn>
struct Direct;
template <typename R, typename... A, R (*Fn)(A...)>
struct Direct<Fn> {
  template <auto Serve, RealLibssl kReal>
  static R Call(const char* name, const char* arg_names, const void* caller, A... args) {
    if constexpr (kReal != RealLibssl::kNever) {
      if (kReal == RealLibssl::kAlways || IsRealLibsslCaller(caller)) {
        static const auto next = reinterpret_cast<R (*)(A...)>(NextSymbol(name));
        if (next != nullptr) return next(args...);
      }
    }
    if (__builtin_expect(TraceEnabled(), 0)) {
      if constexpr (std::is_void_v<R>) {
        Serve(args...);
        TraceCall(name, arg_names, TraceNoResult{}, args...);
      } else {
        R result = Serve(args...);
        TraceCall(name, arg_names, result, args...);
        return result;
      }
    } else {
      return Serve(args...);
    }
  }
};

}  // namespace sslshim::entry

// ", Arg<&::fn, 1> a, Arg<&::fn, 2> b, ..." for the parameter names after the first.
#define SSLSHIM_ENTRY_P(fn, i, a) , ::sslshim::entry::Arg<&::fn, i> a
#define SSLSHIM_ENTRY_P1(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 1, a) __VA_OPT__(SSLSHIM_ENTRY_P2(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P2(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 2, a) __VA_OPT__(SSLSHIM_ENTRY_P3(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P3(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 3, a) __VA_OPT__(SSLSHIM_ENTRY_P4(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P4(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 4, a) __VA_OPT__(SSLSHIM_ENTRY_P5(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P5(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 5, a) __VA_OPT__(SSLSHIM_ENTRY_P6(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P6(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 6, a) __VA_OPT__(SSLSHIM_ENTRY_P7(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P7(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 7, a) __VA_OPT__(SSLSHIM_ENTRY_P8(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P8(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 8, a) __VA_OPT__(SSLSHIM_ENTRY_P9(fn, __VA_ARGS__))
#define SSLSHIM_ENTRY_P9(fn, a, ...) \
  SSLSHIM_ENTRY_P(fn, 9, a) __VA_OPT__(SSLSHIM_ENTRY_TOO_MANY_PARAMETERS)
#define SSLSHIM_ENTRY_PARAMS(fn, ...) __VA_OPT__(SSLSHIM_ENTRY_P1(fn, __VA_ARGS__))

// Parameters 0..n-1 for a function without an object: "Arg<&::fn, 0> a, Arg<&::fn, 1> b, ...".
#define SSLSHIM_ENTRY_FIRST_PARAMS(fn, a, ...) \
  ::sslshim::entry::Arg<&::fn, 0> a SSLSHIM_ENTRY_PARAMS(fn, __VA_ARGS__)

#define SSLSHIM_ENTRY_BODY_NAME(fn) sslshim_served_##fn

// The general form: `Handle` is the OpenSSL type the first parameter points to, `var` the name
// the body gives the shim's object, `null` a NullObject. The kind-specific spellings below are
// what the exports use.
#define SSLSHIM_OBJECT_ENTRY(Handle, var, null, fn, fail, ...)                          \
  static_assert(std::is_same_v<::sslshim::entry::HandleType<&::fn>, Handle>,            \
                #fn " does not take a " #Handle " first");                              \
  static ::sslshim::entry::Return<&::fn> SSLSHIM_ENTRY_BODY_NAME(fn)(                   \
      ::sslshim::entry::View<&::fn> var SSLSHIM_ENTRY_PARAMS(fn, __VA_ARGS__));         \
  extern "C" ::sslshim::entry::Return<&::fn> fn(                                        \
      ::sslshim::entry::Arg<&::fn, 0> handle SSLSHIM_ENTRY_PARAMS(fn, __VA_ARGS__)) {   \
    return ::sslshim::entry::Dispatch<&::fn>::Call<&SSLSHIM_ENTRY_BODY_NAME(fn),        \
                                                   ::sslshim::entry::NullObject::null>( \
        #fn, #__VA_ARGS__, []() -> ::sslshim::entry::Return<&::fn> { return fail; },    \
        handle __VA_OPT__(, ) __VA_ARGS__);                                             \
  }                                                                                     \
  static ::sslshim::entry::Return<&::fn> SSLSHIM_ENTRY_BODY_NAME(fn)(                   \
      ::sslshim::entry::View<&::fn> var SSLSHIM_ENTRY_PARAMS(fn, __VA_ARGS__))

// `fail` is returned when the call can be neither served nor forwarded (empty for void).
#define SSLSHIM_SSL_ENTRY(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL, ssl, kIsAnError, fn, fail, __VA_ARGS__)
#define SSLSHIM_CTX_ENTRY(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_CTX, ctx, kIsAnError, fn, fail, __VA_ARGS__)
#define SSLSHIM_SESSION_ENTRY(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_SESSION, session, kIsAnError, fn, fail, __VA_ARGS__)
// For functions OpenSSL documents as doing nothing with a null object (the `*_free` family).
#define SSLSHIM_SSL_ENTRY_NULL_IGNORED(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL, ssl, kIsIgnored, fn, fail, __VA_ARGS__)
#define SSLSHIM_CTX_ENTRY_NULL_IGNORED(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_CTX, ctx, kIsIgnored, fn, fail, __VA_ARGS__)
#define SSLSHIM_SESSION_ENTRY_NULL_IGNORED(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_SESSION, session, kIsIgnored, fn, fail, __VA_ARGS__)

// A function without an object argument; list every parameter name (none for `(void)`).
// `real` is a RealLibssl.
#define SSLSHIM_DIRECT_ENTRY(real, fn, ...)                                           \
  static ::sslshim::entry::Return<&::fn> SSLSHIM_ENTRY_BODY_NAME(fn)(                 \
      __VA_OPT__(SSLSHIM_ENTRY_FIRST_PARAMS(fn, __VA_ARGS__)));                       \
  extern "C" ::sslshim::entry::Return<&::fn> fn(                                      \
      __VA_OPT__(SSLSHIM_ENTRY_FIRST_PARAMS(fn, __VA_ARGS__))) {                      \
    return ::sslshim::entry::Direct<&::fn>::Call<&SSLSHIM_ENTRY_BODY_NAME(fn),        \
                                                 ::sslshim::entry::RealLibssl::real>( \
        #fn, #__VA_ARGS__, __builtin_return_address(0) __VA_OPT__(, ) __VA_ARGS__);   \
  }                                                                                   \
  static ::sslshim::entry::Return<&::fn> SSLSHIM_ENTRY_BODY_NAME(fn)(                 \
      __VA_OPT__(SSLSHIM_ENTRY_FIRST_PARAMS(fn, __VA_ARGS__)))

#define SSLSHIM_FUNCTION_ENTRY(fn, ...) SSLSHIM_DIRECT_ENTRY(kNever, fn, __VA_ARGS__)
#define SSLSHIM_SHARED_FUNCTION_ENTRY(fn, ...) \
  SSLSHIM_DIRECT_ENTRY(kForItsOwnCalls, fn, __VA_ARGS__)
#define SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(fn, ...) SSLSHIM_DIRECT_ENTRY(kAlways, fn, __VA_ARGS__)
