// The work against the real libssl.so.3 (tls_pair_loop.inc holds it).
// libcrypto's functions (BIO, ERR, X509) are called by name: the shim never replaces them.
#include "openssl_direct_loop.h"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "bench_matrix.h"
#include "credentials.h"
#include "write_loop.h"

namespace sslshim_bench {

namespace {

// Every libssl function this file and tls_pair_loop.inc call.
// An X-macro list, one entry per line: clang-format would join the entries.
// clang-format off
#define SSLSHIM_BENCH_LIBSSL_FUNCTIONS(X)                                                          \
  X(SSL_CIPHER_get_name)                                                                           \
  X(SSL_CTX_ctrl)                                                                                  \
  X(SSL_CTX_free)                                                                                  \
  X(SSL_CTX_new)                                                                                   \
  X(SSL_CTX_set_cipher_list)                                                                       \
  X(SSL_CTX_set_ciphersuites)                                                                      \
  X(SSL_CTX_use_PrivateKey)                                                                        \
  X(SSL_CTX_use_certificate)                                                                       \
  X(SSL_do_handshake)                                                                              \
  X(SSL_free)                                                                                      \
  X(SSL_get_current_cipher) X(SSL_get_error) X(SSL_new) X(SSL_read) X(SSL_set_accept_state)        \
      X(SSL_set_bio) X(SSL_set_connect_state) X(SSL_write) X(TLS_client_method)                    \
          X(TLS_server_method)
// clang-format on

struct RealLibssl {
#define SSLSHIM_BENCH_MEMBER(name) decltype(&::name) name = nullptr;
  SSLSHIM_BENCH_LIBSSL_FUNCTIONS(SSLSHIM_BENCH_MEMBER)
#undef SSLSHIM_BENCH_MEMBER
};

// Filled once, before the first loop is made; a plain global so each call costs what a PLT call
// does.
RealLibssl real_libssl;

bool ResolveRealLibssl() {
  // RTLD_NOLOAD: the libssl.so.3 the executable was linked with, never a second copy.
  void* libssl = dlopen("libssl.so.3", RTLD_NOW | RTLD_NOLOAD);
  if (libssl == nullptr) return false;
  bool complete = true;
#define SSLSHIM_BENCH_RESOLVE(name)                                                               \
  real_libssl.name = reinterpret_cast<decltype(&::name)>(dlvsym(libssl, #name, "OPENSSL_3.0.0")); \
  complete = complete && real_libssl.name != nullptr;
  SSLSHIM_BENCH_LIBSSL_FUNCTIONS(SSLSHIM_BENCH_RESOLVE)
#undef SSLSHIM_BENCH_RESOLVE
  return complete;
}

// The file the resolved SSL_write lives in (libssl.so.3), checked by the driver.
std::string SslWriteProvider() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(real_libssl.SSL_write), &info) == 0 ||
      info.dli_fname == nullptr) {
    return "unknown";
  }
  const char* slash = std::strrchr(info.dli_fname, '/');
  return slash != nullptr ? slash + 1 : info.dli_fname;
}

// From here on, each libssl name means the real libssl's function. (Plain wrapper functions in
// this namespace cannot do it: argument-dependent lookup would also find the global declarations
// and make every call ambiguous.)
#define SSL_CIPHER_get_name (real_libssl.SSL_CIPHER_get_name)
#define SSL_CTX_ctrl (real_libssl.SSL_CTX_ctrl)
#define SSL_CTX_free (real_libssl.SSL_CTX_free)
#define SSL_CTX_new (real_libssl.SSL_CTX_new)
#define SSL_CTX_set_cipher_list (real_libssl.SSL_CTX_set_cipher_list)
#define SSL_CTX_set_ciphersuites (real_libssl.SSL_CTX_set_ciphersuites)
#define SSL_CTX_use_PrivateKey (real_libssl.SSL_CTX_use_PrivateKey)
#define SSL_CTX_use_certificate (real_libssl.SSL_CTX_use_certificate)
#define SSL_do_handshake (real_libssl.SSL_do_handshake)
#define SSL_free (real_libssl.SSL_free)
#define SSL_get_current_cipher (real_libssl.SSL_get_current_cipher)
#define SSL_get_error (real_libssl.SSL_get_error)
#define SSL_new (real_libssl.SSL_new)
#define SSL_read (real_libssl.SSL_read)
#define SSL_set_accept_state (real_libssl.SSL_set_accept_state)
#define SSL_set_bio (real_libssl.SSL_set_bio)
#define SSL_set_connect_state (real_libssl.SSL_set_connect_state)
#define SSL_write (real_libssl.SSL_write)
#define TLS_client_method (real_libssl.TLS_client_method)
#define TLS_server_method (real_libssl.TLS_server_method)

// SSL_CTX_set_min/max_proto_version are macros over SSL_CTX_ctrl, mapped above.
#include "openssl_context_setup.inc"
#include "tls_pair_loop.inc"

}  // namespace

std::unique_ptr<WriteLoop> NewOpenSslDirectLoop() {
  static const bool resolved = ResolveRealLibssl();
  if (!resolved) return nullptr;
  return std::make_unique<TlsPairLoop>();
}

}  // namespace sslshim_bench
