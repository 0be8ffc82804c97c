// The table behind SSL_get_state on the BoringSSL backend against BoringSSL's own source: every
// handshake step the snapshot names is mapped (a step a new snapshot adds must be placed, not fall
// to a default), and every mapped name is one the snapshot has (no stale rows).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "boringssl/handshake_state.h"

namespace sslshim::boringssl {
namespace {

std::set<std::string> StatesInSource() {
  std::set<std::string> states;
  const std::regex state_string(R"re(return "(TLS (?:1\.3 )?(?:client|server) [a-z_]+)";)re");
  for (const char* file :
       {"handshake_client.cc", "handshake_server.cc", "tls13_client.cc", "tls13_server.cc"}) {
    std::ifstream in(std::string(SSLSHIM_BORINGSSL_SOURCE_DIR) + "/src/ssl/" + file);
    EXPECT_TRUE(in.good()) << file;
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    for (std::sregex_iterator it(source.begin(), source.end(), state_string), end; it != end;
         ++it) {
      const std::string name = (*it)[1];
      if (name.size() < 8 || name.compare(name.size() - 8, 8, " unknown") != 0) {
        states.insert(name);
      }
    }
  }
  return states;
}

TEST(BoringSslHandshakeState, EveryStepOfTheSnapshotIsMapped) {
  const std::set<std::string> source = StatesInSource();
  ASSERT_GT(source.size(), 50u) << "the state strings were not found in BoringSSL's source";
  for (const std::string& name : source) {
    EXPECT_TRUE(OpenSslHandshakeState(name, false).has_value()) << name << " is not mapped";
  }
  for (std::string_view name : KnownBoringSslStates()) {
    EXPECT_EQ(source.count(std::string(name)), 1u) << name << " is not in the snapshot";
  }
}

TEST(BoringSslHandshakeState, MeasuredPoints) {
  // What OpenSSL 3 answers at the same points (tests/reliability/handshake_state_probe.c).
  EXPECT_EQ(OpenSslHandshakeState("TLS client read_server_hello", false),
            HandshakeState::kCwClntHello);
  EXPECT_EQ(OpenSslHandshakeState("TLS server read_client_certificate", false),
            HandshakeState::kSwSrvrDone);
  EXPECT_EQ(OpenSslHandshakeState("TLS server read_change_cipher_spec", true),
            HandshakeState::kSwFinished);
  EXPECT_EQ(OpenSslHandshakeState("TLS 1.3 server read_second_client_flight", false),
            HandshakeState::kEarlyData);
  EXPECT_EQ(OpenSslHandshakeState("SSL negotiation finished successfully", false), std::nullopt);
}

}  // namespace
}  // namespace sslshim::boringssl
