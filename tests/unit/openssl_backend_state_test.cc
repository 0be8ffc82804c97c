// The OpenSSL backend's sessions (resumption, the encoding round trip), what a connection reports
// about itself (peer chain, cipher, state), and its per-connection and context settings.
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"
#include "backend_answers.h"
#include "gtest/gtest.h"
#include "openssl_test_support.h"

namespace sslshim::openssl_test {
namespace {

class OpenSslBackendStateVersion : public ::testing::TestWithParam<int> {};

// ---- Sessions -------------------------------------------------------------------------------

TEST_P(OpenSslBackendStateVersion, SerializedSessionResumesTheNextConnection) {
  const int version = GetParam();
  Link link(version);
  link.Connect();
  EXPECT_EQ(link.client->Get1Session(), nullptr);  // nothing before the handshake starts
  ASSERT_TRUE(link.client->SetHostName("server.test"));
  // A server acknowledges the name (and the client keeps it in the session) only when its server
  // name callback accepts it: OpenSSL's answer without a callback is NOACK.
  link.server->EnableHooks(kHookServerName);
  ASSERT_TRUE(link.Handshake());
  EXPECT_FALSE(link.client->SessionReused());
  if (version == TLS1_3_VERSION) link.ClientReadsPending();  // the tickets come after

  std::unique_ptr<BackendSession> session = link.client->Get1Session();
  ASSERT_NE(session, nullptr);
  EXPECT_TRUE(session->IsResumable());
  EXPECT_EQ(session->ProtocolVersion(), version);
  EXPECT_EQ(session->Hostname(), "server.test");
  EXPECT_TRUE(session->HasTicket());  // OpenSSL's servers send tickets by default
  EXPECT_GT(session->Timeout(), 0);
  EXPECT_GT(session->Time(), 1600000000);

  const Der encoded = session->Serialize();
  ASSERT_FALSE(encoded.empty());
  std::unique_ptr<BackendSession> parsed = OpenSsl().ParseSession(encoded.data(), encoded.size());
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(parsed->Serialize(), encoded);
  EXPECT_EQ(parsed->Id(), session->Id());
  EXPECT_EQ(parsed->ProtocolVersion(), version);
  EXPECT_EQ(parsed->Hostname(), "server.test");
  EXPECT_EQ(parsed->TicketLifetimeHint(), session->TicketLifetimeHint());
  link.client->Shutdown();  // freed without it, OpenSSL marks the session not resumable
  link.Connect();           // same contexts, the first connection gone
  EXPECT_TRUE(session->IsResumable());

  ASSERT_TRUE(link.client->SetSession(parsed.get()));
  ASSERT_TRUE(link.client->SetHostName("server.test"));
  ASSERT_TRUE(link.Handshake());
  EXPECT_TRUE(link.client->SessionReused());
  EXPECT_TRUE(link.server->SessionReused());
  EXPECT_TRUE(link.client_observer.chains.size() == 1u);  // verified once: the resumption did not

  link.Connect();
  ASSERT_TRUE(link.client->SetSession(parsed.get()));
  ASSERT_TRUE(link.client->SetSession(nullptr));  // cleared: a full handshake again
  ASSERT_TRUE(link.Handshake());
  EXPECT_FALSE(link.client->SessionReused());
  EXPECT_FALSE(link.server->SessionReused());
}

TEST(OpenSslBackendSession, GarbageDoesNotParse) {
  const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  EXPECT_EQ(OpenSsl().ParseSession(garbage, sizeof garbage), nullptr);
  EXPECT_EQ(OpenSsl().ParseSession(garbage, 0), nullptr);
  EXPECT_FALSE(DrainErrors().empty());  // libssl said why
}

TEST(OpenSslBackendSession, ContextTimeoutIsTheSessionsTimeout) {
  Link link(TLS1_2_VERSION);
  link.server_ctx->SetSessionTimeout(123);
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  std::unique_ptr<BackendSession> server_session = link.server->Get1Session();
  ASSERT_NE(server_session, nullptr);
  EXPECT_EQ(server_session->Timeout(), 123);
}

// OpenSSL refuses to resume for a server that verifies clients unless the session ID context was
// set; with one, the client resumes.
TEST(OpenSslBackendSession, SessionIdContextLetsAVerifyingServerResume) {
  for (bool with_context : {false, true}) {
    SCOPED_TRACE(with_context);
    DrainErrors();
    Link link(TLS1_2_VERSION);
    link.server_ctx->SetVerify(SSL_VERIFY_PEER);
    ASSERT_TRUE(link.client_ctx->UseCertificateChain({Pki().client.cert_der}));
    ASSERT_TRUE(link.client_ctx->UsePrivateKey(Pki().client.key_pkcs8));
    const uint8_t too_long[SSL_MAX_SID_CTX_LENGTH + 1] = {};
    EXPECT_FALSE(link.server_ctx->SetSessionIdContext(too_long, sizeof too_long));
    EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG));
    const uint8_t sid_ctx[] = {'a', 'p', 'p'};
    if (with_context) {
      ASSERT_TRUE(link.server_ctx->SetSessionIdContext(sid_ctx, sizeof sid_ctx));
    }
    link.Connect();
    ASSERT_TRUE(link.Handshake());
    std::unique_ptr<BackendSession> session = link.client->Get1Session();
    ASSERT_NE(session, nullptr);
    link.client->Shutdown();  // freed without it, OpenSSL marks the session not resumable
    link.Connect();
    ASSERT_TRUE(link.client->SetSession(session.get()));
    if (with_context) {
      ASSERT_TRUE(link.Handshake());
      EXPECT_TRUE(link.client->SessionReused());
    } else {
      EXPECT_FALSE(link.Handshake());
      EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED));
    }
  }
}

