// The OpenSSL backend over the real libssl.so.3 of this test process (no shim here, so the
// backend's dlvsym(RTLD_NEXT) finds the libssl the test links). Client and server BackendConns
// talk over a non-blocking socketpair, driven in turn from one thread, so every loop is bounded.
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend_answers.h"
#include "gtest/gtest.h"
#include "openssl/real_libssl.h"
#include "openssl_test_support.h"

namespace sslshim::openssl_test {
namespace {

// ---- The factory and the symbol table ------------------------------------------------------

TEST(OpenSslBackendFactory, FindsTheRealLibsslNextInTheProcess) {
  std::string why = "untouched";
  std::unique_ptr<Backend> backend = MakeOpenSslBackend(&why);
  ASSERT_NE(backend, nullptr) << why;
  EXPECT_STREQ(backend->name(), "openssl");
  EXPECT_EQ(why, "untouched");
}

TEST(OpenSslBackendFactory, TableHoldsLibsslsOwnDefinitions) {
  openssl_backend::RealLibssl table;
  std::string missing;
  ASSERT_TRUE(
      openssl_backend::ResolveRealLibssl(&openssl_backend::ResolveNextOpenSsl3, &table, &missing))
      << missing;
  // &::SSL_write is also the test's own link-time reference to libssl: with --as-needed it is
  // what keeps libssl.so.3 in the process, as it is in every program the shim is preloaded into.
  EXPECT_EQ(table.SSL_write, &::SSL_write);
  EXPECT_EQ(reinterpret_cast<void*>(table.SSL_write),
            dlvsym(RTLD_DEFAULT, "SSL_write", "OPENSSL_3.0.0"));
  EXPECT_EQ(reinterpret_cast<void*>(table.SSL_CTX_ctrl),
            dlvsym(RTLD_DEFAULT, "SSL_CTX_ctrl", "OPENSSL_3.0.0"));
}

void* ResolveAllButKeyUpdate(const char* name) {
  if (std::strcmp(name, "SSL_key_update") == 0) return nullptr;
  return openssl_backend::ResolveNextOpenSsl3(name);
}

TEST(OpenSslBackendFactory, NamesTheFirstMissingSymbol) {
  openssl_backend::RealLibssl table;
  std::string missing;
  EXPECT_FALSE(openssl_backend::ResolveRealLibssl(&ResolveAllButKeyUpdate, &table, &missing));
  EXPECT_EQ(missing, "SSL_key_update");
  EXPECT_EQ(table.SSL_write, nullptr);  // *out untouched on failure
}

// ---- Handshake and data, per protocol version ----------------------------------------------

class OpenSslBackendVersion : public ::testing::TestWithParam<int> {};

TEST_P(OpenSslBackendVersion, HandshakeThenOneMebibyteArrivesByteExact) {
  const int version = GetParam();
  Link link(version);
  link.Connect();
  ASSERT_TRUE(link.Handshake()) << "client " << link.client_result.ssl_error << " server "
                                << link.server_result.ssl_error;

  EXPECT_FALSE(link.client->IsServer());
  EXPECT_TRUE(link.server->IsServer());
  EXPECT_TRUE(link.client->IsInitFinished());
  EXPECT_EQ(link.client->VersionNumber(), version);
  EXPECT_STREQ(link.client->Version(), version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2");
  EXPECT_EQ(NegotiatedCipher(*link.client).name, NegotiatedCipher(*link.server).name);
  EXPECT_GE(NegotiatedCipher(*link.client).bits, 128);
  EXPECT_EQ(link.client->rbio(), link.client_bio);
  EXPECT_EQ(link.client->wbio(), link.client_bio);

  uint8_t client_finished[64], server_saw[64];
  const size_t finished_len = link.client->Finished(client_finished, sizeof client_finished);
  ASSERT_GT(finished_len, 0u);
  ASSERT_EQ(link.server->PeerFinished(server_saw, sizeof server_saw), finished_len);
  EXPECT_EQ(std::memcmp(client_finished, server_saw, finished_len), 0);

  // Verification went through the observer, with the chain the server sent, leaf first.
  ASSERT_EQ(link.client_observer.chains.size(), 1u);
  EXPECT_EQ(link.client_observer.chains[0], (Chain{Pki().server.cert_der, Pki().ca.cert_der}));
  EXPECT_EQ(SessionVerifyResult(*link.client), X509_V_OK);
  EXPECT_EQ(link.client->PeerCertificateDer(), Pki().server.cert_der);
  EXPECT_TRUE(link.server->PeerCertificateDer().empty());
  EXPECT_TRUE(link.server_observer.chains.empty());

  // The info callback reached both observers.
  EXPECT_TRUE(link.client_observer.SawInfo(SSL_CB_HANDSHAKE_START));
  EXPECT_TRUE(link.client_observer.SawInfo(SSL_CB_HANDSHAKE_DONE));
  EXPECT_TRUE(link.server_observer.SawInfo(SSL_CB_HANDSHAKE_DONE));

  const Der data = Pattern(1 << 20);
  Transfer t = Send(link.client.get(), link.server.get(), data, false);
  ASSERT_FALSE(t.failed) << "ret " << t.failure.ret << " error " << t.failure.ssl_error;
  EXPECT_GT(t.write_retries, 0);  // 1 MiB does not fit the socketpair: the retry path ran
  EXPECT_EQ(t.received, data);

  // And back, server to client.
  const Der reply = Pattern(70000);
  Transfer back = Send(link.server.get(), link.client.get(), reply, false);
  ASSERT_FALSE(back.failed);
  EXPECT_EQ(back.received, reply);

  // close_notify: the client's shutdown is seen by the server's read.
  IoResult closed = link.client->Shutdown();
  EXPECT_EQ(closed.ret, 0);  // sent, not yet received the peer's
  EXPECT_EQ(link.client->GetShutdown() & SSL_SENT_SHUTDOWN, SSL_SENT_SHUTDOWN);
  uint8_t byte;
  IoResult eof = link.server->Read(&byte, 1, false);
  EXPECT_EQ(eof.ret, 0);
  EXPECT_EQ(eof.ssl_error, SSL_ERROR_ZERO_RETURN);
  EXPECT_EQ(link.server->GetShutdown() & SSL_RECEIVED_SHUTDOWN, SSL_RECEIVED_SHUTDOWN);
  EXPECT_TRUE(DrainErrors().empty());
}

TEST_P(OpenSslBackendVersion, RetryFromAMovedBufferIsAcceptedWhateverTheCoreAsks) {
  Link link(GetParam());
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  link.client->SetMode(0);  // the core asks for no mode bit at all
  const Der data = Pattern(1 << 20);
  Transfer t = Send(link.client.get(), link.server.get(), data, /*move_buffer=*/true);
  ASSERT_FALSE(t.failed) << "ret " << t.failure.ret << " error " << t.failure.ssl_error << " "
                         << ERR_reason_error_string(ERR_peek_error());
  EXPECT_GT(t.write_retries, 0);
  EXPECT_EQ(t.received, data);
}

TEST_P(OpenSslBackendVersion, PartialWriteModeIsPassedOn) {
  Link link(GetParam());
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  link.client->SetMode(SSL_MODE_ENABLE_PARTIAL_WRITE);
  const Der data = Pattern(1 << 20);
  IoResult w = link.client->Write(data.data(), static_cast<int>(data.size()));
  EXPECT_GT(w.ret, 0);
  EXPECT_LE(w.ret, 16384);  // one record: OpenSSL returns after each with partial writes on
}

TEST_P(OpenSslBackendVersion, SessionCacheAndAlpnAndHostName) {
  Link link(GetParam());
  link.client_ctx->SetSessionCacheMode(SSL_SESS_CACHE_OFF);
  const uint8_t alpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  EXPECT_TRUE(link.client_ctx->SetAlpnProtos(alpn, sizeof alpn));
  const uint8_t bad_alpn[] = {5, 'h', '2'};  // length prefix runs past the end
  EXPECT_FALSE(link.client_ctx->SetAlpnProtos(bad_alpn, sizeof bad_alpn));
  link.Connect();
  EXPECT_TRUE(link.client->SetHostName("server.test"));
  EXPECT_FALSE(link.client->SetHostName(std::string(300, 'a').c_str()));  // > 255 bytes
  DrainErrors();
  EXPECT_TRUE(link.Handshake());
}

INSTANTIATE_TEST_SUITE_P(Tls, OpenSslBackendVersion,
                         ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return param_info.param == TLS1_3_VERSION ? std::string("TLS13")
                                                                     : std::string("TLS12");
                         });

// ---- Mode: AUTO_RETRY is as the core says ---------------------------------------------------

// After a TLS 1.3 handshake the server's session tickets wait in front of its data. OpenSSL reads a
// ticket and, without AUTO_RETRY, returns WANT_READ although data follows; with it, the data.
TEST(OpenSslBackendMode, AutoRetryKeptWhenTheCoreHasIt) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  link.client->SetMode(SSL_MODE_AUTO_RETRY);
  ASSERT_EQ(link.server->Write("x", 1).ret, 1);
  char c = 0;
  IoResult r = link.client->Read(&c, 1, false);
  EXPECT_EQ(r.ret, 1);
  EXPECT_EQ(c, 'x');
}

TEST(OpenSslBackendMode, AutoRetryClearedWhenTheCoreLacksIt) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  link.client->SetMode(SSL_MODE_ENABLE_PARTIAL_WRITE);  // no AUTO_RETRY in the core's word
  ASSERT_EQ(link.server->Write("x", 1).ret, 1);
  char c = 0;
  IoResult first = link.client->Read(&c, 1, false);
  EXPECT_EQ(first.ret, -1);
  EXPECT_EQ(first.ssl_error, SSL_ERROR_WANT_READ);
  IoResult r;
  for (int i = 0; i < 10 && r.ret != 1; ++i) r = link.client->Read(&c, 1, false);
  EXPECT_EQ(r.ret, 1);
  EXPECT_EQ(c, 'x');
}

