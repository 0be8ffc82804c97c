// Security settings fail closed (docs/contract.md, "Security settings fail closed").
//
// setting_probe, an ordinary OpenSSL program, applies one security setting the way programs do
// (without checking the setter's answer) and handshakes with forbidden_peer, a plain OpenSSL peer
// that is never preloaded and speaks only what the setting forbids. Natively, OpenSSL 3 refuses
// each of these handshakes: that is checked first, so a case that no longer restricts anything
// fails instead of passing. Then the same run, preloaded on each backend and through the
// stand-in, must refuse too. Each peer profile also runs without the setting (the control), which
// must succeed in every mode, and there the ClientHello the peer read shows which TLS stack built
// it.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "load_mode.h"
#include "process_runner.h"
#include "test_pki.h"
#include "testsupport/json.h"

namespace sslshim::fail_closed {
namespace {

using e2e::ChildOutcome;
using e2e::ChildSpec;
using e2e::CleanEnvironment;
using e2e::RunChildren;

constexpr auto kRunTimeout = std::chrono::seconds(10);

using Mode = e2e::RunMode;
const char* ModeName(Mode m) { return e2e::RunModeName(m); }

// The test PKI: e2e's CA and P-256 server certificate, plus what the cases need besides.
struct Pki {
  e2e::TestPki base;
  std::string other_ca;      // a CA that signed nothing the peer has
  std::string rsa2048_cert;  // leaf (localhost) with an RSA-2048 key, signed by the CA
  std::string rsa2048_key;
  std::string rsa1024_cert;  // the same with RSA-1024: below Debian's security level 2
  std::string rsa1024_key;
  std::string chained_cert;  // leaf + intermediate CA, the intermediate signed by the CA
  std::string chained_key;
};

bool RunOpenssl(const std::string& dir, std::vector<std::string> args, std::string* error) {
  return e2e::RunOpenssl(FC_OPENSSL_CLI, dir, std::move(args), error);
}

// A certificate for localhost signed by ca/ca_key, with a new key made as `newkey` says
// ({"rsa:2048"}); `ext` makes it a leaf or a CA.
bool MakeLeaf(const std::string& dir, const std::string& name,
              const std::vector<std::string>& newkey, const std::string& ca,
              const std::string& ca_key, const std::string& ext, std::string* error) {
  const std::string base = dir + "/" + name;
  std::vector<std::string> req = {"req", "-newkey"};
  req.insert(req.end(), newkey.begin(), newkey.end());
  req.insert(req.end(),
             {"-nodes", "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=localhost"});
  return RunOpenssl(dir, req, error) &&
         RunOpenssl(dir,
                    {"x509", "-req", "-in", base + ".csr", "-CA", ca, "-CAkey", ca_key,
                     "-CAcreateserial", "-out", base + ".pem", "-days", "2", "-extfile", ext},
                    error);
}

const std::vector<std::string> kP256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};

std::optional<Pki> MakePki(std::string* error) {
  std::optional<e2e::TestPki> base = e2e::MakeTestPki(FC_OPENSSL_CLI, error);
  if (!base) return std::nullopt;
  Pki pki;
  pki.base = *base;
  const std::string& dir = pki.base.dir;
  const std::string ca_key = dir + "/ca.key";
  const std::string leaf_ext = dir + "/leaf.ext";
  const std::string ca_ext = dir + "/ca.ext";
  std::ofstream(leaf_ext) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                             "basicConstraints=critical,CA:FALSE\n"
                             "extendedKeyUsage=serverAuth\n";
  std::ofstream(ca_ext) << "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n";
  pki.other_ca = dir + "/other_ca.pem";
  pki.rsa2048_cert = dir + "/rsa2048.pem";
  pki.rsa2048_key = dir + "/rsa2048.key";
  pki.rsa1024_cert = dir + "/rsa1024.pem";
  pki.rsa1024_key = dir + "/rsa1024.key";
  pki.chained_cert = dir + "/chained_full.pem";
  pki.chained_key = dir + "/chained.key";
  bool ok = RunOpenssl(dir,
                       {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", dir + "/other_ca.key", "-out", pki.other_ca, "-subj",
                        "/CN=sslshim unrelated CA", "-days", "2"},
                       error) &&
            MakeLeaf(dir, "rsa2048", {"rsa:2048"}, pki.base.ca_cert, ca_key, leaf_ext, error) &&
            MakeLeaf(dir, "rsa1024", {"rsa:1024"}, pki.base.ca_cert, ca_key, leaf_ext, error) &&
            MakeLeaf(dir, "intermediate", kP256, pki.base.ca_cert, ca_key, ca_ext, error) &&
            MakeLeaf(dir, "chained", kP256, dir + "/intermediate.pem", dir + "/intermediate.key",
                     leaf_ext, error);
  if (ok) {
    std::ofstream chain(pki.chained_cert);
    chain << e2e::ReadFile(dir + "/chained.pem") << e2e::ReadFile(dir + "/intermediate.pem");
  }
  if (!ok) {
    e2e::RemovePki(pki.base);
    return std::nullopt;
  }
  return pki;
}

// One handshake: the probe's arguments after its setting, and the peer's.
struct HandshakeRun {
  bool probe_is_server = false;
  std::vector<std::string> probe_args;
  std::vector<std::string> peer_args;
};

// A setting and the peer that speaks only what it forbids.
struct Case {
  std::string setting;  // setting_probe's name ("none" for a case OpenSSL refuses by default)
  HandshakeRun run;
};

// What one side printed.
struct Outcome {
  bool ran = false;
  bool handshake = false;
  std::string reason, libssl, peer_stack, detail;
};

std::vector<std::string> ModeEnvironment(Mode mode) {
  return e2e::RunModeEnvironment(mode, FC_SHIM_LIB, FC_STANDIN_LIB);
}

// A private directory for the runs' captured output, made on first use.
std::string ScratchDir() {
  static const std::string dir = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "sslshim-fail-closed-XXXXXX");
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    return templ;
  }();
  return dir;
}

