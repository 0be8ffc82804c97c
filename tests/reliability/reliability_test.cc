// Reliability of real programs under the shim (issue: fail closed, never hang, never alias):
// ordinary OpenSSL programs, run natively and in each load mode, that fork while other threads
// make connections, and so on. Native OpenSSL 3's figures are measured in the same run and
// printed next to the shim's.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "load_mode.h"
#include "process_runner.h"
#include "test_pki.h"
#include "testsupport/json.h"

namespace sslshim::reliability {
namespace {

using e2e::ChildOutcome;
using e2e::ChildSpec;
using e2e::CleanEnvironment;

using Mode = e2e::RunMode;
const char* ModeName(Mode m) { return e2e::RunModeName(m); }
std::vector<std::string> ModeEnvironment(Mode mode) {
  return e2e::RunModeEnvironment(mode, REL_SHIM_LIB, REL_STANDIN_LIB);
}

class Reliability : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = e2e::MakeTestPki(REL_OPENSSL_CLI, &pki_error_); }
  static void TearDownTestSuite() {
    if (pki_) e2e::RemovePki(*pki_);
  }

  // Runs `program args` in `mode`; its one JSON line, or nullopt with the reason in *detail.
  static std::optional<testsupport::Json> RunProgram(Mode mode, const std::string& program,
                                                     const std::vector<std::string>& args,
                                                     std::chrono::seconds timeout,
                                                     std::string* detail) {
    ChildSpec spec;
    spec.program = program;
    spec.args = args;
    spec.env = ModeEnvironment(mode);
    spec.stdout_path = pki_->dir + "/program.out";
    spec.stderr_path = pki_->dir + "/program.err";
    ChildOutcome outcome = e2e::RunChildren({spec}, timeout).front();
    *detail = std::string(ModeName(mode)) + ": " + outcome.Describe();
    if (!outcome.Succeeded()) return std::nullopt;
    std::string error;
    std::optional<testsupport::Json> json = testsupport::Json::Parse(outcome.stdout_text, &error);
    if (!json) *detail += "\n(unreadable report: " + error + ")";
    return json;
  }

  // Runs `program args` alone in `mode`, its output in files named after `name`.
  static ChildOutcome RunAlone(Mode mode, const std::string& program,
                               const std::vector<std::string>& args, const std::string& name) {
    ChildSpec spec;
    spec.program = program;
    spec.args = args;
    spec.env = ModeEnvironment(mode);
    spec.stdout_path = pki_->dir + "/" + name + ".out";
    spec.stderr_path = pki_->dir + "/" + name + ".err";
    return e2e::RunChildren({spec}, std::chrono::seconds(30)).front();
  }

  // Runs `probe args` natively and in each shim mode: the native output must contain each of
  // `native_shows` (so the probe saw what it tests), and the shim's must be the same, line for
  // line, with nothing on stderr.
  static void ExpectOutputAsNative(const char* probe, const std::vector<std::string>& args,
                                   const std::string& name,
                                   const std::vector<std::string>& native_shows) {
    auto run = [&](Mode mode) { return RunAlone(mode, probe, args, name); };
    ChildOutcome native = run(Mode::kNative);
    ASSERT_TRUE(native.Succeeded()) << native.Describe();
    for (const std::string& line : native_shows) {
      ASSERT_NE(native.stdout_text.find(line), std::string::npos) << native.stdout_text;
    }
    for (Mode mode : e2e::kShimRunModes) {
      ChildOutcome shim = run(mode);
      ASSERT_TRUE(shim.Succeeded()) << ModeName(mode) << ": " << shim.Describe();
      EXPECT_EQ(shim.stdout_text, native.stdout_text) << ModeName(mode);
      EXPECT_EQ(shim.stderr_text, "") << ModeName(mode);
    }
  }

  static std::optional<e2e::TestPki> pki_;
  static std::string pki_error_;
};
std::optional<e2e::TestPki> Reliability::pki_;
std::string Reliability::pki_error_;