// A connection's own session ID context decides, not the context's.
TEST(OpenSslBackendSession, ConnectionSessionIdContextDecidesResumption) {
  const uint8_t app[] = {'a', 'p', 'p'}, other[] = {'o', 't', 'h', 'e', 'r'};
  Link link(TLS1_2_VERSION);
  link.Connect();
  ASSERT_TRUE(link.server->SetSessionIdContext(app, sizeof app));
  ASSERT_TRUE(link.Handshake());
  std::unique_ptr<BackendSession> session = link.client->Get1Session();
  ASSERT_NE(session, nullptr);
  for (const auto& [sid, reused] :
       {std::pair{Der(app, app + 3), true}, std::pair{Der(other, other + 5), false}}) {
    link.client->Shutdown();
    link.Connect();
    ASSERT_TRUE(link.server->SetSessionIdContext(sid.data(), sid.size()));
    ASSERT_TRUE(link.client->SetSession(session.get()));
    ASSERT_TRUE(link.Handshake());
    EXPECT_EQ(link.server->SessionReused(), reused);
  }
}

// ---- Keying material, randoms, master secret ------------------------------------------------

TEST_P(OpenSslBackendStateVersion, ExportedKeyingMaterialAndSecretsAgreeOnBothEnds) {
  const int version = GetParam();
  Link link(version);
  link.Connect();
  uint8_t out[32];
  EXPECT_EQ(link.client->ExportKeyingMaterial(out, sizeof out, "x", 1, nullptr, 0, false), -1);
  ASSERT_TRUE(link.Handshake());
  const uint8_t context[] = {1, 2, 3};
  auto both = [&](const uint8_t* ctx, size_t ctx_len, bool use) {
    Der c(40), s(40);
    EXPECT_EQ(link.client->ExportKeyingMaterial(c.data(), c.size(), "EXPERIMENTAL-a", 14, ctx,
                                                ctx_len, use),
              1);
    EXPECT_EQ(link.server->ExportKeyingMaterial(s.data(), s.size(), "EXPERIMENTAL-a", 14, ctx,
                                                ctx_len, use),
              1);
    EXPECT_EQ(c, s);
    return c;
  };
  const Der none = both(nullptr, 0, false);
  const Der with = both(context, sizeof context, true);
  EXPECT_NE(none, with);
  EXPECT_EQ(none == both(context, 0, true), version == TLS1_3_VERSION);
  DrainErrors();
  EXPECT_EQ(
      link.client->ExportKeyingMaterial(out, sizeof out, "key expansion", 13, nullptr, 0, false),
      version == TLS1_3_VERSION ? 1 : 0);
  EXPECT_EQ(HasSslError(DrainErrors(), SSL_R_TLS_ILLEGAL_EXPORTER_LABEL),
            version != TLS1_3_VERSION);

  uint8_t client_side[2][kRandomSize], server_side[2][kRandomSize];
  link.client->Randoms(client_side[0], client_side[1]);
  link.server->Randoms(server_side[0], server_side[1]);
  EXPECT_EQ(0, memcmp(client_side, server_side, sizeof client_side));
  EXPECT_NE(0, memcmp(client_side[0], client_side[1], kRandomSize));

  uint8_t client_key[kMaxMasterKeyLength], server_key[kMaxMasterKeyLength];
  const size_t client_len = link.client->Get1Session()->MasterKey(client_key);
  const size_t server_len = link.server->Get1Session()->MasterKey(server_key);
  if (version != TLS1_3_VERSION) {
    ASSERT_EQ(client_len, 48u);
    ASSERT_EQ(server_len, 48u);
    EXPECT_EQ(0, memcmp(client_key, server_key, 48));
  }
}

