// What a handshake negotiated, seen by a program through the shim and by its native OpenSSL peer
// at once: exported keying material (TLS 1.2 and 1.3, with and without a context), the hello
// randoms and TLS 1.2's master secret must be the same bytes on both ends; NPN must settle on
// the protocol native OpenSSL settles on; a connection's own ALPN list must be the one the peer
// receives; session ID contexts must decide resumption as natively. negotiated_probe.c is an
// ordinary OpenSSL program, run under test in every mode and as the native peer (never
// preloaded); each API answer it prints must equal the native run's.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "load_mode.h"
#include "process_runner.h"
#include "test_pki.h"

namespace sslshim::negotiated {
namespace {

using e2e::ChildOutcome;
using e2e::ChildSpec;
using Mode = e2e::RunMode;

using Lines = std::map<std::string, std::string>;  // "fact.npn" -> "spdy/3"

Lines ParseLines(const std::string& text) {
  Lines lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) lines[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return lines;
}

// The lines whose key starts with `prefix` ("fact.", "answer.", "info.").
Lines WithPrefix(const Lines& lines, const std::string& prefix) {
  Lines out;
  for (const auto& [key, value] : lines) {
    if (key.compare(0, prefix.size(), prefix) == 0) out[key] = value;
  }
  return out;
}

std::string Hex(const std::string& bytes) {
  std::string out;
  char two[3];
  for (unsigned char c : bytes) {
    std::snprintf(two, sizeof two, "%02x", c);
    out += two;
  }
  return out;
}

struct PairRun {
  Lines tested;  // the side under test
  Lines peer;    // the native peer
  std::string detail;
  bool ok = false;
};

class Negotiated : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = e2e::MakeTestPki(NEG_OPENSSL_CLI, &pki_error_); }
  static void TearDownTestSuite() {
    if (pki_) e2e::RemovePki(*pki_);
  }