// fork() while four threads make and free connections on a shared context; each child makes one
// connection. A child that hangs inherited a lock another thread held. The shim once held a
// context-wide lock across all of SSL_new (71 hung children of 100); what remains is OpenSSL
// libcrypto's own ex_data lock, which native SSL_new takes too (a few in 100, printed here).
TEST_F(Reliability, ForkWhileOtherThreadsMakeConnections) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  constexpr int kForks = 100;
  // Every mode's hangs come from that libcrypto lock (on the OpenSSL backend, the real libssl's
  // SSL_new itself), so every mode hangs about as often as native: about 10 in 100 on an idle
  // machine, 12 to 17 beside two fuzzing jobs (where a bound of 10 failed with 11, native 8). The
  // bound is the 99.9th percentile (binomial) of a 15 in 100 rate, 15 + 3.09 * 3.6, not a mean;
  // the shim's own context lock, the defect this guards against, hung 71.
  constexpr int kMostHung = 27;
  const std::vector<std::string> args = {pki_->server_cert, pki_->server_key,
                                         std::to_string(kForks)};
  std::string detail;
  std::optional<testsupport::Json> native =
      RunProgram(Mode::kNative, REL_FORK_PROBE, args, std::chrono::seconds(120), &detail);
  ASSERT_TRUE(native.has_value()) << detail;
  bool ok = true;
  std::printf("fork while SSL_new runs elsewhere, hung children of %d: native %lld", kForks,
              static_cast<long long>(native->IntField("hung", &ok)));
  for (Mode mode : e2e::kShimRunModes) {
    std::optional<testsupport::Json> report =
        RunProgram(mode, REL_FORK_PROBE, args, std::chrono::seconds(120), &detail);
    ASSERT_TRUE(report.has_value()) << detail;
    const int64_t hung = report->IntField("hung", &ok);
    std::printf(", %s %lld", ModeName(mode), static_cast<long long>(hung));
    EXPECT_LE(hung, kMostHung) << detail;
    EXPECT_EQ(report->IntField("failed", &ok), 0) << detail;
  }
  std::printf("\n");
  EXPECT_TRUE(ok);
}

// The transport ends during the handshake: every call, role, transport and the
// SSL_OP_IGNORE_UNEXPECTED_EOF switch answer as native OpenSSL 3 does, line for line (-1 with
// SSL_R_UNEXPECTED_EOF_WHILE_READING, or -1 with SSL_ERROR_ZERO_RETURN and SSL_RECEIVED_SHUTDOWN;
// the shim once answered 0 / SSL_ERROR_SYSCALL with an empty queue).
TEST_F(Reliability, TransportEndDuringTheHandshakeAnswersAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  auto run = [](Mode mode, std::string* out) {
    ChildOutcome outcome = RunAlone(mode, REL_HANDSHAKE_EOF_PROBE, {}, "eof");
    *out = outcome.stdout_text;
    return outcome;
  };
  std::string native;
  ChildOutcome native_outcome = run(Mode::kNative, &native);
  ASSERT_TRUE(native_outcome.Succeeded()) << native_outcome.Describe();
  ASSERT_NE(native.find("unexpected eof while reading"), std::string::npos) << native;
  for (Mode mode : e2e::kShimRunModes) {
    std::string shim;
    ChildOutcome outcome = run(mode, &shim);
    ASSERT_TRUE(outcome.Succeeded()) << ModeName(mode) << ": " << outcome.Describe();
    EXPECT_EQ(shim, native) << ModeName(mode);
  }
}

// What reentry_probe printed for one run, or "hang"/"crash" when it did not finish by itself.
std::string RunReentry(Mode mode, const std::string& dir, const std::vector<std::string>& args) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return "socketpair failed";
  ChildSpec probe;
  probe.program = REL_REENTRY_PROBE;
  probe.args = {std::to_string(e2e::kChildSocketFd)};
  probe.args.insert(probe.args.end(), args.begin(), args.end());
  probe.env = ModeEnvironment(mode);
  probe.socket_fd = fds[0];
  probe.stdout_path = dir + "/reentry.out";
  probe.stderr_path = dir + "/reentry.err";
  ChildSpec peer;
  peer.program = REL_FORBIDDEN_PEER;
  peer.args = {"server", std::to_string(e2e::kChildSocketFd),
               "--cert", dir + "/server.pem",
               "--key",  dir + "/server.key"};
  peer.env = CleanEnvironment();
  peer.socket_fd = fds[1];
  peer.stdout_path = dir + "/peer.out";
  peer.stderr_path = dir + "/peer.err";
  std::vector<ChildOutcome> ran =
      e2e::RunChildren({probe, peer}, std::chrono::seconds(5), {fds[0], fds[1]});
  if (ran[0].timed_out) return "hang";
  if (ran[0].signal != 0) return "crash (signal " + std::to_string(ran[0].signal) + ")";
  return ran[0].stdout_text;
}