Outcome RunOnce(Mode mode, const std::string& setting, const HandshakeRun& run) {
  Outcome out;
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    out.detail = "socketpair failed";
    return out;
  }
  const std::string scratch = ScratchDir() + "/run";
  ChildSpec probe;
  probe.program = FC_SETTING_PROBE;
  probe.args = {run.probe_is_server ? "server" : "client", std::to_string(e2e::kChildSocketFd),
                setting};
  probe.args.insert(probe.args.end(), run.probe_args.begin(), run.probe_args.end());
  probe.env = ModeEnvironment(mode);
  probe.socket_fd = fds[0];
  probe.stdout_path = scratch + ".probe.out";
  probe.stderr_path = scratch + ".probe.err";
  ChildSpec peer;
  peer.program = FC_FORBIDDEN_PEER;
  peer.args = {run.probe_is_server ? "client" : "server", std::to_string(e2e::kChildSocketFd)};
  peer.args.insert(peer.args.end(), run.peer_args.begin(), run.peer_args.end());
  peer.env = CleanEnvironment();  // never preloaded
  peer.socket_fd = fds[1];
  peer.stdout_path = scratch + ".peer.out";
  peer.stderr_path = scratch + ".peer.err";
  std::vector<ChildOutcome> ran = RunChildren({probe, peer}, kRunTimeout, {fds[0], fds[1]});

  std::string command = "$";
  for (const std::string& e : probe.env) {
    if (e.rfind("LD_", 0) == 0 || e.rfind("SSLSHIM_", 0) == 0) command += " " + e;
  }
  command += " " + probe.program;
  for (const std::string& a : probe.args) command += " " + a;
  command += "\n$ " + peer.program;
  for (const std::string& a : peer.args) command += " " + a;
  out.detail = command + "\nprobe: " + ran[0].Describe() + "\npeer: " + ran[1].Describe();
  if (!ran[0].Succeeded() || !ran[1].Succeeded()) return out;
  std::string error;
  std::optional<testsupport::Json> probe_json =
      testsupport::Json::Parse(ran[0].stdout_text, &error);
  std::optional<testsupport::Json> peer_json = testsupport::Json::Parse(ran[1].stdout_text, &error);
  if (!probe_json || !peer_json) {
    out.detail += "\n(unreadable report: " + error + ")";
    return out;
  }
  bool ok = true;
  out.handshake = probe_json->IntField("handshake", &ok) == 1;
  out.reason = probe_json->StringField("reason", &ok);
  out.libssl = probe_json->StringField("libssl", &ok);
  out.peer_stack = peer_json->StringField("peer_stack", &ok);
  const bool peer_handshake = peer_json->IntField("handshake", &ok) == 1;
  out.ran = ok;
  // A probe that reports success against a peer that failed is a bug. (The other way round is
  // TLS 1.3: a client finishes before the server has checked its certificate.)
  if (out.handshake && !peer_handshake) {
    out.ran = false;
    out.detail += "\n(probe and peer disagree on the handshake)";
  }
  return out;
}