// ---- Verification through the observer ------------------------------------------------------

TEST(OpenSslBackendVerify, RejectionEndsTheHandshakeWithOpenSslsError) {
  DrainErrors();
  Link link(TLS1_3_VERSION);
  link.Connect();
  link.client_observer.outcome = {false, X509_V_ERR_CERT_REJECTED};
  EXPECT_FALSE(link.Handshake());
  EXPECT_EQ(link.client_result.ret, -1);
  EXPECT_EQ(link.client_result.ssl_error, SSL_ERROR_SSL);
  EXPECT_EQ(link.client_observer.chains.size(), 1u);
  EXPECT_FALSE(link.client->IsInitFinished());
  // The real libssl put its own error on the (shared) queue; the backend moved nothing.
  std::vector<ErrorRecord> moved;
  link.client->TakeErrors(&moved);
  EXPECT_TRUE(moved.empty());
  EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_CERTIFICATE_VERIFY_FAILED));
}

TEST(OpenSslBackendVerify, VerifyNoneClientStillAsksTheCoreAndKeepsItsResult) {
  Link link(TLS1_2_VERSION);
  link.client_ctx->SetVerify(SSL_VERIFY_NONE);
  link.Connect();
  link.client_observer.outcome = {false, X509_V_ERR_CERT_REJECTED};
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.client_observer.chains.size(), 1u);
  EXPECT_EQ(SessionVerifyResult(*link.client), X509_V_ERR_CERT_REJECTED);
  DrainErrors();
}