// A call that runs the TLS state machine, made on a connection from one of its own callbacks
// while its handshake runs (core/io.h). Natively OpenSSL 3 hangs (SSL_read from the info or
// message callback), crashes (SSL_do_handshake from the message or verify callback), reports a
// write the failing handshake drops, or an internal error: measured here and printed. Through the
// shim, on both backends, the call fails at once with a reason and the handshake goes on.
TEST_F(Reliability, CallsFromCallbacksNeverHangOrCrash) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  for (const char* callback : {"info", "msg", "verify", "keylog"}) {
    for (const char* call : {"write", "read", "handshake", "shutdown"}) {
      const std::vector<std::string> args = {callback, "start", call};
      const std::string native = RunReentry(Mode::kNative, pki_->dir, args);
      std::printf("%s callback, %s: native: %s", callback, call,
                  native.back() == '\n' ? native.c_str() : (native + "\n").c_str());
      const std::string refusal = std::string(call) == "shutdown"
                                      ? "queue=error:0A000197:SSL routines::shutdown while in init"
                                      : "called a function you should not call";
      for (Mode mode : e2e::kShimRunModes) {
        SCOPED_TRACE(std::string(ModeName(mode)) + ": " + callback + " callback, " + call);
        const std::string shim = RunReentry(mode, pki_->dir, args);
        EXPECT_NE(shim.find("inner " + std::string(call) + " ret=-1 err=1 "), std::string::npos)
            << shim;
        EXPECT_NE(shim.find(refusal), std::string::npos) << shim;
        EXPECT_NE(shim.find("outer ret=1 err=0"), std::string::npos) << shim;
      }
    }
  }
  // From the handshake's last info callback (SSL_CB_HANDSHAKE_DONE) the calls go through, as
  // natively; the answers of both libraries there are their own (native SSL_read answers an
  // internal error), so only the end of the handshake is held to.
  for (const char* call : {"write", "read", "handshake"}) {
    const std::vector<std::string> args = {"info", "end", call};
    std::printf("info callback at the end, %s: native: %s", call,
                RunReentry(Mode::kNative, pki_->dir, args).c_str());
    for (Mode mode : e2e::kShimRunModes) {
      const std::string shim = RunReentry(mode, pki_->dir, args);
      std::printf("  %s: %s", ModeName(mode), shim.c_str());
      EXPECT_NE(shim.find("outer ret=1 err=0"), std::string::npos)
          << ModeName(mode) << ": " << shim;
    }
  }
}

// What connect_probe answers when the peer, instead of a ServerHello, sends `reply` and closes.
std::string ConnectAgainst(Mode mode, const std::string& dir, const std::string& reply) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return "socketpair failed";
  ChildSpec probe;
  probe.program = REL_CONNECT_PROBE;
  probe.args = {std::to_string(e2e::kChildSocketFd)};
  probe.env = ModeEnvironment(mode);
  probe.socket_fd = fds[0];
  probe.stdout_path = dir + "/connect.out";
  probe.stderr_path = dir + "/connect.err";
  // The peer is this process: it answers the ClientHello's first bytes, then closes.
  std::thread peer([&] {
    char hello[512];
    if (read(fds[1], hello, sizeof hello) > 0) {
      (void)!write(fds[1], reply.data(), reply.size());
    }
    shutdown(fds[1], SHUT_RDWR);
  });
  std::vector<ChildOutcome> ran = e2e::RunChildren({probe}, std::chrono::seconds(10), {fds[0]});
  peer.join();
  close(fds[1]);
  return ran[0].Succeeded() ? ran[0].stdout_text : ran[0].Describe();
}