// The peers. Client probes talk to a server peer with a certificate for localhost.
std::vector<std::string> ServerPeer(const Pki& pki, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--cert", pki.base.server_cert, "--key", pki.base.server_key};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<Case> Cases(const Pki& pki) {
  const std::vector<std::string> verify = {"--verify", "--ca", pki.base.ca_cert};
  const std::vector<std::string> tls12 = ServerPeer(pki, {"--version", "1.2"});
  const std::vector<std::string> tls13 = ServerPeer(pki, {"--version", "1.3"});
  const std::vector<std::string> rsa2048 = {"--cert", pki.rsa2048_cert, "--key", pki.rsa2048_key};
  std::vector<Case> cases;
  auto both = [&](const std::string& name, const HandshakeRun& run) {
    cases.push_back({"ctx_" + name, run});
    cases.push_back({"ssl_" + name, run});
  };
  auto ssl_only = [&](const std::string& name, const HandshakeRun& run) {
    cases.push_back({"ssl_" + name, run});
  };
  auto ctx_only = [&](const std::string& name, const HandshakeRun& run) {
    cases.push_back({"ctx_" + name, run});
  };
  // Versions.
  both("min_tls1_3", {false, {}, tls12});
  both("max_tls1_2", {false, {}, tls13});
  both("no_tls1_2", {false, {}, tls12});
  both("no_tls1_3", {false, {}, tls13});
  ctx_only("ssl_version_tls1_2", {false, {}, tls13});
  // Suites, groups, signature algorithms.
  both("cipher_list",
       {false,
        {},
        ServerPeer(pki, {"--version", "1.2", "--cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"})});
  both("ciphersuites",
       {false, {}, ServerPeer(pki, {"--version", "1.3", "--suites", "TLS_AES_128_GCM_SHA256"})});
  both("groups_list", {false, {}, ServerPeer(pki, {"--groups", "X25519"})});
  ctx_only("groups_x448", {false, {}, ServerPeer(pki, {"--groups", "X25519"})});
  both("sigalgs", {false, {}, ServerPeer(pki)});
  // The security level: 3 asks for 128-bit keys, an RSA-2048 certificate has 112.
  both("seclevel_3", {false, verify, rsa2048});
  ctx_only("cipher_seclevel_3", {false, verify, rsa2048});
  // Debian's default level 2 refuses an RSA-1024 certificate (the peer must lower its own level
  // to use it).
  cases.push_back(
      {"none",
       {false, verify, {"--cert", pki.rsa1024_cert, "--key", pki.rsa1024_key, "--seclevel", "0"}}});
  // Debian's OpenSSL 3 at its default level refuses TLS 1.1 and SHA-1 handshake signatures.
  cases.push_back({"none",
                   {false,
                    {},
                    {"--cert", pki.rsa2048_cert, "--key", pki.rsa2048_key, "--seclevel", "0",
                     "--version", "1.1", "--cipher", "DEFAULT@SECLEVEL=0"}}});
  cases.push_back({"none",
                   {false,
                    {},
                    {"--cert", pki.rsa2048_cert, "--key", pki.rsa2048_key, "--seclevel", "0",
                     "--version", "1.2", "--sigalgs", "RSA+SHA1"}}});
  // Verification.
  both("verify_peer", {false, {"--ca", pki.other_ca}, ServerPeer(pki)});
  both("require_peer_cert", {true, ServerPeer(pki), {}});
  both("verify_depth_0", {false, verify, {"--cert", pki.chained_cert, "--key", pki.chained_key}});
  both("verify_store", {false, verify, ServerPeer(pki)});
  both("suiteb", {false, {}, rsa2048});
  for (const char* name : {"set1_host", "add1_host", "set1_host_ip", "param_host", "param_ip",
                           "set1_param", "purpose_client", "dane", "ct_strict"}) {
    ssl_only(name, {false, verify, ServerPeer(pki)});
  }
  for (const char* name :
       {"param_host", "set1_param", "purpose_client", "store_crl_check", "ct_strict"}) {
    ctx_only(name, {false, verify, ServerPeer(pki)});
  }
  both("security_callback", {false, {}, ServerPeer(pki)});
  // A client that requires a stapled OCSP response, from a server that staples none.
  ctx_only("ocsp_required", {false, {}, ServerPeer(pki)});
  return cases;
}

