// Running one script on OpenSSL's libssl and on the shim's stand-in in one process: the test links
// the real libssl, and the stand-in is opened RTLD_LOCAL beside it, so each name can be resolved
// in both and the two answers compared.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>

namespace sslshim::side_by_side {

// The stand-in, opened once per process (nullptr, with a test failure, if it cannot be).
inline void* Standin() {
  static void* lib = dlopen(SSLSHIM_STANDIN_LIB, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(lib, nullptr) << dlerror();
  return lib;
}

// The stand-in's definition of `name`; a test failure if it is missing or is the real libssl's
// (the comparison would then prove nothing).
template <typename Fn>
Fn Shim(const char* name, Fn real) {
  void* lib = Standin();
  auto fn = lib != nullptr ? reinterpret_cast<Fn>(dlsym(lib, name)) : nullptr;
  EXPECT_NE(fn, nullptr) << name;
  EXPECT_NE(reinterpret_cast<void*>(fn), reinterpret_cast<void*>(real))
      << name << " resolved to the real libssl: the comparison would prove nothing";
  return fn;
}

// For a struct `Api` of function pointers listed by FIELDS as X(field, name): RealApi() fills it
// with the real libssl's definitions, ShimApi() with the stand-in's.
#define SSLSHIM_SIDE_BY_SIDE_REAL(field, name) api.field = &name;
#define SSLSHIM_SIDE_BY_SIDE_SHIM(field, name) \
  api.field = ::sslshim::side_by_side::Shim(#name, &name);
#define SSLSHIM_SIDE_BY_SIDE_API(Api, FIELDS) \
  Api RealApi() {                             \
    Api api;                                  \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_REAL)         \
    return api;                               \
  }                                           \
  Api ShimApi() {                             \
    Api api;                                  \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_SHIM)         \
    return api;                               \
  }

}  // namespace sslshim::side_by_side