// A malformed alert (three bytes) and an alert of an unknown level answer the client as natively
// (SSL_R_INVALID_ALERT: the shim once answered ERR_R_INTERNAL_ERROR); so does a record that is no
// TLS at all.
TEST_F(Reliability, MalformedRecordsFromThePeerHaveOpenSslsReason) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const std::string kMalformedAlert("\x15\x03\x03\x00\x03\x02\x28\x00", 8);
  const std::string kNotTls = "HTTP/1.1 400 Bad Request\r\n\r\n";
  for (const std::string& reply : {kMalformedAlert, kNotTls}) {
    const std::string native = ConnectAgainst(Mode::kNative, pki_->dir, reply);
    ASSERT_NE(native.find("ret=-1 err=1"), std::string::npos) << native;
    for (Mode mode : e2e::kShimRunModes) {
      EXPECT_EQ(ConnectAgainst(mode, pki_->dir, reply), native) << ModeName(mode);
    }
  }
}

// Chaos (tests/reliability/chaos_probe.c): threads x connections over the program's own BIO_METHOD
// that returns short transfers and retries and, by each connection's plan, fails for good or ends
// the stream early; both TLS versions. Nothing may be lost, duplicated, corrupted or written after
// a reported fatal error, and no connection may stop moving. The test command runs a fixed-seed
// slice; `./sslshim chaos` runs 10^6 operations per mode.
TEST_F(Reliability, ChaosLosesNothingAndSendsNothingAfterAFatalError) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const char* ops = std::getenv("SSLSHIM_CHAOS_OPS");
  const char* seed = std::getenv("SSLSHIM_CHAOS_SEED");
  const std::vector<std::string> args = {pki_->server_cert, pki_->server_key, "4",
                                         ops != nullptr ? ops : "40000",
                                         seed != nullptr ? seed : "20261204"};
  for (Mode mode :
       {Mode::kNative, Mode::kPreloadBoringSsl, Mode::kPreloadOpenSsl, Mode::kStandin}) {
    std::string detail;
    std::optional<testsupport::Json> report =
        RunProgram(mode, REL_CHAOS_PROBE, args, std::chrono::seconds(600), &detail);
    ASSERT_TRUE(report.has_value()) << detail;
    bool ok = true;
    std::printf(
        "chaos %s: %lld operations, %lld connections (%lld TLS 1.3, %lld TLS 1.2): "
        "%lld lost, %lld duplicated or corrupted, %lld sent after a fatal error, "
        "%lld stuck\n",
        ModeName(mode), static_cast<long long>(report->IntField("ops", &ok)),
        static_cast<long long>(report->IntField("connections", &ok)),
        static_cast<long long>(report->IntField("tls13", &ok)),
        static_cast<long long>(report->IntField("tls12", &ok)),
        static_cast<long long>(report->IntField("lost", &ok)),
        static_cast<long long>(report->IntField("duplicated_or_corrupted", &ok)),
        static_cast<long long>(report->IntField("sent_after_fatal", &ok)),
        static_cast<long long>(report->IntField("stuck", &ok)));
    ASSERT_TRUE(ok) << detail;
    for (const char* field : {"lost", "duplicated_or_corrupted", "sent_after_fatal", "stuck"}) {
      EXPECT_EQ(report->IntField(field, &ok), 0) << ModeName(mode) << ": " << field << "\n"
                                                 << detail;
    }
    EXPECT_GT(report->IntField("tls13", &ok), 0);
    EXPECT_GT(report->IntField("tls12", &ok), 0);
  }
}

// Commands OpenSSL does not know answer 0 and leave the error queue empty, as natively.
TEST_F(Reliability, UnknownCtrlCommandsLeaveNoError) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  auto run = [](Mode mode) { return RunAlone(mode, REL_UNKNOWN_CTRL_PROBE, {}, "ctrl"); };
  ChildOutcome native = run(Mode::kNative);
  ASSERT_TRUE(native.Succeeded()) << native.Describe();
  for (Mode mode : e2e::kShimRunModes) {
    ChildOutcome shim = run(mode);
    ASSERT_TRUE(shim.Succeeded()) << ModeName(mode) << ": " << shim.Describe();
    EXPECT_EQ(shim.stdout_text, native.stdout_text) << ModeName(mode);
  }
}

// SSL_get_state through full and resumed handshakes, with and without a client certificate
// requested, TLS 1.2 and 1.3, after every non-blocking step and in the info callback's handshake
// start and done, and SSL_in_before (0 once a handshake began, even while SSL_get_state still
// says TLS_ST_BEFORE; 1 again after SSL_clear): the shim answers line for line as native
// OpenSSL 3. (It once refused the call.) X25519 (NID 1034) is both libraries' first default group.
TEST_F(Reliability, HandshakeStatesAnswerAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  ExpectOutputAsNative(
      REL_HANDSHAKE_STATE_PROBE, {pki_->server_cert, pki_->server_key}, "state",
      {"state 36", "group: client 1034, server 1034",
       "server waiting: -1, error 2, state 0, in before 0", "after SSL_clear: 1, in before 1"});
}

