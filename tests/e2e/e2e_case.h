// One end-to-end run's parameters, its name, what a correct run must show, and the chosen matrix.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "testsupport/tls_stack.h"

namespace sslshim::e2e {

enum class LoadMode {
  kNative,            // the system's libssl, no shim
  kPreloadBoringSsl,  // LD_PRELOAD=libsslshim.so SSLSHIM_BACKEND=boringssl
  kPreloadOpenSsl,    // LD_PRELOAD=libsslshim.so SSLSHIM_BACKEND=openssl
  kStandin,           // LD_LIBRARY_PATH=<dir of the stand-in libssl.so.3>, default backend
};
enum class Transport { kBlocking, kNonBlocking, kBioPair };
enum class Link {
  kSocketpair,   // AF_UNIX socketpair, the end inherited as fd 3
  kTcpLoopback,  // a connected 127.0.0.1 TCP pair made by the harness, inherited as fd 3
  kTcpAddress,   // the programs listen/connect themselves on 127.0.0.1:port
};

struct Case {
  LoadMode mode;
  const char* protocol;  // "1.2" | "1.3"
  Transport transport;
  bool app_is_server;
  bool foreign_ctx = false;  // the app makes its SSL_CTX with the real libssl's SSL_CTX_new
  Link link = Link::kSocketpair;
  size_t chunk = 0;  // bytes per SSL_write; 0 = the whole payload in one call
};

const char* TransportArg(Transport t);
bool NeedsPreload(LoadMode m);

// A gtest-safe name such as "PreloadBoringssl_Tls13_biopair_Server_ForeignCtx".
std::string CaseName(const Case& c);
void PrintTo(const Case& c, std::ostream* os);

// What a correct run must show. Paths are canonical (realpath).
struct Expectation {
  testsupport::TlsStack stack;          // who builds the handshake messages
  std::string ssl_write_lib;            // where the program's SSL_write resolves
  std::string ssl_ctx_new_lib;          // where the SSL_CTX_new it used lives
  std::vector<std::string> loaded;      // must be among the loaded libssl/sslshim objects
  std::vector<std::string> not_loaded;  // must not be
};
Expectation Expect(const Case& c, const std::string& system_libssl, const std::string& shim,
                   const std::string& standin);

// Every mode x version x transport x role over a socketpair.
std::vector<Case> FullMatrix();
// A context from the real libssl's SSL_CTX_new/TLS_method, used through the normal API: every
// mode x transport x role, the version alternating so each mode sees both versions.
std::vector<Case> ForeignContextCases();
// Real TCP sockets: an inherited loopback connection (several SSL_write calls of a size that
// splits records unevenly; a BIO pair), and host:port, where the programs connect themselves.
std::vector<Case> TcpCases();

}  // namespace sslshim::e2e
