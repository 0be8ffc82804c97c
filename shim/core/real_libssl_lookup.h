// Finding the real libssl.so.3 when the shim is preloaded next to it.
#pragma once

namespace sslshim {

// The real libssl's definition of `name` at OPENSSL_3.0.0, or nullptr. RTLD_NEXT finds a libssl
// in the global scope (one the program links: the usual case). A libssl that came with a module
// opened RTLD_LOCAL (Python's _ssl, which the interpreter dlopens) is not in it, though that
// module's libssl calls still reach the preloaded shim: it is found by its soname among the
// objects already loaded (never loaded here), unless that object is the shim itself (stand-in).
// That search is not repeated until the loader has loaded another object. Lock-free.
void* RealLibsslSymbol(const char* name);

}  // namespace sslshim