// Read-ahead: with SSL_CTX_set_read_ahead on, a burst of eight small records costs the server one
// read of its transport, not a header and a body each (16); SSL_has_pending says records wait in
// the buffer; SSL_new takes the context's setting. TLS 1.2 and 1.3, through the program's own
// BIO_METHOD, line for line as native OpenSSL 3. (The shim once read two per record regardless,
// and SSL_get_read_ahead answered 0 on a connection of a read-ahead context.)
TEST_F(Reliability, ReadAheadReadsTheTransportAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  ExpectOutputAsNative(REL_READ_AHEAD_PROBE, {pki_->server_cert, pki_->server_key}, "read_ahead",
                       {"read 800 bytes with 1 reads"});
}

// A server key with the program's own RSA_METHOD (as an ENGINE's key): natively OpenSSL signs
// through it, and so does the BoringSSL backend, which leaves RSA private-key operations to the
// program's libcrypto — the TLS 1.3 and TLS 1.2 ECDHE lines as native, and the TLS 1.2 RSA key
// exchange decrypted through it too (natively that handshake fails: OpenSSL 3 asks the legacy
// method for a padding mode it lacks). The OpenSSL backend still hands libssl a copy of the key.
TEST_F(Reliability, RsaKeysSignThroughTheProgramsLibcrypto) {
  auto run = [](Mode mode) { return RunAlone(mode, REL_PROGRAM_KEY_PROBE, {}, "program_key"); };
  auto signature_lines = [](const std::string& text) {
    return text.substr(0, text.find("TLS 1.2, RSA key"));
  };
  ChildOutcome native = run(Mode::kNative);
  ASSERT_TRUE(native.Succeeded()) << native.Describe();
  ASSERT_NE(native.stdout_text.find("TLS 1.3: handshake done, private-key operations through the "
                                    "program's method: 1"),
            std::string::npos)
      << native.stdout_text;
  for (Mode mode : {Mode::kPreloadBoringSsl, Mode::kStandin}) {
    ChildOutcome shim = run(mode);
    ASSERT_TRUE(shim.Succeeded()) << ModeName(mode) << ": " << shim.Describe();
    EXPECT_EQ(signature_lines(shim.stdout_text), signature_lines(native.stdout_text))
        << ModeName(mode);
    EXPECT_NE(shim.stdout_text.find("TLS 1.2, RSA key exchange: handshake done, private-key "
                                    "operations through the program's method: 1"),
              std::string::npos)
        << ModeName(mode) << ": " << shim.stdout_text;
  }
}

// SSL_CTX_sess_get_new_cb / _remove_cb / _get_cb answer what was set, SSL_SESSION_print_fp
// prints a client's TLS 1.2 and 1.3 session as natively (its stable lines), 0 for NULL, and
// SSL_up_ref keeps a connection through one SSL_free.
TEST_F(Reliability, SessionCallbackGettersAndPrintFpAnswerAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  ExpectOutputAsNative(REL_SESSION_CALLBACKS_PROBE, {pki_->server_cert, pki_->server_key},
                       "session_callbacks", {"| Master-Key present: 1"});
}

// SSL_write(ssl, buf, 0) before the handshake runs it, as OpenSSL 3 does: -1 and WANT_READ while
// a non-blocking BIO pair waits for the peer, the handshake completed inside the call on a
// blocking socket, then 0 and SSL_ERROR_SYSCALL; both roles and versions, line for line. (The
// shim once answered 0 at once and sent nothing, and openssl s_client, which starts its handshake
// with such a write, never connected.)
TEST_F(Reliability, EmptyWriteBeforeTheHandshakeRunsIt) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  ExpectOutputAsNative(REL_EMPTY_WRITE_PROBE, {pki_->server_cert, pki_->server_key}, "empty_write",
                       {"SSL_write(0): -1, SSL_get_error 2"});
}