// ---- What the connection reports ------------------------------------------------------------

TEST_P(OpenSslBackendStateVersion, PeerChainIsEverythingThePeerSentLeafFirst) {
  Link link(GetParam());
  link.server_ctx->SetVerify(SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  ASSERT_TRUE(link.client_ctx->UseCertificateChain({Pki().client.cert_der, Pki().ca.cert_der}));
  ASSERT_TRUE(link.client_ctx->UsePrivateKey(Pki().client.key_pkcs8));
  link.Connect();
  EXPECT_TRUE(link.client->PeerChainDer().empty());
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.client->PeerChainDer(), (Chain{Pki().server.cert_der, Pki().ca.cert_der}));
  EXPECT_EQ(link.server->PeerChainDer(), (Chain{Pki().client.cert_der, Pki().ca.cert_der}));
}

TEST_P(OpenSslBackendStateVersion, StateStringsBeforeAndAfter) {
  Link link(GetParam());
  link.Connect();
  EXPECT_STREQ(link.client->StateString(false), "PINIT");
  EXPECT_STREQ(link.client->StateString(true), "before SSL initialization");
  ASSERT_TRUE(link.Handshake());
  EXPECT_STREQ(link.client->StateString(false), "SSLOK");
  EXPECT_STREQ(link.client->StateString(true), "SSL negotiation finished successfully");
}

INSTANTIATE_TEST_SUITE_P(Tls, OpenSslBackendStateVersion,
                         ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return param_info.param == TLS1_3_VERSION ? std::string("TLS13")
                                                                     : std::string("TLS12");
                         });

struct ExpectedCipher {
  int version;
  const char* list;  // for the server (TLS 1.2) or the client's suites (TLS 1.3)
  CipherInfo info;
};

CipherInfo Info(const char* name, const char* standard_name, uint32_t id, int bits,
                const char* version, const char* kx, const char* auth, const char* cipher,
                const char* digest, bool aead) {
  CipherInfo info;
  info.name = name;
  info.standard_name = standard_name;
  info.id = id;
  info.bits = info.alg_bits = bits;
  info.version = version;
  info.kx_sn = kx;
  info.auth_sn = auth;
  info.cipher_sn = cipher;
  info.digest_sn = digest;
  info.is_aead = aead;
  return info;
}

TEST(OpenSslBackendCipher, NegotiatedSuiteIsDescribedAsOpenSslDoes) {
  const ExpectedCipher cases[] = {
      {TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256",
       Info("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0x0300C02B,
            128, "TLSv1.2", "KxECDHE", "AuthECDSA", "id-aes128-GCM", "", true)},
      {TLS1_2_VERSION, "ECDHE-ECDSA-AES256-SHA384",
       Info("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 0x0300C024, 256,
            "TLSv1.2", "KxECDHE", "AuthECDSA", "AES-256-CBC", "SHA384", false)},
      {TLS1_2_VERSION, "ECDHE-ECDSA-AES128-SHA",
       Info("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0x0300C009, 128,
            "TLSv1.0", "KxECDHE", "AuthECDSA", "AES-128-CBC", "SHA1", false)},
      {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256",
       Info("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", 0x03001301, 128, "TLSv1.3", "KxANY",
            "AuthANY", "id-aes128-GCM", "", true)},
      {TLS1_3_VERSION, "TLS_CHACHA20_POLY1305_SHA256",
       Info("TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", 0x03001303, 256,
            "TLSv1.3", "KxANY", "AuthANY", "ChaCha20-Poly1305", "", true)},
  };
  for (const ExpectedCipher& expected : cases) {
    SCOPED_TRACE(expected.list);
    Link link(expected.version);
    if (expected.version == TLS1_3_VERSION) {
      ASSERT_TRUE(link.client_ctx->SetCiphersuites(expected.list));
    } else {
      ASSERT_TRUE(link.server_ctx->SetCipherList(expected.list));
    }
    link.Connect();
    CipherInfo info;
    EXPECT_FALSE(link.client->CurrentCipher(&info));
    ASSERT_TRUE(link.Handshake());
    ASSERT_TRUE(link.client->CurrentCipher(&info));
    const CipherInfo& want = expected.info;
    EXPECT_EQ(info.name, want.name);
    EXPECT_EQ(info.standard_name, want.standard_name);
    EXPECT_EQ(info.id, want.id);
    EXPECT_EQ(info.bits, want.bits);
    EXPECT_EQ(info.alg_bits, want.alg_bits);
    EXPECT_EQ(info.version, want.version);
    EXPECT_EQ(info.kx_sn, want.kx_sn);
    EXPECT_EQ(info.auth_sn, want.auth_sn);
    EXPECT_EQ(info.cipher_sn, want.cipher_sn);
    EXPECT_EQ(info.digest_sn, want.digest_sn);
    EXPECT_EQ(info.is_aead, want.is_aead);
    // The core turns the names back into NIDs with OBJ_sn2nid: every one must be a short name.
    for (const std::string* sn : {&info.kx_sn, &info.auth_sn, &info.cipher_sn, &info.digest_sn}) {
      if (!sn->empty()) {
        EXPECT_NE(OBJ_sn2nid(sn->c_str()), NID_undef) << *sn;
      }
    }
    CipherInfo server_info;
    ASSERT_TRUE(link.server->CurrentCipher(&server_info));
    EXPECT_EQ(server_info.id, info.id);
  }
}

