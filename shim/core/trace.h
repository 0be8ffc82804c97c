// SSLSHIM_LOG=trace: one line per call through an exported entry point (abi/exports/entry_point.h),
// with its arguments and its answer, for following what a program asks of libssl. Off by default,
// and then it costs the entry point one predictable branch on a flag read once at load.
//
// Lines go to SSLSHIM_LOG_FILE when set (appended; one write per line, so lines of concurrent
// threads and processes do not interleave), otherwise to stderr.
#pragma once

#include <cstdint>
#include <type_traits>

namespace sslshim {

namespace trace_internal {
extern bool enabled;  // set once, before any entry point can run (library constructor)
}  // namespace trace_internal

inline bool TraceEnabled() { return trace_internal::enabled; }

// Reads SSLSHIM_LOG; called from the library's constructor.
void InitTrace();

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