// A peer (always the system's OpenSSL) sends 32 or 33 TLS 1.3 KeyUpdates in a row, then data.
// OpenSSL 3 takes any number; BoringSSL ends the connection at the 33rd KeyUpdate without
// application data between them (SSL_R_TOO_MANY_KEY_UPDATES, an unexpected_message alert to the
// peer), a flood limit kept on the BoringSSL backend as a documented difference (docs/contract.md).
// The OpenSSL backend answers as native; both roles, blocking and non-blocking sockets.
TEST_F(Reliability, KeyUpdateFloodStopsAtBoringSslsLimitOnly) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const std::vector<std::string> args = {pki_->server_cert, pki_->server_key};
  auto lines_of = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
  };
  ChildOutcome native = RunAlone(Mode::kNative, REL_KEY_UPDATE_FLOOD_PROBE, args, "key_update");
  ASSERT_TRUE(native.Succeeded()) << native.Describe();
  const std::vector<std::string> native_lines = lines_of(native.stdout_text);
  // Per case, the peer's line, then this side's: 2 counts x 2 roles x 2 socket kinds.
  ASSERT_EQ(native_lines.size(), 16u) << native.stdout_text;
  for (size_t i = 1; i < native_lines.size(); i += 2) {
    EXPECT_NE(native_lines[i].find("SSL_read 5 (hello)"), std::string::npos) << native_lines[i];
  }
  for (Mode mode : e2e::kShimRunModes) {
    ChildOutcome shim = RunAlone(mode, REL_KEY_UPDATE_FLOOD_PROBE, args, "key_update");
    ASSERT_TRUE(shim.Succeeded()) << ModeName(mode) << ": " << shim.Describe();
    EXPECT_EQ(shim.stderr_text, "") << ModeName(mode);
    if (mode == Mode::kPreloadOpenSsl) {
      EXPECT_EQ(shim.stdout_text, native.stdout_text) << ModeName(mode);
      continue;
    }
    const std::vector<std::string> shim_lines = lines_of(shim.stdout_text);
    ASSERT_EQ(shim_lines.size(), 16u) << ModeName(mode) << ":\n" << shim.stdout_text;
    for (size_t i = 0; i < 8; i++) {  // 32 KeyUpdates: as native
      EXPECT_EQ(shim_lines[i], native_lines[i]) << ModeName(mode);
    }
    for (size_t i = 8; i < 16; i += 2) {  // 33: refused, the peer told why
      EXPECT_NE(shim_lines[i].find("33 KeyUpdates sent"), std::string::npos) << shim_lines[i];
      EXPECT_NE(shim_lines[i].find("queue sslv3 alert unexpected message"), std::string::npos)
          << ModeName(mode) << ": " << shim_lines[i];
      EXPECT_NE(shim_lines[i + 1].find("SSL_read -1 (), SSL_get_error 1, queue too many key "
                                       "updates"),
                std::string::npos)
          << ModeName(mode) << ": " << shim_lines[i + 1];
    }
  }
}

// A currently free loopback port (openssl s_server sets SO_REUSEADDR).
int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) close(fd);
  return port;
}

// `probe PORT VERSION` in `mode` against a native openssl s_server -www serving `connections`
// connections on a free port (never preloaded); the probe's stdout, or "" with a test failure.
std::string RunAgainstSServer(const e2e::TestPki& pki, Mode mode, const std::string& probe,
                              const char* version, int connections) {
  const int port = FreeLoopbackPort();
  EXPECT_GT(port, 0);
  ChildSpec server;
  server.program = REL_OPENSSL_CLI;
  server.args = {"s_server",
                 "-accept",
                 "127.0.0.1:" + std::to_string(port),
                 "-cert",
                 pki.server_cert,
                 "-key",
                 pki.server_key,
                 "-www",
                 "-naccept",
                 std::to_string(connections)};
  server.env = CleanEnvironment();
  server.stdout_path = pki.dir + "/s_server.out";
  server.stderr_path = pki.dir + "/s_server.err";
  ChildSpec client;
  client.program = probe;
  client.args = {std::to_string(port), version};
  client.env = ModeEnvironment(mode);
  client.stdout_path = pki.dir + "/probe.out";
  client.stderr_path = pki.dir + "/probe.err";
  std::vector<ChildOutcome> ran = e2e::RunChildren({server, client}, std::chrono::seconds(30));
  EXPECT_TRUE(ran[1].Succeeded()) << ModeName(mode) << ": " << ran[1].Describe();
  EXPECT_TRUE(ran[0].Succeeded()) << "s_server: " << ran[0].Describe();
  return ran[1].Succeeded() ? ran[1].stdout_text : "";
}