// Each case's run without its setting (and with a certificate OpenSSL accepts): must succeed.
std::vector<HandshakeRun> Controls(const std::vector<Case>& cases, const Pki& pki) {
  std::vector<HandshakeRun> controls;
  for (const Case& c : cases) {
    HandshakeRun control = c.run;
    if (c.setting == "none") {
      control.peer_args = {"--cert", pki.rsa2048_cert, "--key", pki.rsa2048_key};
    }
    bool seen = false;
    for (const HandshakeRun& r : controls) {
      seen = seen || (r.probe_is_server == control.probe_is_server &&
                      r.probe_args == control.probe_args && r.peer_args == control.peer_args);
    }
    if (!seen) controls.push_back(control);
  }
  return controls;
}

class FailClosed : public ::testing::TestWithParam<Mode> {
 protected:
  static void SetUpTestSuite() {
    pki_ = MakePki(&pki_error_);
    if (pki_) cases_ = Cases(*pki_);
  }
  static void TearDownTestSuite() {
    if (pki_) e2e::RemovePki(pki_->base);
    std::error_code ignored;
    std::filesystem::remove_all(ScratchDir(), ignored);  // the runs' captured output
  }
  static std::optional<Pki> pki_;
  static std::string pki_error_;
  static std::vector<Case> cases_;
};
std::optional<Pki> FailClosed::pki_;
std::string FailClosed::pki_error_;
std::vector<Case> FailClosed::cases_;

// Which library the probe's SSL_CTX_new came from, for each mode.
void CheckServedBy(Mode mode, const Outcome& o) {
  switch (mode) {
    case Mode::kNative:
      EXPECT_EQ(o.libssl.find("sslshim"), std::string::npos) << o.libssl;
      break;
    case Mode::kPreloadBoringSsl:
    case Mode::kPreloadOpenSsl:
      EXPECT_NE(o.libssl.find("libsslshim.so"), std::string::npos) << o.libssl;
      break;
    case Mode::kStandin:
      EXPECT_NE(o.libssl.find("standin"), std::string::npos) << o.libssl;
      break;
  }
}

TEST_P(FailClosed, EverySettingIsRefusedAsNatively) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const Mode mode = GetParam();
  int refused = 0;
  for (const Case& c : cases_) {
    SCOPED_TRACE(c.setting);
    Outcome native = RunOnce(Mode::kNative, c.setting, c.run);
    ASSERT_TRUE(native.ran) << native.detail;
    ASSERT_FALSE(native.handshake)
        << "OpenSSL 3 itself accepts this handshake: the case restricts nothing\n"
        << native.detail;
    if (mode == Mode::kNative) continue;
    Outcome o = RunOnce(mode, c.setting, c.run);
    ASSERT_TRUE(o.ran) << o.detail;
    EXPECT_FALSE(o.handshake) << ModeName(mode) << " went on without the setting\n" << o.detail;
    EXPECT_FALSE(o.reason.empty()) << "no error on the queue\n" << o.detail;
    CheckServedBy(mode, o);
    refused += !o.handshake;
  }
  if (mode != Mode::kNative) {
    EXPECT_EQ(refused, static_cast<int>(cases_.size()));
    std::printf("%s: %d of %zu restricted handshakes refused\n", ModeName(mode), refused,
                cases_.size());
  }
}

TEST_P(FailClosed, ControlsSucceedWithTheExpectedStack) {
  ASSERT_TRUE(pki_.has_value()) << pki_error_;
  const Mode mode = GetParam();
  for (const HandshakeRun& run : Controls(cases_, *pki_)) {
    Outcome o = RunOnce(mode, "none", run);
    ASSERT_TRUE(o.ran) << o.detail;
    EXPECT_TRUE(o.handshake) << o.detail;
    CheckServedBy(mode, o);
    if (!run.probe_is_server && o.handshake) {
      const bool boringssl = mode == Mode::kPreloadBoringSsl || mode == Mode::kStandin;
      EXPECT_EQ(o.peer_stack, boringssl ? "boringssl" : "openssl") << o.detail;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, FailClosed,
                         ::testing::Values(Mode::kNative, Mode::kPreloadBoringSsl,
                                           Mode::kPreloadOpenSsl, Mode::kStandin),
                         [](const ::testing::TestParamInfo<Mode>& param_info) {
                           std::string name = ModeName(param_info.param);
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace sslshim::fail_closed
