// What the shim says about itself, on SSLSHIM_LOG's level (read once, at load):
//   off       nothing;
//   refusals  one line per function the shim refuses or cannot apply (core/errors.h WarnOnce),
//             the first time it happens. The default;
//   info      also one line when the shim first serves the program: its version, BoringSSL's,
//             the load mode and the backend;
//   trace     also one line per call through an exported entry point (abi/exports/entry_point.h),
//             with its arguments and its answer, for following what a program asks of libssl.
// Each level includes the ones above it. Tracing costs an entry point one predictable branch on a
// flag read once at load when it is off.
//
// Lines go to SSLSHIM_LOG_FILE when set (appended, opened at the first line; one write per line,
// so lines of concurrent threads and processes do not interleave), otherwise to stderr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace sslshim {

enum class LogLevel { kOff, kRefusals, kInfo, kTrace };

namespace trace_internal {
extern bool enabled;    // level == kTrace; set once, before any entry point can run
extern LogLevel level;  // set with it (library constructor)
}  // namespace trace_internal

inline bool TraceEnabled() { return trace_internal::enabled; }
inline bool LogEnabled(LogLevel at_least) { return trace_internal::level >= at_least; }

// Reads SSLSHIM_LOG and SSLSHIM_LOG_FILE; called from the library's constructor.
void InitLog();

// Writes one line (`length` bytes, ending in a newline) where the log goes, in one write.
void WriteLogLine(const char* line, size_t length);

// At `info`: "sslshim: info sslshim 0.1.0, TLS by BoringSSL 13.0.0+r24-2, mode preload, backend
// boringssl", once per process, when the backend that serves the program is made.
void LogServing(const char* backend);

// For a void function: no answer to print.
struct TraceNoResult {};

// One argument or answer, reduced to what a line prints: a number or an address. Strings are not
// followed: a `const char*` argument may not be a string, or not yet filled in.
struct TraceValue {
  enum class Kind { kNone, kSigned, kUnsigned, kPointer } kind = Kind::kNone;
  uint64_t bits = 0;
};

template <typename T>
TraceValue ToTraceValue(T value) {
  if constexpr (std::is_same_v<T, TraceNoResult>) {
    return {};
  } else if constexpr (std::is_pointer_v<T>) {
    return {TraceValue::Kind::kPointer, reinterpret_cast<uintptr_t>(value)};
  } else if constexpr (std::is_enum_v<T>) {
    return {TraceValue::Kind::kSigned, static_cast<uint64_t>(value)};
  } else if constexpr (std::is_signed_v<T>) {
    return {TraceValue::Kind::kSigned, static_cast<uint64_t>(static_cast<int64_t>(value))};
  } else {
    return {TraceValue::Kind::kUnsigned, static_cast<uint64_t>(value)};
  }
}

// Writes "sslshim: trace NAME(arg, name=arg, ...) = result". `arg_names` is the comma-separated
// list of the entry's parameter names; arguments beyond it (the object, listed first) print bare.
void WriteTraceLine(const char* name, const char* arg_names, TraceValue result,
                    const TraceValue* args, int count);

template <typename R, typename... A>
void TraceCall(const char* name, const char* arg_names, R result, A... args) {
  const TraceValue values[sizeof...(A) + 1] = {ToTraceValue(args)..., {}};
  WriteTraceLine(name, arg_names, ToTraceValue(result), values, static_cast<int>(sizeof...(A)));
}

}  // namespace sslshim