// SSL_read on a blocking socket with AUTO_RETRY off, as openssl s_client reads: each record of
// TLS 1.3 tickets answers -1 / WANT_READ, line for line as native OpenSSL 3 (the shim once read on
// past them and blocked, and s_client never sent its request).
TEST_F(Reliability, AutoRetryOffReturnsAfterEachTicket) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  for (const char* version : {"1.2", "1.3"}) {
    SCOPED_TRACE(std::string("TLS ") + version);
    const std::string native =
        RunAgainstSServer(*pki_, Mode::kNative, REL_AUTO_RETRY_PROBE, version, 2);
    if (std::string(version) == "1.3") {
      ASSERT_NE(native.find("read: -1, SSL_get_error 2"), std::string::npos) << native;
    }
    for (Mode mode : e2e::kShimRunModes) {
      EXPECT_EQ(RunAgainstSServer(*pki_, mode, REL_AUTO_RETRY_PROBE, version, 2), native)
          << ModeName(mode);
    }
  }
}

// SSL_clear between two connections of one SSL (a client that reuses its object): both
// connections work and the second resumes the first's session, as natively, on TLS 1.2 and 1.3.
// The server is native openssl s_server -www, never preloaded. (The shim once refused SSL_clear.)
TEST_F(Reliability, SslClearReusesTheObjectAndResumes) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  for (const char* version : {"1.2", "1.3"}) {
    SCOPED_TRACE(std::string("TLS ") + version);
    const std::string native = RunAgainstSServer(*pki_, Mode::kNative, REL_CLEAR_PROBE, version, 2);
    EXPECT_NE(native.find("\"clear\":1"), std::string::npos) << native;
    EXPECT_NE(native.find("\"reused\":1"), std::string::npos) << native;
    for (Mode mode : e2e::kShimRunModes) {
      EXPECT_EQ(RunAgainstSServer(*pki_, mode, REL_CLEAR_PROBE, version, 2), native)
          << ModeName(mode);
    }
  }
}

// SSL_SESSION_set_timeout and set_time (OpenSSL's answers for negative, zero, 64-bit and null
// arguments; a client offers a session they make expired, a server's cache holds its own to
// them), SSL_copy_session_id on a client (resumes) and on a server (the certificate and session
// ID context come along), and SSL_CTX_flush_sessions telling the remove-session callback of
// exactly the expired sessions, line for line as OpenSSL 3.
TEST_F(Reliability, SessionTimeoutsCopiesAndFlushesAnswerAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  ExpectOutputAsNative(
      REL_SESSION_PROBE, {pki_->server_cert, pki_->server_key}, "session",
      {"set_timeout(5000000000): 1, get_timeout 5000000000",
       "client's session set 1000 s old with a 10 s timeout: resume: handshake 1, "
       "reused 1",
       "server's session set 1000 s old with a 10 s timeout: resume: handshake 1, "
       "reused 0",
       "flush(now): removed A=0 B=1 C=0, unknown 0", "flush(0): removed A=0 B=0 C=1, unknown 1",
       "client copy: handshake 1, reused 1",
       "resume where it is \"model\": handshake 1, reused 1"});
}

// SSL_use_certificate_chain_file on one server connection: it sends the file's chain while
// another connection from the same context sends the context's leaf alone; a missing file and a
// file without a certificate fail with OpenSSL's errors and leave the context's certificate.
TEST_F(Reliability, ConnectionChainFileAnswersAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const std::string chain = pki_->dir + "/chain.pem";
  {
    std::ofstream out(chain, std::ios::binary);
    out << std::ifstream(pki_->server_cert, std::ios::binary).rdbuf();
    out << std::ifstream(pki_->ca_cert, std::ios::binary).rdbuf();
    ASSERT_TRUE(out.good());
  }
  ExpectOutputAsNative(REL_CONN_CHAIN_PROBE,
                       {pki_->server_cert, pki_->server_key, chain, pki_->ca_cert}, "conn_chain",
                       {"with the chain file: handshake 1, verify 0, chain 2",
                        "another connection, the context's: handshake 1, verify 0, chain 1",
                        "missing file: 0, error lib 2 reason 2",
                        "key file as the chain: 0, error lib 9 reason 108"});
}

