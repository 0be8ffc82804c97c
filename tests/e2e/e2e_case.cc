#include "e2e_case.h"

#include <ostream>

namespace sslshim::e2e {
namespace {

constexpr LoadMode kModes[] = {LoadMode::kNative, LoadMode::kPreloadBoringSsl,
                               LoadMode::kPreloadOpenSsl, LoadMode::kStandin};
constexpr const char* kProtocols[] = {"1.2", "1.3"};
constexpr Transport kTransports[] = {Transport::kBlocking, Transport::kNonBlocking,
                                     Transport::kBioPair};

const char* ModeName(LoadMode m) {
  switch (m) {
    case LoadMode::kNative:
      return "Native";
    case LoadMode::kPreloadBoringSsl:
      return "PreloadBoringssl";
    case LoadMode::kPreloadOpenSsl:
      return "PreloadOpenssl";
    case LoadMode::kStandin:
      return "Standin";
  }
  return "?";
}

}  // namespace

const char* TransportArg(Transport t) {
  switch (t) {
    case Transport::kBlocking:
      return "blocking";
    case Transport::kNonBlocking:
      return "nonblocking";
    case Transport::kBioPair:
      return "biopair";
  }
  return "?";
}

bool NeedsPreload(LoadMode m) {
  return m == LoadMode::kPreloadBoringSsl || m == LoadMode::kPreloadOpenSsl;
}

std::string CaseName(const Case& c) {
  std::string name = std::string(ModeName(c.mode)) + "_Tls" +
                     (std::string(c.protocol) == "1.2" ? "12" : "13") + "_" +
                     TransportArg(c.transport) + "_" + (c.app_is_server ? "Server" : "Client");
  if (c.foreign_ctx) name += "_ForeignCtx";
  if (c.link == Link::kTcpLoopback) name += "_TcpFd";
  if (c.link == Link::kTcpAddress) name += "_TcpAddress";
  if (c.chunk != 0) name += "_Chunk" + std::to_string(c.chunk);
  return name;
}

void PrintTo(const Case& c, std::ostream* os) { *os << CaseName(c); }

Expectation Expect(const Case& c, const std::string& system_libssl, const std::string& shim,
                   const std::string& standin) {
  switch (c.mode) {
    case LoadMode::kNative:
      return {testsupport::TlsStack::kOpenSsl, system_libssl, system_libssl, {system_libssl}, {}};
    case LoadMode::kPreloadBoringSsl:
      // A context the real libssl made stays the real libssl's: the shim forwards every call
      // (docs/design-notes.md), so OpenSSL builds the handshake.
      return {c.foreign_ctx ? testsupport::TlsStack::kOpenSsl : testsupport::TlsStack::kBoringSsl,
              shim,
              c.foreign_ctx ? system_libssl : shim,
              {shim, system_libssl},
              {}};
    case LoadMode::kPreloadOpenSsl:
      return {testsupport::TlsStack::kOpenSsl,
              shim,
              c.foreign_ctx ? system_libssl : shim,
              {shim, system_libssl},
              {}};
    case LoadMode::kStandin:
      // No real libssl in the process: dlopen("libssl.so.3") finds the stand-in itself.
      return {testsupport::TlsStack::kBoringSsl, standin, standin, {standin}, {system_libssl}};
  }
  return {};
}

std::vector<Case> FullMatrix() {
  std::vector<Case> cases;
  for (LoadMode m : kModes) {
    for (const char* v : kProtocols) {
      for (Transport t : kTransports) {
        for (bool server : {false, true}) cases.push_back({m, v, t, server});
      }
    }
  }
  return cases;
}

std::vector<Case> ForeignContextCases() {
  std::vector<Case> cases;
  for (LoadMode m : kModes) {
    int i = 0;
    for (Transport t : kTransports) {
      for (bool server : {false, true}) {
        Case c{m, kProtocols[i++ % 2], t, server};
        c.foreign_ctx = true;
        cases.push_back(c);
      }
    }
  }
  return cases;
}

std::vector<Case> TcpCases() {
  std::vector<Case> cases;
  for (LoadMode m : kModes) {
    Case chunked{m, "1.3", Transport::kNonBlocking, false};
    chunked.link = Link::kTcpLoopback;
    chunked.chunk = 100000;
    Case pair{m, "1.2", Transport::kBioPair, true};
    pair.link = Link::kTcpLoopback;
    Case address{m, "1.3", Transport::kBlocking, true};
    address.link = Link::kTcpAddress;
    cases.insert(cases.end(), {chunked, pair, address});
  }
  return cases;
}

}  // namespace sslshim::e2e
