// The versions the library carries: its own (project() in CMakeLists.txt) and that of the
// BoringSSL it was built from (the Debian source package's changelog), generated at configure time
// from shim/core/version.cc.in.
#pragma once

namespace sslshim {

extern const char kVersion[];           // "0.1.0"
extern const char kBoringSslVersion[];  // the Debian version, "13.0.0+r24-2"
// "sslshim 0.1.0, TLS by BoringSSL 13.0.0+r24-2 (Debian source package ...)": kept in the library
// whatever references it, for `strings libsslshim.so | grep 'TLS by BoringSSL'` and `sslshim
// version`.
extern const char kVersionLine[];

}  // namespace sslshim