  // One connection (or, for "sid", three): the probe as `tested_role` in `mode`, against a
  // native probe in the other role.
  static PairRun Run(Mode mode, const std::string& tested_role, const std::string& scenario,
                     const std::string& version, const std::string& session_file = "") {
    PairRun run;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      run.detail = "socketpair failed";
      return run;
    }
    const std::string peer_role = tested_role == "server" ? "client" : "server";
    auto spec = [&](const std::string& role, bool peer, int fd) {
      ChildSpec child;
      child.program = NEG_PROBE;
      child.args = {role, std::to_string(e2e::kChildSocketFd), scenario, version};
      if (peer) child.args.push_back("--peer");
      if (!session_file.empty()) child.args.insert(child.args.end(), {"--session", session_file});
      if (role == "server") {
        child.args.insert(child.args.end(),
                          {"--cert", pki_->server_cert, "--key", pki_->server_key});
      }
      child.env = peer ? e2e::CleanEnvironment()
                       : e2e::RunModeEnvironment(mode, NEG_SHIM_LIB, NEG_STANDIN_LIB);
      child.socket_fd = fd;
      child.stdout_path = pki_->dir + "/" + role + ".out";
      child.stderr_path = pki_->dir + "/" + role + ".err";
      return child;
    };
    std::vector<ChildOutcome> ran =
        e2e::RunChildren({spec(tested_role, false, fds[0]), spec(peer_role, true, fds[1])},
                         std::chrono::seconds(30), {fds[0], fds[1]});
    run.detail = std::string(e2e::RunModeName(mode)) + " " + tested_role + ", " + scenario +
                 ", TLS " + version + "\n  tested: " + ran[0].Describe() + "\n" +
                 ran[0].stdout_text + "  peer: " + ran[1].Describe() + "\n" + ran[1].stdout_text;
    run.ok = ran[0].Succeeded() && ran[1].Succeeded();
    run.tested = ParseLines(ran[0].stdout_text);
    run.peer = ParseLines(ran[1].stdout_text);
    return run;
  }

  // Runs the scenario natively and in every shim mode, both roles, and checks that both ends
  // state the same facts and that every answer (of the program and of its peer) is the native
  // run's. `check_native` holds the native runs to what OpenSSL is known to do, so a scenario
  // that stops exercising its function fails.
  static void Compare(const std::string& scenario, const std::string& version,
                      void (*check_native)(const std::string& role, const PairRun& run)) {
    ASSERT_TRUE(pki_.has_value()) << pki_error_;
    for (const std::string role : {"client", "server"}) {
      const PairRun native = Run(Mode::kNative, role, scenario, version);
      ASSERT_TRUE(native.ok) << native.detail;
      ASSERT_FALSE(WithPrefix(native.tested, "answer.").empty()) << native.detail;
      ExpectSameFacts(native);
      check_native(role, native);
      for (Mode mode : e2e::kShimRunModes) {
        const PairRun shim = Run(mode, role, scenario, version);
        ExpectSameAnswers(native, shim, mode, role, version);
      }
    }
  }

  // As Compare, for a scenario whose client keeps its session in a file and a second scenario,
  // run next in new processes, that resumes it: the two runs of each mode against the native two.
  static void CompareAcrossProcesses(
      const std::string& scenario, const std::string& next, const std::string& version,
      void (*check_native)(const std::string& role, const PairRun& first, const PairRun& second)) {
    ASSERT_TRUE(pki_.has_value()) << pki_error_;
    for (const std::string role : {"client", "server"}) {
      const std::string native_file = pki_->dir + "/session-native.der";
      const PairRun native = Run(Mode::kNative, role, scenario, version, native_file);
      ASSERT_TRUE(native.ok) << native.detail;
      const PairRun native_next = Run(Mode::kNative, role, next, version, native_file);
      ASSERT_TRUE(native_next.ok) << native_next.detail;
      ExpectSameFacts(native);
      ExpectSameFacts(native_next);
      check_native(role, native, native_next);
      for (Mode mode : e2e::kShimRunModes) {
        const std::string file = pki_->dir + "/session-" + e2e::RunModeName(mode) + ".der";
        const PairRun shim = Run(mode, role, scenario, version, file);
        ExpectSameAnswers(native, shim, mode, role, version);
        const PairRun shim_next = Run(mode, role, next, version, file);
        ExpectSameAnswers(native_next, shim_next, mode, role, version);
      }
    }
  }

  // One shim run against the native run of the same scenario.
  static void ExpectSameAnswers(const PairRun& native, const PairRun& shim, Mode mode,
                                const std::string& role, const std::string& version) {
    ASSERT_TRUE(shim.ok) << shim.detail;
    ExpectSameFacts(shim);
    EXPECT_EQ(WithPrefix(shim.tested, "answer."), WithPrefix(native.tested, "answer."))
        << "the program's answers differ from native OpenSSL's\n"
        << shim.detail;
    EXPECT_EQ(WithPrefix(shim.peer, "answer."), WithPrefix(native.peer, "answer."))
        << "the peer saw another connection than with a native program\n"
        << shim.detail;
    for (const auto& [key, value] : WithPrefix(shim.tested, "info.")) {
      std::printf("%s %s, TLS %s: %s=%s (native: %s)\n", e2e::RunModeName(mode), role.c_str(),
                  version.c_str(), key.c_str(), value.c_str(),
                  native.tested.count(key) != 0 ? native.tested.at(key).c_str() : "-");
    }
  }

  // Both ends printed the same facts, and some.
  static void ExpectSameFacts(const PairRun& run) {
    const Lines tested = WithPrefix(run.tested, "fact.");
    EXPECT_FALSE(tested.empty()) << run.detail;
    EXPECT_EQ(tested, WithPrefix(run.peer, "fact.")) << "the two ends disagree\n" << run.detail;
  }

  static std::optional<e2e::TestPki> pki_;
  static std::string pki_error_;
};
std::optional<e2e::TestPki> Negotiated::pki_;
std::string Negotiated::pki_error_;

std::string At(const Lines& lines, const std::string& key) {
  auto it = lines.find(key);
  return it == lines.end() ? "(missing " + key + ")" : it->second;
}

// Each line of `expected` has its value in `lines`.
void ExpectLines(const Lines& lines,
                 const std::vector<std::pair<std::string, std::string>>& expected,
                 const std::string& detail) {
  for (const auto& [key, value] : expected)
    EXPECT_EQ(At(lines, key), value) << key << "\n" << detail;
}