// ---- Per-connection settings ----------------------------------------------------------------

TEST(OpenSslBackendConnSettings, CipherListOfOneConnectionIsWhatItOffers) {
  Link link(TLS1_2_VERSION);
  link.Connect();
  const std::vector<CipherInfo> all = link.client->Ciphers();
  ASSERT_GT(all.size(), 4u);
  // OpenSSL's quirk, kept: a list that matches nothing fails, but leaves the connection with the
  // TLS 1.3 suites only.
  EXPECT_FALSE(link.client->SetCipherList("NO-SUCH-CIPHER"));
  DrainErrors();
  for (const CipherInfo& cipher : link.client->Ciphers()) EXPECT_EQ(cipher.version, "TLSv1.3");
  ASSERT_TRUE(link.client->SetCipherList("ECDHE-ECDSA-AES256-GCM-SHA384"));
  const std::vector<CipherInfo> offered = link.client->Ciphers();
  // The TLS 1.3 suites (configured apart) and the one TLS 1.2 suite.
  size_t tls12 = 0;
  for (const CipherInfo& cipher : offered) {
    if (cipher.version == "TLSv1.3") continue;
    ++tls12;
    EXPECT_EQ(cipher.name, "ECDHE-ECDSA-AES256-GCM-SHA384");
    EXPECT_EQ(cipher.id, 0x0300C02Cu);
  }
  EXPECT_EQ(tls12, 1u);
  EXPECT_EQ(offered.size(), 4u);
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(NegotiatedCipher(*link.client).name, "ECDHE-ECDSA-AES256-GCM-SHA384");
}

TEST(OpenSslBackendConnSettings, OptionsWordOfOneConnection) {
  Link link(0);
  link.Connect();
  link.client->SetOptions(SSL_OP_NO_TLSv1_3);
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.client->VersionNumber(), TLS1_2_VERSION);

  // A bit the context's word had, and the connection's word no longer has, is cleared.
  Link inherited(0);
  inherited.client_ctx->SetOptions(SSL_OP_NO_TLSv1_3);
  inherited.Connect();
  inherited.client->SetOptions(0);
  ASSERT_TRUE(inherited.Handshake());
  EXPECT_EQ(inherited.client->VersionNumber(), TLS1_3_VERSION);
}

TEST(OpenSslBackendConnSettings, CertificateAndKeyOfOneConnection) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  EXPECT_FALSE(link.server->UseCertificateChain({}));
  EXPECT_FALSE(link.server->UsePrivateKey(Der{0x30, 0x00}));
  DrainErrors();
  ASSERT_TRUE(link.server->UseCertificateChain({Pki().other.cert_der, Pki().ca.cert_der}));
  ASSERT_TRUE(link.server->UsePrivateKey(Pki().other.key_pkcs8));
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.client->PeerChainDer(), (Chain{Pki().other.cert_der, Pki().ca.cert_der}));
}

TEST(OpenSslBackendConnSettings, QuietShutdownSendsNothing) {
  for (bool quiet : {false, true}) {
    SCOPED_TRACE(quiet);
    Link link(TLS1_3_VERSION);
    link.Connect();
    ASSERT_TRUE(link.Handshake());
    link.client->SetQuietShutdown(quiet);
    IoResult closed = link.client->Shutdown();
    EXPECT_EQ(closed.ret, quiet ? 1 : 0);
    uint8_t byte;
    IoResult r;
    for (int i = 0; i < 5; ++i) {  // past the session tickets
      r = link.server->Read(&byte, 1, false);
      if (r.ssl_error != SSL_ERROR_WANT_READ) break;
    }
    EXPECT_EQ(r.ssl_error, quiet ? SSL_ERROR_WANT_READ : SSL_ERROR_ZERO_RETURN);
  }
}

}  // namespace
}  // namespace sslshim::openssl_test
