// End-to-end tests of sslshim (the project's end-to-end requirements).
//
// tls_app, an ordinary program linked only against the system's -lssl -lcrypto, runs a real TLS
// session with tls_peer, a plain OpenSSL program that is never preloaded, over a socketpair or
// loopback TCP. The same app runs in four load modes (e2e_case.h). Each run must deliver >= 1 MiB
// byte-exact (the peer hashes what arrived; the app compares), negotiate the version asked for,
// keep SSL_write's contract as the app sees it, and prove who did the TLS: the peer reports what
// the app's side put on the wire (testsupport/tls_stack.h), and the app reports which library its
// SSL_write and SSL_CTX_new came from and which libssl objects are loaded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "e2e_case.h"
#include "process_runner.h"
#include "test_pki.h"
#include "testsupport/tls_stack.h"
#include "tls_reports.h"

namespace sslshim::e2e {
namespace {

constexpr size_t kPayloadBytes = (size_t{1} << 20) + 4099;  // >= 1 MiB, not a record multiple
constexpr auto kRunTimeout = std::chrono::seconds(15);
// The peer sleeps this long after its handshake before reading, so a 1 MiB write overruns the
// socket buffer: blocking writes must wait, non-blocking ones must see WANT_WRITE.
constexpr int kPeerReadDelayMs = 100;
// Loopback TCP's autotuned buffers could swallow the whole payload; a fixed send buffer cannot.
constexpr int kTcpSendBufferBytes = 64 * 1024;

std::string Canonical(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

bool Exists(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

// The shim's built files, when the lead's targets exist and have been built.
std::optional<std::string> ShimLibrary() {
#ifdef E2E_SHIM_LIB
  if (Exists(E2E_SHIM_LIB)) return Canonical(E2E_SHIM_LIB);
#endif
  return std::nullopt;
}
std::optional<std::string> StandinLibrary() {
#ifdef E2E_STANDIN_LIB
  if (Exists(E2E_STANDIN_LIB)) return std::string(E2E_STANDIN_LIB);
#endif
  return std::nullopt;
}

// The PKI, made once per test process.
class PkiEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { pki_ = MakeTestPki(E2E_OPENSSL_CLI, &error_); }
  void TearDown() override {
    if (pki_) RemovePki(*pki_);
  }
  static std::optional<TestPki> pki_;
  static std::string error_;
};
std::optional<TestPki> PkiEnvironment::pki_;
std::string PkiEnvironment::error_;
[[maybe_unused]] ::testing::Environment* const kPkiEnvironment =
    ::testing::AddGlobalTestEnvironment(new PkiEnvironment);

// A pair of connected sockets, owned until the children have inherited them.
struct SocketPair {
  int app = -1, peer = -1;
  ~SocketPair() {
    if (app >= 0) close(app);
    if (peer >= 0) close(peer);
  }
};

bool MakeSocketpair(SocketPair* s) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
  s->app = fds[0];
  s->peer = fds[1];
  return true;
}

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

bool MakeTcpPair(SocketPair* s) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  bool ok = listener >= 0 && bind(listener, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
            listen(listener, 1) == 0 &&
            getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (ok) {
    s->app = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ok = s->app >= 0 &&
         setsockopt(s->app, SOL_SOCKET, SO_SNDBUF, &kTcpSendBufferBytes,
                    sizeof kTcpSendBufferBytes) == 0 &&
         connect(s->app, reinterpret_cast<sockaddr*>(&addr), len) == 0;
  }
  if (ok) s->peer = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (listener >= 0) close(listener);
  return ok && s->peer >= 0;
}

// A currently free loopback port (the listening program sets SO_REUSEADDR).
std::optional<uint16_t> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  std::optional<uint16_t> port;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) close(fd);
  return port;
}

std::vector<std::string> Credentials(const TestPki& pki, bool server) {
  if (server) return {"--cert", pki.server_cert, "--key", pki.server_key};
  return {"--ca", pki.ca_cert};
}