void CheckSecrets(const std::string& version, const PairRun& run) {
  const std::string zeros(64, '0');
  EXPECT_EQ(At(run.tested, "answer.export_before_handshake"), "ret -1 queue empty") << run.detail;
  EXPECT_EQ(At(run.tested, "answer.export_context"), "ret 1 queue empty") << run.detail;
  EXPECT_NE(At(run.tested, "fact.client_random"), zeros) << run.detail;
  EXPECT_NE(At(run.tested, "fact.server_random"), zeros) << run.detail;
  EXPECT_EQ(At(run.tested, "answer.client_random_size"), "32") << run.detail;
  EXPECT_EQ(At(run.tested, "answer.client_random_into_5"), "5") << run.detail;
  EXPECT_EQ(At(run.tested, "answer.context_changes_output"), "1") << run.detail;
  if (version == "1.2") {
    EXPECT_EQ(At(run.tested, "answer.master_key_size"), "48") << run.detail;
    EXPECT_EQ(At(run.tested, "fact.master_key").size(), 96u) << run.detail;
    EXPECT_EQ(At(run.tested, "answer.no_context_equals_empty_context"), "0") << run.detail;
    EXPECT_NE(At(run.tested, "answer.export_master_secret_label").find("illegal exporter label"),
              std::string::npos)
        << run.detail;
  } else {
    EXPECT_EQ(At(run.tested, "answer.no_context_equals_empty_context"), "1") << run.detail;
    EXPECT_EQ(At(run.tested, "answer.export_master_secret_label"), "ret 1 queue empty")
        << run.detail;
  }
}

TEST_F(Negotiated, KeyingMaterialRandomsAndMasterKeyTls12) {
  Compare("secrets", "1.2",
          [](const std::string&, const PairRun& run) { CheckSecrets("1.2", run); });
}

TEST_F(Negotiated, KeyingMaterialAndRandomsTls13) {
  Compare("secrets", "1.3",
          [](const std::string&, const PairRun& run) { CheckSecrets("1.3", run); });
}

TEST_F(Negotiated, NextProtocolNegotiationTls12) {
  Compare("npn", "1.2", [](const std::string& role, const PairRun& run) {
    // The server's preference among the protocols both have (SSL_select_next_proto).
    EXPECT_EQ(At(run.tested, "answer.npn"), "spdy/3") << run.detail;
    EXPECT_EQ(At(run.tested, "answer.callback_objects_ok"), "1") << run.detail;
    EXPECT_EQ(
        At(run.tested, role == "client" ? "answer.npn_select_calls" : "answer.npn_advertise_calls"),
        "1")
        << run.detail;
  });
}

TEST_F(Negotiated, NoNextProtocolNegotiationInTls13) {
  Compare("npn", "1.3", [](const std::string&, const PairRun& run) {
    EXPECT_EQ(At(run.tested, "answer.npn"), "(null) len=0") << run.detail;
  });
}

TEST_F(Negotiated, ConnectionAlpnListIsWhatThePeerReceives) {
  for (const std::string version : {"1.2", "1.3"}) {
    Compare("alpn", version, [](const std::string& role, const PairRun& run) {
      const Lines& server = role == "server" ? run.tested : run.peer;
      EXPECT_EQ(At(server, "answer.alpn_offered"), Hex(std::string("\x06"
                                                                   "acme-1\x08http/1.1")))
          << run.detail;
      EXPECT_EQ(At(run.tested, "answer.alpn_selected"), "acme-1") << run.detail;
      EXPECT_EQ(At(run.tested, "answer.callback_objects_ok"), "1") << run.detail;
    });
  }
}

TEST_F(Negotiated, SessionIdContextDecidesResumption) {
  for (const std::string version : {"1.2", "1.3"}) {
    Compare("sid", version, [](const std::string&, const PairRun& run) {
      EXPECT_EQ(At(run.tested, "answer.reused_0"), "0") << run.detail;
      EXPECT_EQ(At(run.tested, "answer.reused_1"), "1") << run.detail;
      EXPECT_EQ(At(run.tested, "answer.reused_2"), "0") << run.detail;
      EXPECT_EQ(At(run.tested, "answer.reused_3"), "1") << run.detail;
    });
  }
}