TEST(OpenSslBackendVerify, ServerVerifiesTheClientChainThroughItsObserver) {
  Link link(TLS1_3_VERSION);
  link.server_ctx->SetVerify(SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  ASSERT_TRUE(link.client_ctx->UseCertificateChain({Pki().client.cert_der}));
  ASSERT_TRUE(link.client_ctx->UsePrivateKey(Pki().client.key_pkcs8));
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  // The server reads the client's certificate after its handshake returned, in TLS 1.3 as well.
  ASSERT_EQ(link.server_observer.chains.size(), 1u);
  EXPECT_EQ(link.server_observer.chains[0], Chain{Pki().client.cert_der});
  EXPECT_EQ(link.server->PeerCertificateDer(), Pki().client.cert_der);
  EXPECT_EQ(SessionVerifyResult(*link.server), X509_V_OK);
}

TEST(OpenSslBackendVerify, ConnectionLevelVerifyModeAsksForTheClientCertificate) {
  Link link(TLS1_2_VERSION);
  ASSERT_TRUE(link.client_ctx->UseCertificateChain({Pki().client.cert_der}));
  ASSERT_TRUE(link.client_ctx->UsePrivateKey(Pki().client.key_pkcs8));
  link.Connect();
  link.server->SetVerify(SSL_VERIFY_PEER);
  link.server_observer.outcome = {false, X509_V_ERR_CERT_UNTRUSTED};
  EXPECT_FALSE(link.Handshake());
  EXPECT_EQ(link.server_observer.chains.size(), 1u);
  EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_CERTIFICATE_VERIFY_FAILED));
}