// SSL_get1_supported_ciphers under version bounds, SSL_OP_NO_TLSv1_3 and a cipher list with a PSK
// suite, client and server: what SSL_get_ciphers lists, in its order, less what no allowed
// version can use and the PSK suites, as OpenSSL 3.
TEST_F(Reliability, SupportedCiphersAnswerAsOpenSsl) {
  ExpectOutputAsNative(
      REL_SUPPORTED_CIPHERS_PROBE, {}, "supported_ciphers",
      {"at most TLS 1.1: TLS 1.3 suites 0, TLS 1.2 suites 0, older suites 1, PSK 0",
       "a list with a PSK suite: ECDHE-RSA-AES128-GCM-SHA256 AES128-SHA, TLS 1.3 suites 3; in "
       "SSL_get_ciphers' order 1",
       "the list, at most TLS 1.1: AES128-SHA, TLS 1.3 suites 0;"});
}

// SSL_get_shared_ciphers: NULL before the handshake and on the client; on the server the
// client's suites it also has, in the client's order, cut before the first name the buffer cannot
// hold (NULL when not even the first fits), TLS 1.2 and 1.3, as OpenSSL 3.
TEST_F(Reliability, SharedCiphersAnswerAsOpenSsl) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  ExpectOutputAsNative(
      REL_SHARED_CIPHERS_PROBE, {pki_->server_cert, pki_->server_key}, "shared_ciphers",
      {"server, size 512: buf\"ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA:ECDHE-ECDSA-CHACHA20-"
       "POLY1305\", TLS 1.3 names 0",
       "server, size 30: buf\"ECDHE-ECDSA-AES128-GCM-SHA256\"", "server, size 29: NULL",
       "client, size 512: NULL", "server, size 512: buf\"\", TLS 1.3 names 3"});
}

// PSK with OpenSSL's callbacks, per context and per connection, with the identity hint, a wrong
// key and an unknown identity: with TLS 1.2 only, line for line as OpenSSL 3 in every mode. With
// TLS 1.3 allowed OpenSSL 3 uses the callbacks for a TLS 1.3 external PSK: the OpenSSL backend
// does the same; BoringSSL has none, so its connections refuse to handshake before sending
// anything (no callback runs) rather than go on without the key.
TEST_F(Reliability, PskCallbacksAnswerAsOpenSslOrRefuseTls13) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const std::vector<std::string> args = {pki_->server_cert, pki_->server_key};
  ChildOutcome native = RunAlone(Mode::kNative, REL_PSK_PROBE, args, "psk");
  ASSERT_TRUE(native.Succeeded()) << native.Describe();
  const std::string& text = native.stdout_text;
  const size_t tls13 = text.find("TLS 1.3 allowed\n");
  ASSERT_NE(tls13, std::string::npos) << text;
  ASSERT_NE(text.find("server: identity alice, hint (none); client: identity alice, hint context "
                      "hint"),
            std::string::npos)
      << text;
  ASSERT_NE(text.find("handshake 1, TLSv1.3", tls13), std::string::npos) << text;
  for (Mode mode : e2e::kShimRunModes) {
    ChildOutcome shim = RunAlone(mode, REL_PSK_PROBE, args, "psk");
    ASSERT_TRUE(shim.Succeeded()) << ModeName(mode) << ": " << shim.Describe();
    EXPECT_EQ(shim.stderr_text, "") << ModeName(mode);
    if (mode == Mode::kPreloadOpenSsl) {
      EXPECT_EQ(shim.stdout_text, text) << ModeName(mode);
      continue;
    }
    const std::string& out = shim.stdout_text;
    EXPECT_EQ(out.substr(0, tls13 + 1), text.substr(0, tls13 + 1)) << ModeName(mode);
    const std::string refused = out.substr(std::min(tls13, out.size()));
    EXPECT_EQ(refused.find("handshake 1"), std::string::npos) << ModeName(mode) << ": " << out;
    EXPECT_EQ(refused.find("callback:"), std::string::npos) << ModeName(mode) << ": " << out;
    EXPECT_NE(refused.find("handshake 0, -"), std::string::npos) << ModeName(mode) << ": " << out;
  }
}

}  // namespace
}  // namespace sslshim::reliability