// "LD_PRELOAD=... tls_app args..." for failure messages: enough to rerun a case by hand.
std::string CommandLine(const ChildSpec& spec) {
  std::string line;
  for (const std::string& e : spec.env) {
    if (e.rfind("LD_", 0) == 0 || e.rfind("SSLSHIM_", 0) == 0) line += e + " ";
  }
  line += spec.program;
  for (const std::string& a : spec.args) line += " " + a;
  return line;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> SplitPaths(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find(':', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Byte-exact delivery (W02, W07, W11, W12): the peer's count and hash of what arrived against
// what the app wrote, and the digest read back through the same session.
void CheckDelivery(const AppReport& a, const PeerReport& p) {
  const int64_t payload = static_cast<int64_t>(kPayloadBytes);
  EXPECT_EQ(a.bytes_written, payload);
  EXPECT_EQ(p.bytes, payload);
  EXPECT_EQ(a.sha256.size(), 64u);
  EXPECT_EQ(p.sha256, a.sha256) << "the peer received other bytes than the app wrote";
  EXPECT_EQ(a.peer_sha256, p.sha256) << "the digest did not come back intact";
  EXPECT_TRUE(a.digest_match);
  EXPECT_TRUE(a.peer_close_notify);
  EXPECT_TRUE(p.got_close_notify);
}

// The session the app asked for, named by the app's libssl exactly as OpenSSL names it.
void CheckSession(const Case& c, const AppReport& a, const PeerReport& p) {
  const std::string version = std::string("TLSv") + c.protocol;
  EXPECT_EQ(p.version, version);
  EXPECT_EQ(a.version, version);
  EXPECT_EQ(a.cipher, p.cipher);
  if (!c.app_is_server) {
    EXPECT_EQ(a.verify_result, 0) << "SSL_get_verify_result should be X509_V_OK";
  }
}

// SSL_write's contract as the app saw it (W07, W09, W12, W13, W20): every call either wrote its
// whole chunk or asked for a retry; blocking calls never asked; the others had to.
void CheckWriteContract(const Case& c, const AppReport& a) {
  const size_t chunk = c.chunk != 0 ? c.chunk : kPayloadBytes;
  const int64_t chunks = static_cast<int64_t>((kPayloadBytes + chunk - 1) / chunk);
  EXPECT_EQ(a.ssl_write_calls, chunks + a.want_write_count + a.want_read_count);
  if (c.transport == Transport::kBlocking) {
    EXPECT_EQ(a.want_write_count + a.want_read_count, 0) << "a blocking SSL_write returned early";
  } else {
    EXPECT_GT(a.want_write_count, 0)
        << "1 MiB against a reader that waits should have filled the "
        << (c.transport == Transport::kBioPair ? "BIO pair" : "socket");
  }
}

void CheckWhoDidTls(const Case& c, const Expectation& expect, const AppReport& a,
                    const PeerReport& p) {
  const testsupport::StackVerdict verdict =
      c.app_is_server ? testsupport::ClassifyServerHello(c.protocol, p.server_hello_extensions)
                      : testsupport::ClassifyClientHello(p.client_hello_groups);
  EXPECT_EQ(testsupport::StackName(verdict.stack),
            std::string(testsupport::StackName(expect.stack)))
      << verdict.reason;
  EXPECT_EQ(a.ssl_write_lib, expect.ssl_write_lib);
  EXPECT_EQ(a.ssl_ctx_new_lib, expect.ssl_ctx_new_lib);
  const std::vector<std::string> loaded = SplitPaths(a.loaded_ssl_objects);
  for (const std::string& want : expect.loaded) {
    EXPECT_TRUE(Contains(loaded, want)) << want << " not loaded; loaded: " << a.loaded_ssl_objects;
  }
  for (const std::string& unwanted : expect.not_loaded) {
    EXPECT_FALSE(Contains(loaded, unwanted))
        << unwanted << " loaded; loaded: " << a.loaded_ssl_objects;
  }
}

// The app's environment: exactly its mode's variables (the peer never sees the shim). False, with
// *skip, when the mode's shim is not built; *standin_path gets the stand-in's canonical path.
bool AppEnvironment(LoadMode mode, std::vector<std::string>* env, std::string* standin_path,
                    std::string* skip) {
  const std::optional<std::string> shim = ShimLibrary();
  const std::optional<std::string> standin = StandinLibrary();
  if (NeedsPreload(mode) && !shim) {
    *skip = "libsslshim.so not built";
    return false;
  }
  if (mode == LoadMode::kStandin && !standin) {
    *skip = "libsslshim.so not built (its stand-in form, standin/libssl.so.3)";
    return false;
  }
  *env = CleanEnvironment();
  if (NeedsPreload(mode)) {
    env->push_back("LD_PRELOAD=" + *shim);
    env->push_back(std::string("SSLSHIM_BACKEND=") +
                   (mode == LoadMode::kPreloadOpenSsl ? "openssl" : "boringssl"));
  }
  if (mode == LoadMode::kStandin) {
    const std::string dir = std::filesystem::path(*standin).parent_path().string();
    env->push_back("LD_LIBRARY_PATH=" + dir);
    *standin_path = Canonical(dir + "/libssl.so.3");
  }
  return true;
}

class E2eTest : public ::testing::TestWithParam<Case> {};

TEST_P(E2eTest, DeliversPayloadAndProvesWhoDidTls) {
  const Case& c = GetParam();
  ASSERT_TRUE(PkiEnvironment::pki_.has_value()) << "test PKI: " << PkiEnvironment::error_;
  const TestPki& pki = *PkiEnvironment::pki_;

  const std::optional<std::string> shim = ShimLibrary();
  std::vector<std::string> app_env;
  std::string standin_path, skip;
  if (!AppEnvironment(c.mode, &app_env, &standin_path, &skip)) {
    GTEST_SKIP() << skip;
  }
  if (c.mode == LoadMode::kStandin) {
    ASSERT_TRUE(Exists(standin_path)) << "the stand-in directory has no libssl.so.3 for the loader";
  }

  SocketPair sockets;
  std::string endpoint = std::to_string(kChildSocketFd);
  if (c.link == Link::kSocketpair) {
    ASSERT_TRUE(MakeSocketpair(&sockets));
  } else if (c.link == Link::kTcpLoopback) {
    ASSERT_TRUE(MakeTcpPair(&sockets));
  } else {
    std::optional<uint16_t> port = FreeLoopbackPort();
    ASSERT_TRUE(port.has_value());
    endpoint = "127.0.0.1:" + std::to_string(*port);
  }

  const std::string scratch = pki.dir + "/" + CaseName(c);
  ChildSpec app;
  app.program = E2E_TLS_APP;
  app.args = {c.app_is_server ? "server" : "client", c.protocol, TransportArg(c.transport),
              std::to_string(kPayloadBytes), endpoint};
  for (std::string& arg : Credentials(pki, c.app_is_server)) app.args.push_back(arg);
  // Blocking runs call SSL_connect/SSL_accept first; the others leave the handshake to SSL_write
  // (after SSL_set_connect_state/SSL_set_accept_state, W03/W04), so every mode sees both.
  app.args.insert(app.args.end(),
                  {"--handshake", c.transport == Transport::kBlocking ? "explicit" : "implicit"});
  if (c.chunk != 0) app.args.insert(app.args.end(), {"--chunk", std::to_string(c.chunk)});
  if (c.foreign_ctx) app.args.push_back("--foreign-ctx");
  app.env = app_env;
  app.socket_fd = sockets.app;
  app.stdout_path = scratch + ".app.out";
  app.stderr_path = scratch + ".app.err";

  ChildSpec peer;
  peer.program = E2E_TLS_PEER;
  peer.args = {c.app_is_server ? "client" : "server", std::to_string(kPayloadBytes), endpoint,
               "--delay-ms", std::to_string(kPeerReadDelayMs)};
  for (std::string& arg : Credentials(pki, !c.app_is_server)) peer.args.push_back(arg);
  peer.env = CleanEnvironment();
  peer.socket_fd = sockets.peer;
  peer.stdout_path = scratch + ".peer.out";
  peer.stderr_path = scratch + ".peer.err";

  std::vector<ChildOutcome> outcomes = RunChildren({app, peer}, kRunTimeout);
  SCOPED_TRACE("\n$ " + CommandLine(app) + "\n$ " + CommandLine(peer));
  EXPECT_TRUE(outcomes[0].Succeeded()) << "tls_app: " << outcomes[0].Describe();
  EXPECT_TRUE(outcomes[1].Succeeded()) << "tls_peer: " << outcomes[1].Describe();

  std::string error;
  std::optional<AppReport> a = ParseAppReport(outcomes[0].stdout_text, &error);
  ASSERT_TRUE(a.has_value()) << "tls_app report: " << error;
  std::optional<PeerReport> p = ParsePeerReport(outcomes[1].stdout_text, &error);
  ASSERT_TRUE(p.has_value()) << "tls_peer report: " << error;

  // Even a failed session shows who built the hello and where the app's calls went.
  CheckWhoDidTls(c, Expect(c, Canonical(E2E_SYSTEM_LIBSSL), shim.value_or(""), standin_path), *a,
                 *p);
  if (!outcomes[0].Succeeded() || !outcomes[1].Succeeded()) return;  // the rest would only echo it
  EXPECT_TRUE(a->ok) << a->error;
  EXPECT_TRUE(p->ok) << p->error;
  CheckDelivery(*a, *p);
  CheckSession(c, *a, *p);
  CheckWriteContract(c, *a);
}

std::string TestName(const ::testing::TestParamInfo<Case>& info) { return CaseName(info.param); }

INSTANTIATE_TEST_SUITE_P(Matrix, E2eTest, ::testing::ValuesIn(FullMatrix()), TestName);
INSTANTIATE_TEST_SUITE_P(ForeignContext, E2eTest, ::testing::ValuesIn(ForeignContextCases()),
                         TestName);
INSTANTIATE_TEST_SUITE_P(Tcp, E2eTest, ::testing::ValuesIn(TcpCases()), TestName);

// TLS 1.3 session tickets leave a server with its handshake, as OpenSSL 3 sends them, before the
// server writes anything: a client whose small request waits behind them (Nagle's algorithm, a
// delayed ACK) must not wait. The app serves, awaits the peer's one-byte request, then writes;
// the peer (plain OpenSSL) counts the NewSessionTickets that came before it asked.
struct TicketCase {
  LoadMode mode;
  const char* protocol;
  Transport transport;
  bool implicit_handshake;  // the app's SSL_read (of the request) negotiates
  int num_tickets;          // -1: the default (2)
  bool request_cert;        // the server asks for a client certificate (the peer sends none)
  int expected_tickets;
};

std::string TicketCaseName(const TicketCase& t) {
  Case c{t.mode, t.protocol, t.transport, /*app_is_server=*/true};
  std::string name = CaseName(c) + (t.implicit_handshake ? "_ReadNegotiates" : "_Accept");
  if (t.num_tickets >= 0) name += "_NumTickets" + std::to_string(t.num_tickets);
  if (t.request_cert) name += "_RequestCert";
  return name + "_TicketsBeforeData";
}

std::vector<TicketCase> TicketCases() {
  std::vector<TicketCase> cases;
  for (LoadMode mode : {LoadMode::kNative, LoadMode::kPreloadBoringSsl, LoadMode::kPreloadOpenSsl,
                        LoadMode::kStandin}) {
    for (Transport transport :
         {Transport::kBlocking, Transport::kNonBlocking, Transport::kBioPair}) {
      cases.push_back({mode, "1.3", transport, false, -1, false, 2});
      cases.push_back({mode, "1.3", transport, true, -1, false, 2});
    }
    cases.push_back({mode, "1.3", Transport::kNonBlocking, false, 0, false, 0});
    cases.push_back({mode, "1.3", Transport::kBlocking, false, 3, true, 3});
    cases.push_back({mode, "1.2", Transport::kBlocking, false, -1, false, 0});
  }
  return cases;
}

class TicketTest : public ::testing::TestWithParam<TicketCase> {};

TEST_P(TicketTest, ServerSendsTicketsWithItsHandshake) {
  constexpr size_t kBytes = 4096;
  constexpr int kTicketWindowMs = 1500;
  const TicketCase& t = GetParam();
  ASSERT_TRUE(PkiEnvironment::pki_.has_value()) << "test PKI: " << PkiEnvironment::error_;
  const TestPki& pki = *PkiEnvironment::pki_;
  std::vector<std::string> app_env;
  std::string standin_path, skip;
  if (!AppEnvironment(t.mode, &app_env, &standin_path, &skip)) {
    GTEST_SKIP() << skip;
  }

  SocketPair sockets;
  ASSERT_TRUE(MakeSocketpair(&sockets));
  const std::string endpoint = std::to_string(kChildSocketFd);
  const std::string scratch = pki.dir + "/" + TicketCaseName(t);
  ChildSpec app;
  app.program = E2E_TLS_APP;
  app.args = {"server",
              t.protocol,
              TransportArg(t.transport),
              std::to_string(kBytes),
              endpoint,
              "--handshake",
              t.implicit_handshake ? "implicit" : "explicit",
              "--await-peer"};
  for (std::string& arg : Credentials(pki, true)) app.args.push_back(arg);
  if (t.num_tickets >= 0) {
    app.args.insert(app.args.end(), {"--num-tickets", std::to_string(t.num_tickets)});
  }
  if (t.request_cert) app.args.push_back("--request-cert");
  app.env = app_env;
  app.socket_fd = sockets.app;
  app.stdout_path = scratch + ".app.out";
  app.stderr_path = scratch + ".app.err";

  ChildSpec peer;
  peer.program = E2E_TLS_PEER;
  peer.args = {"client", std::to_string(kBytes), endpoint, "--count-tickets",
               std::to_string(kTicketWindowMs)};
  for (std::string& arg : Credentials(pki, false)) peer.args.push_back(arg);
  peer.env = CleanEnvironment();
  peer.socket_fd = sockets.peer;
  peer.stdout_path = scratch + ".peer.out";
  peer.stderr_path = scratch + ".peer.err";

  std::vector<ChildOutcome> outcomes = RunChildren({app, peer}, kRunTimeout);
  SCOPED_TRACE("\n$ " + CommandLine(app) + "\n$ " + CommandLine(peer));
  EXPECT_TRUE(outcomes[0].Succeeded()) << "tls_app: " << outcomes[0].Describe();
  EXPECT_TRUE(outcomes[1].Succeeded()) << "tls_peer: " << outcomes[1].Describe();
  std::string error;
  std::optional<PeerReport> p = ParsePeerReport(outcomes[1].stdout_text, &error);
  ASSERT_TRUE(p.has_value()) << "tls_peer report: " << error;
  EXPECT_TRUE(p->ok) << p->error;
  EXPECT_EQ(p->version, std::string("TLSv") + t.protocol);
  EXPECT_EQ(p->tickets_before_data, t.expected_tickets)
      << "NewSessionTickets that reached the client before it sent its request (in "
      << p->ticket_records_before_data << " records)";
  if (t.expected_tickets == 0) {
    EXPECT_EQ(p->ticket_records_before_data, 0);
  }
  EXPECT_EQ(p->bytes, static_cast<int64_t>(kBytes));
  EXPECT_TRUE(p->got_close_notify);
}

std::string TicketTestName(const ::testing::TestParamInfo<TicketCase>& param) {
  return TicketCaseName(param.param);
}

INSTANTIATE_TEST_SUITE_P(Tickets, TicketTest, ::testing::ValuesIn(TicketCases()), TicketTestName);

}  // namespace
}  // namespace sslshim::e2e