// ---- Context settings -----------------------------------------------------------------------

TEST(OpenSslBackendCtx, VersionBoundsAreTheRealOnes) {
  std::unique_ptr<BackendCtx> ctx =
      OpenSsl().NewCtx({Endpoint::kClient, TLS1_2_VERSION, TLS1_3_VERSION}, nullptr);
  ASSERT_NE(ctx, nullptr);
  EXPECT_TRUE(ctx->SetMaxVersion(0));
  EXPECT_FALSE(ctx->SetMinVersion(0x1234));
  DrainErrors();
}

TEST(OpenSslBackendCtx, OptionsWordIsAppliedAndCanBeTakenBack) {
  Link link(0);  // no version bound: TLS 1.3 unless the options say otherwise
  link.client_ctx->SetOptions(SSL_OP_NO_TLSv1_3);
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.client->VersionNumber(), TLS1_2_VERSION);

  Link again(0);
  again.client_ctx->SetOptions(SSL_OP_NO_TLSv1_3);
  again.client_ctx->SetOptions(0);  // the core's word no longer has it
  again.Connect();
  ASSERT_TRUE(again.Handshake());
  EXPECT_EQ(again.client->VersionNumber(), TLS1_3_VERSION);
}

TEST(OpenSslBackendCtx, CipherListsAndGroupsChooseWhatIsNegotiated) {
  Link tls12(TLS1_2_VERSION);
  ASSERT_TRUE(tls12.server_ctx->SetCipherList("ECDHE-ECDSA-AES128-GCM-SHA256"));
  tls12.Connect();
  ASSERT_TRUE(tls12.Handshake());
  EXPECT_EQ(NegotiatedCipher(*tls12.client).name, "ECDHE-ECDSA-AES128-GCM-SHA256");

  Link tls13(TLS1_3_VERSION);
  ASSERT_TRUE(tls13.client_ctx->SetCiphersuites("TLS_CHACHA20_POLY1305_SHA256"));
  ASSERT_TRUE(tls13.server_ctx->SetGroups("P-384"));  // the client offers X25519 first: HRR
  tls13.Connect();
  ASSERT_TRUE(tls13.Handshake());
  EXPECT_EQ(NegotiatedCipher(*tls13.client).name, "TLS_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(NegotiatedCipher(*tls13.client).bits, 256);

  EXPECT_FALSE(tls13.client_ctx->SetCipherList("NO-SUCH-CIPHER"));
  EXPECT_FALSE(tls13.client_ctx->SetCiphersuites("TLS_NO_SUCH_SUITE"));
  EXPECT_FALSE(tls13.client_ctx->SetGroups("no-such-group"));
  DrainErrors();
}

TEST(OpenSslBackendCtx, CertificatesAndKeysFromDer) {
  std::unique_ptr<BackendCtx> ctx = OpenSsl().NewCtx({Endpoint::kServer, 0, 0}, nullptr);
  ASSERT_NE(ctx, nullptr);
  EXPECT_FALSE(ctx->UseCertificateChain({}));
  EXPECT_FALSE(ctx->UseCertificateChain({Der{0x30, 0x03, 0x01}}));
  EXPECT_FALSE(ctx->UsePrivateKey(Der{0x30, 0x00}));
  DrainErrors();
  ASSERT_TRUE(ctx->UseCertificateChain({Pki().server.cert_der, Pki().ca.cert_der}));
  ASSERT_TRUE(ctx->UsePrivateKey(Pki().server.key_pkcs8));
  DrainErrors();
}

// ---- Renegotiation and KeyUpdate -----------------------------------------------------------

TEST(OpenSslBackendRekey, KeyUpdateInTls13RenegotiateRefused) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  DrainErrors();
  EXPECT_FALSE(link.client->Renegotiate());
  EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_WRONG_SSL_VERSION));
  EXPECT_TRUE(link.client->KeyUpdate(SSL_KEY_UPDATE_REQUESTED));
  EXPECT_FALSE(link.client->KeyUpdate(42));
  DrainErrors();
  const Der data = Pattern(100000);
  Transfer t = Send(link.client.get(), link.server.get(), data, false);
  ASSERT_FALSE(t.failed);
  EXPECT_EQ(t.received, data);
}