// OCSP stapling, both sides (the native answers are OpenSSL 3's, measured with this scenario):
// a server's callback runs only when the client asked and staples only with
// SSL_TLSEXT_ERR_OK; a client's runs whenever it asked, also with nothing stapled, and its 0
// fails the handshake with bad_certificate_status_response.
void CheckStapling(const std::string& role, const PairRun& run) {
  const Lines& client = role == "client" ? run.tested : run.peer;
  const Lines& server = role == "client" ? run.peer : run.tested;
  ExpectLines(run.tested,
              {{"fact.staple_0", "30030a0106"},
               {"fact.staple_1", "none"},
               {"fact.staple_2", "none"},
               {"answer.callback_objects", "1"}},
              run.detail);
  ExpectLines(server, {{"answer.status_calls_1", "0"}, {"answer.status_calls_2", "1"}}, run.detail);
  ExpectLines(client,
              {{"answer.status_calls_0", "1"},
               {"answer.status_calls_1", "0"},
               {"answer.len_in_callback_0", "5"},
               {"answer.len_in_callback_2", "-1"},
               {"answer.get_type_1", "-1"},
               {"answer.handshake_3", "ret -1 err 1 reason invalid status response"}},
              run.detail);
}

TEST_F(Negotiated, OcspStaplingTls12) { Compare("ocsp", "1.2", CheckStapling); }

TEST_F(Negotiated, OcspStaplingTls13) { Compare("ocsp", "1.3", CheckStapling); }

TEST_F(Negotiated, OcspServerCallbackFailureFailsTheHandshake) {
  for (const std::string version : {"1.2", "1.3"}) {
    Compare("ocsp_fatal", version, [](const std::string& role, const PairRun& run) {
      const Lines& client = role == "client" ? run.tested : run.peer;
      const Lines& server = role == "client" ? run.peer : run.tested;
      EXPECT_EQ(At(server, "answer.handshake_4"), "ret -1 err 1 reason clienthello tlsext")
          << run.detail;
      EXPECT_EQ(At(client, "answer.handshake_4"), "ret -1 err 1 reason tlsv1 alert internal error")
          << run.detail;
    });
  }
}

// Session tickets through the program's key callback: resumed (1), a full handshake when the
// callback does not know the key (0), resumed when it renews (2); then a new server process with
// the same key resumes the first session (as nginx's ssl_session_ticket_key across restarts).
void CheckTickets(const std::string& role, const PairRun& first, const PairRun& second) {
  const Lines& server = role == "client" ? first.peer : first.tested;
  ExpectLines(first.tested,
              {{"answer.reused_0", "0"},
               {"answer.reused_1", "1"},
               {"answer.reused_2", "0"},
               {"answer.reused_3", "1"}},
              first.detail);
  ExpectLines(server,
              {{"answer.encrypted_0", "1"},
               {"answer.decrypt_1", "1"},
               {"answer.decrypt_2", "0"},
               {"answer.decrypt_3", "2"},
               {"answer.callback_objects", "1"}},
              first.detail);
  ExpectLines(second.tested, {{"answer.reused_1", "1"}}, second.detail);
}

TEST_F(Negotiated, TicketKeyCallbackEvp) {
  for (const std::string version : {"1.2", "1.3"}) {
    CompareAcrossProcesses("tickets", "tickets_resume", version, CheckTickets);
  }
}

// SSL_CTX_set_tlsext_ticket_keys: OpenSSL's lengths and reason, the keys read back, resumption
// with them, and a new process whose callback knows the same keys opens their tickets.
TEST_F(Negotiated, TicketKeysSetOnTheContext) {
  for (const std::string version : {"1.2", "1.3"}) {
    CompareAcrossProcesses(
        "ticket_keys", "tickets_resume", version,
        [](const std::string& role, const PairRun& first, const PairRun& second) {
          const Lines& server = role == "client" ? first.peer : first.tested;
          ExpectLines(first.tested, {{"answer.reused_0", "0"}, {"answer.reused_1", "1"}},
                      first.detail);
          ExpectLines(server,
                      {{"answer.keys_length", "80"},
                       {"answer.get_keys", "ret 1 queue empty"},
                       {"answer.set_keys", "ret 1 queue empty"},
                       {"answer.get_keys_again", "ret 1 queue empty"},
                       {"answer.read_back_equal", "1"}},
                      first.detail);
          EXPECT_NE(At(server, "answer.set_keys_short").find("invalid ticket keys length"),
                    std::string::npos)
              << first.detail;
          ExpectLines(second.tested, {{"answer.reused_1", "1"}}, second.detail);
        });
  }
}

TEST_F(Negotiated, TicketKeyCallbackHmac) {
  for (const std::string version : {"1.2", "1.3"}) {
    CompareAcrossProcesses("tickets_hmac", "tickets_resume", version, CheckTickets);
  }
}

}  // namespace
}  // namespace sslshim::negotiated