// A server-requested renegotiation (the case SSL_write(3) says is performed transparently): the
// client renegotiates inside its read and verifies the server's chain again through its observer.
TEST(OpenSslBackendRekey, ServerRequestedRenegotiationInTls12Completes) {
  Link link(TLS1_2_VERSION);
  // A full handshake, not a resumption, so the certificate comes (and is verified) again.
  link.server_ctx->SetOptions(SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  ASSERT_EQ(link.client_observer.chains.size(), 1u);
  ASSERT_TRUE(link.server->Renegotiate());
  // The server's handshake call only sends the HelloRequest; the rest happens inside both reads.
  IoResult hs = link.server->Handshake();
  ASSERT_EQ(hs.ret, 1) << hs.ssl_error;
  uint8_t byte;
  for (int i = 0; i < 100; ++i) {
    IoResult c = link.client->Read(&byte, 1, false);
    ASSERT_TRUE(c.ret <= 0 && IsWant(c)) << c.ret << " " << c.ssl_error;
    IoResult r = link.server->Read(&byte, 1, false);
    ASSERT_TRUE(r.ret <= 0 && IsWant(r)) << r.ret << " " << r.ssl_error;
    if (link.client_observer.chains.size() == 2 && link.client->IsInitFinished() &&
        link.server->IsInitFinished()) {
      break;
    }
  }
  EXPECT_TRUE(link.client->IsInitFinished());
  EXPECT_TRUE(link.server->IsInitFinished());
  EXPECT_EQ(link.client_observer.chains.size(), 2u);  // verified again
  EXPECT_EQ(std::count(link.client_observer.info_where.begin(),
                       link.client_observer.info_where.end(), SSL_CB_HANDSHAKE_DONE),
            2);
  const Der data = Pattern(50000);
  Transfer t = Send(link.client.get(), link.server.get(), data, false);
  ASSERT_FALSE(t.failed);
  EXPECT_EQ(t.received, data);
}

// OpenSSL 3 servers refuse a client's renegotiation unless SSL_OP_ALLOW_CLIENT_RENEGOTIATION is
// in their options: the refusal, and the option word reaching the real context, both show here.
TEST(OpenSslBackendRekey, ClientRenegotiationFollowsTheServersOptions) {
  for (bool allow : {false, true}) {
    SCOPED_TRACE(allow ? "allowed" : "refused");
    Link link(TLS1_2_VERSION);
    if (allow) link.server_ctx->SetOptions(SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
    link.Connect();
    ASSERT_TRUE(link.Handshake());
    DrainErrors();
    ASSERT_TRUE(link.client->Renegotiate());
    uint8_t byte;
    IoResult hs;
    for (int i = 0; i < 100; ++i) {
      hs = link.client->Handshake();
      if (hs.ret == 1 || !IsWant(hs)) break;
      link.server->Read(&byte, 1, false);
    }
    if (allow) {
      EXPECT_EQ(hs.ret, 1);
      EXPECT_EQ(link.client_observer.chains.size(), 2u);
    } else {
      EXPECT_EQ(hs.ssl_error, SSL_ERROR_SSL);
      EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_NO_RENEGOTIATION));
    }
  }
}

}  // namespace
}  // namespace sslshim::openssl_test
