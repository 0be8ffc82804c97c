// The BoringSSL backend end to end: two BackendConns (client and server) over in-memory "program
// BIOs", with a certificate made at test time by the openssl command. Everything goes through the
// Backend interface, exactly as the core drives it, and every number checked is OpenSSL 3's.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend_answers.h"
#include "boringssl_fake_program_bio.h"
#include "boringssl_test_credentials.h"
#include "boringssl_test_support.h"
#include "gtest/gtest.h"

namespace sslshim {
namespace {

using testing_support::ByteQueue;
using testing_support::Credentials;
using testing_support::FakeBio;
using testing_support::FakeBioOps;

// OpenSSL 3's numbers, as the program sees them.
constexpr int kErrorNone = 0, kErrorSsl = 1, kErrorWantRead = 2, kErrorWantWrite = 3;
constexpr int kErrorSyscall = 5, kErrorZeroReturn = 6;
constexpr int kLibSsl = 20;
constexpr int kTls12 = 0x0303, kTls13 = 0x0304;

// --- Observer ---------------------------------------------------------------------------------

// Records the info callbacks and the peer's chain; the optional hooks stay off, as in
// QuietObserver (EnableHooks is never called in these tests).
class RecordingObserver : public testing_support::QuietObserver {
 public:
  void OnInfo(int where, int ret) override { info.push_back({where, ret}); }
  VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>& chain_der) override {
    verify_calls++;
    last_chain = chain_der;
    return outcome;
  }
  bool SawInfo(int bits) const {
    return std::any_of(info.begin(), info.end(),
                       [&](const std::pair<int, int>& e) { return (e.first & bits) == bits; });
  }

  VerifyOutcome outcome{true, 0};
  int verify_calls = 0;
  std::vector<std::vector<uint8_t>> last_chain;
  std::vector<std::pair<int, int>> info;
};

bool HasError(const std::vector<ErrorRecord>& errors, int lib, int reason) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const ErrorRecord& e) { return e.lib == lib && e.reason == reason; });
}

std::string Describe(const std::vector<ErrorRecord>& errors) {
  std::string out;
  for (const ErrorRecord& e : errors) {
    out += "{" + std::to_string(e.lib) + "," + std::to_string(e.reason) + ",\"" + e.data + "\"} ";
  }
  return out;
}

// --- A client and a server over two byte queues -------------------------------------------------

class BoringSslBackendTest : public testing_support::BoringSslConnPairTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(MakeContexts(false, FakeBioOps()));
    EXPECT_STREQ(backend_->name(), "boringssl");
  }

  // Makes both connections, pinned to `version` (0: whatever they agree on).
  void Connect(int version) {
    if (version != 0) {
      for (BackendCtx* ctx : {client_ctx_.get(), server_ctx_.get()}) {
        ASSERT_TRUE(ctx->SetMinVersion(version));
        ASSERT_TRUE(ctx->SetMaxVersion(version));
      }
    }
    NewConns(&client_observer_, &server_observer_, &client_bio_, &server_bio_);
  }

  // Reads on `reader` until `want` bytes came or it would block with nothing new.
  std::vector<char> ReadAvailable(BackendConn* reader, size_t want) {
    std::vector<char> got;
    char buf[32768];
    while (got.size() < want) {
      IoResult r = reader->Read(buf, sizeof buf, false);
      if (r.ret <= 0) {
        EXPECT_EQ(r.ssl_error, kErrorWantRead);
        break;
      }
      got.insert(got.end(), buf, buf + r.ret);
    }
    return got;
  }

  ByteQueue client_to_server_, server_to_client_;
  FakeBio client_bio_{&server_to_client_, &client_to_server_};
  FakeBio server_bio_{&client_to_server_, &server_to_client_};
  RecordingObserver client_observer_, server_observer_;
};

class BoringSslVersionTest : public BoringSslBackendTest,
                             public ::testing::WithParamInterface<int> {};

TEST_P(BoringSslVersionTest, HandshakesAndMovesOneMebibyteByteExact) {
  const int version = GetParam();
  Connect(version);
  ASSERT_TRUE(Handshake());

  EXPECT_EQ(client_->VersionNumber(), version);
  EXPECT_STREQ(client_->Version(), version == kTls13 ? "TLSv1.3" : "TLSv1.2");
  std::string cipher = NegotiatedCipher(*client_).name;
  if (version == kTls13) {
    EXPECT_EQ(cipher.rfind("TLS_", 0), 0u) << cipher;
  } else {
    EXPECT_EQ(cipher.rfind("ECDHE-ECDSA-", 0), 0u) << cipher;  // OpenSSL's style, not IETF's
  }
  EXPECT_GE(NegotiatedCipher(*client_).bits, 128);
  EXPECT_TRUE(client_->IsInitFinished());
  EXPECT_FALSE(client_->IsServer());
  EXPECT_TRUE(server_->IsServer());

  // The client verified (through the core's hook) and saw the server's chain as DER.
  EXPECT_EQ(client_observer_.verify_calls, 1);
  ASSERT_EQ(client_observer_.last_chain.size(), 1u);
  EXPECT_EQ(client_observer_.last_chain[0], Credentials().cert_der);
  EXPECT_EQ(client_->PeerCertificateDer(), Credentials().cert_der);
  EXPECT_EQ(SessionVerifyResult(*client_), 0);
  EXPECT_EQ(server_observer_.verify_calls, 0);  // no client certificate was asked for

  // Info events in OpenSSL's numbering: SSL_CB_HANDSHAKE_START/DONE, SSL_ST_CONNECT/ACCEPT.
  EXPECT_TRUE(client_observer_.SawInfo(0x10));
  EXPECT_TRUE(client_observer_.SawInfo(0x20));
  EXPECT_TRUE(client_observer_.SawInfo(0x1000 | 0x01));
  EXPECT_TRUE(server_observer_.SawInfo(0x2000 | 0x01));

  // Each side's Finished is the other's peer Finished, at every version as in OpenSSL (BoringSSL
  // itself keeps them only for TLS <= 1.2; the backend records TLS 1.3's). The length is the
  // suite's hash's at TLS 1.3 (AES-128-GCM-SHA256 here), 12 bytes before.
  unsigned char mine[64], theirs[64];
  const size_t expected_len = version == kTls13 ? 32 : 12;
  ASSERT_EQ(client_->Finished(mine, sizeof mine), expected_len);
  ASSERT_EQ(server_->PeerFinished(theirs, sizeof theirs), expected_len);
  EXPECT_TRUE(std::equal(mine, mine + expected_len, theirs));
  ASSERT_EQ(server_->Finished(mine, sizeof mine), expected_len);
  ASSERT_EQ(client_->PeerFinished(theirs, sizeof theirs), expected_len);
  EXPECT_TRUE(std::equal(mine, mine + expected_len, theirs));
  EXPECT_EQ(client_->Finished(mine, 4), expected_len);  // the whole length, as OpenSSL answers

  // 1 MiB in 100000-byte writes over a 64 KiB transport: WANT_WRITE, drain, retry the same write.
  client_to_server_.capacity = 64 * 1024;
  std::vector<char> data(1 << 20);
  for (size_t i = 0; i < data.size(); i++) data[i] = static_cast<char>((i * 131) ^ (i >> 9));
  std::vector<char> received;
  size_t sent = 0;
  int want_writes = 0;
  for (int guard = 0; received.size() < data.size() && guard < 10000; guard++) {
    if (sent < data.size()) {
      int n = static_cast<int>(std::min<size_t>(100000, data.size() - sent));
      IoResult w = client_->Write(data.data() + sent, n);
      if (w.ret > 0) {
        ASSERT_EQ(w.ret, n);  // the whole write, without ENABLE_PARTIAL_WRITE
        ASSERT_EQ(w.ssl_error, kErrorNone);
        sent += static_cast<size_t>(n);
      } else {
        ASSERT_EQ(w.ssl_error, kErrorWantWrite);
        want_writes++;
      }
    }
    std::vector<char> got = ReadAvailable(server_.get(), data.size() - received.size());
    received.insert(received.end(), got.begin(), got.end());
  }
  EXPECT_GT(want_writes, 0);
  ASSERT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
  std::vector<ErrorRecord> errors;
  client_->TakeErrors(&errors);
  server_->TakeErrors(&errors);
  EXPECT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_GT(client_bio_.flushes, 0);  // BIO_CTRL_FLUSH reached the program's BIO
}

INSTANTIATE_TEST_SUITE_P(Tls12And13, BoringSslVersionTest, ::testing::Values(kTls12, kTls13),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return param_info.param == kTls13 ? std::string("TLS13") : "TLS12";
                         });

TEST_F(BoringSslBackendTest, FullTransportGivesWantWriteThenTheRetryCompletes) {
  Connect(kTls13);
  ASSERT_TRUE(Handshake());
  std::vector<char> data(16384, 'x');
  client_to_server_.capacity = client_to_server_.bytes.size() + 1000;
  IoResult w = client_->Write(data.data(), static_cast<int>(data.size()));
  EXPECT_EQ(w.ret, -1);
  EXPECT_EQ(w.ssl_error, kErrorWantWrite);
  std::vector<ErrorRecord> errors;
  client_->TakeErrors(&errors);
  EXPECT_TRUE(errors.empty()) << Describe(errors);

  client_to_server_.capacity = 1 << 20;  // the peer drains: room again
  w = client_->Write(data.data(), static_cast<int>(data.size()));
  EXPECT_EQ(w.ret, 16384);
  std::vector<char> got = ReadAvailable(server_.get(), data.size());
  EXPECT_TRUE(got == data);
}

TEST_F(BoringSslBackendTest, PartialWriteModeReturnsWholeRecords) {
  Connect(kTls12);
  ASSERT_TRUE(Handshake());
  client_->SetMode(0x1);  // OpenSSL's SSL_MODE_ENABLE_PARTIAL_WRITE
  std::vector<char> data(100000, 'p');
  IoResult w = client_->Write(data.data(), static_cast<int>(data.size()));
  EXPECT_GT(w.ret, 0);
  EXPECT_LE(w.ret, 16384);
  client_->SetMode(0);  // back to all-or-nothing
  size_t done = static_cast<size_t>(w.ret);
  w = client_->Write(data.data() + done, static_cast<int>(data.size() - done));
  EXPECT_EQ(w.ret, static_cast<int>(data.size() - done));
  EXPECT_EQ(ReadAvailable(server_.get(), data.size()).size(), data.size());
}

TEST_F(BoringSslBackendTest, WriteAfterOwnShutdownIsProtocolIsShutdown) {
  Connect(kTls13);
  ASSERT_TRUE(Handshake());
  IoResult s = client_->Shutdown();
  EXPECT_EQ(s.ret, 0);                   // close_notify sent, the peer's not yet received
  EXPECT_EQ(client_->GetShutdown(), 1);  // SSL_SENT_SHUTDOWN
  std::vector<ErrorRecord> errors;
  client_->TakeErrors(&errors);
  size_t before = client_to_server_.bytes.size();
  IoResult w = client_->Write("late", 4);
  EXPECT_EQ(w.ret, -1);
  EXPECT_EQ(w.ssl_error, kErrorSsl);
  errors.clear();
  client_->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 207)) << Describe(errors);  // SSL_R_PROTOCOL_IS_SHUTDOWN
  EXPECT_EQ(client_to_server_.bytes.size(), before);                // nothing on the wire

  // The server reads the close_notify: 0 and SSL_ERROR_ZERO_RETURN.
  char buf[16];
  IoResult r = server_->Read(buf, sizeof buf, false);
  EXPECT_EQ(r.ret, 0);
  EXPECT_EQ(r.ssl_error, kErrorZeroReturn);
  EXPECT_EQ(server_->GetShutdown() & 2, 2);  // SSL_RECEIVED_SHUTDOWN
}

TEST_F(BoringSslBackendTest, TransportEofWithoutCloseNotifyIsSyscall) {
  Connect(kTls12);
  ASSERT_TRUE(Handshake());
  client_bio_.eof = true;
  char buf[16];
  IoResult r = client_->Read(buf, sizeof buf, false);
  EXPECT_EQ(r.ret, 0);
  EXPECT_EQ(r.ssl_error, kErrorSyscall);
  EXPECT_EQ(r.sys_errno, 0);
}

TEST_F(BoringSslBackendTest, HandshakeWithoutARoleFailsWithOpenSslsReason) {
  std::unique_ptr<BackendCtx> either = backend_->NewCtx({Endpoint::kEither, 0, 0}, FakeBioOps());
  ASSERT_NE(either, nullptr);
  RecordingObserver observer;
  std::unique_ptr<BackendConn> conn = either->NewConn(&observer);
  ASSERT_NE(conn, nullptr);
  EXPECT_TRUE(conn->IsServer());  // as OpenSSL's SSL_new with TLS_method()
  FakeBio bio{&server_to_client_, &client_to_server_};
  conn->SetBio(&bio, &bio);
  IoResult h = conn->Handshake();
  EXPECT_EQ(h.ret, -1);
  EXPECT_EQ(h.ssl_error, kErrorSsl);
  std::vector<ErrorRecord> errors;
  conn->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 144)) << Describe(errors);  // CONNECTION_TYPE_NOT_SET
  EXPECT_TRUE(client_to_server_.bytes.empty());
  conn.reset();
  EXPECT_TRUE(bio.freed);
}

TEST_F(BoringSslBackendTest, RejectedPeerFailsWithOpenSslsReasonAndAlert) {
  client_observer_.outcome = {false, 20};  // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
  Connect(kTls13);
  EXPECT_FALSE(Handshake());
  std::vector<ErrorRecord> client_errors, server_errors;
  client_->TakeErrors(&client_errors);
  EXPECT_TRUE(HasError(client_errors, kLibSsl, 134)) << Describe(client_errors);
  // The server got the alert OpenSSL would send for that result: unknown_ca.
  char buf[16];
  server_->Read(buf, sizeof buf, false);
  server_->TakeErrors(&server_errors);
  EXPECT_TRUE(HasError(server_errors, kLibSsl, 1048)) << Describe(server_errors);
}

TEST_F(BoringSslBackendTest, ServerAsksForClientCertificateOnlyWithVerifyPeer) {
  server_ctx_->SetVerify(0x1 | 0x2);  // SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
  Connect(kTls12);
  EXPECT_FALSE(Handshake());  // the client has no certificate
  std::vector<ErrorRecord> errors;
  server_->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 199)) << Describe(errors);  // PEER_DID_NOT_RETURN_A_CERT
}

TEST_F(BoringSslBackendTest, ClientCertificateReachesTheServersHook) {
  ASSERT_TRUE(client_ctx_->UseCertificateChain({Credentials().cert_der, Credentials().cert_der}));
  ASSERT_TRUE(client_ctx_->UsePrivateKey(Credentials().key_sec1_der));  // traditional encoding
  server_ctx_->SetVerify(0x1 | 0x4);  // PEER | CLIENT_ONCE (must not become PEER_IF_NO_OBC)
  Connect(kTls13);
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(server_observer_.verify_calls, 1);
  ASSERT_EQ(server_observer_.last_chain.size(), 2u);
  EXPECT_EQ(server_->PeerCertificateDer(), Credentials().cert_der);
}

TEST_F(BoringSslBackendTest, MismatchedKeyIsRefused) {
  ASSERT_TRUE(client_ctx_->UseCertificateChain({Credentials().cert_der}));
  // BoringSSL refuses a key that does not match the certificate.
  EXPECT_FALSE(client_ctx_->UsePrivateKey(Credentials().other_key_der));
  std::vector<ErrorRecord> errors;
  client_ctx_->TakeErrors(&errors);
  EXPECT_FALSE(errors.empty());
  EXPECT_FALSE(client_ctx_->UsePrivateKey({1, 2, 3}));
}

TEST_F(BoringSslBackendTest, ContextSettingsReportOpenSslErrors) {
  EXPECT_FALSE(client_ctx_->SetCipherList("NOT-A-CIPHER"));
  std::vector<ErrorRecord> errors;
  client_ctx_->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 185)) << Describe(errors);  // SSL_R_NO_CIPHER_MATCH
  // Tolerant like OpenSSL: unknown words are skipped while something usable remains.
  EXPECT_TRUE(client_ctx_->SetCipherList("NOT-A-CIPHER:ECDHE-ECDSA-AES128-GCM-SHA256"));

  EXPECT_TRUE(client_ctx_->SetCiphersuites(
      "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"));
  EXPECT_FALSE(client_ctx_->SetCiphersuites("TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"));
  EXPECT_FALSE(client_ctx_->SetCiphersuites("TLS_AES_128_CCM_SHA256"));
  EXPECT_TRUE(client_ctx_->SetGroups("X25519:prime256v1"));
  EXPECT_FALSE(client_ctx_->SetGroups("X448"));
  errors.clear();
  client_ctx_->TakeErrors(&errors);
  ASSERT_EQ(errors.size(), 3u) << Describe(errors);
  EXPECT_EQ(errors[0].lib, kLibSsl);
  EXPECT_NE(errors[0].data.find("cannot leave out"), std::string::npos);
  EXPECT_NE(errors[1].data.find("TLS_AES_128_CCM_SHA256"), std::string::npos);
  EXPECT_NE(errors[2].data.find("X448"), std::string::npos);

  EXPECT_TRUE(client_ctx_->SetMinVersion(kTls12));
  EXPECT_FALSE(client_ctx_->SetMaxVersion(0x0300));  // SSL 3.0
  EXPECT_FALSE(client_ctx_->SetMaxVersion(0x7777));
  const uint8_t alpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  EXPECT_TRUE(client_ctx_->SetAlpnProtos(alpn, sizeof alpn));
}

TEST_F(BoringSslBackendTest, NoTls13OptionCapsTheVersion) {
  const uint64_t kNoTls13 = uint64_t{1} << 29;
  server_ctx_->SetOptions(kNoTls13);
  Connect(0);
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(client_->VersionNumber(), kTls12);
}

TEST_F(BoringSslBackendTest, KeyUpdateIsQueuedAndDataStillFlows) {
  Connect(kTls13);
  ASSERT_TRUE(Handshake());
  EXPECT_TRUE(client_->KeyUpdate(1));  // SSL_KEY_UPDATE_REQUESTED
  IoResult w = client_->Write("after-update", 12);
  ASSERT_EQ(w.ret, 12);
  std::vector<char> got = ReadAvailable(server_.get(), 12);
  EXPECT_EQ(std::string(got.begin(), got.end()), "after-update");
  ASSERT_EQ(server_->Write("reply", 5).ret, 5);  // carries the server's answering KeyUpdate
  got = ReadAvailable(client_.get(), 5);
  EXPECT_EQ(std::string(got.begin(), got.end()), "reply");

  EXPECT_FALSE(client_->KeyUpdate(7));
  std::vector<ErrorRecord> errors;
  client_->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 120)) << Describe(errors);  // INVALID_KEY_UPDATE_TYPE
}

TEST_F(BoringSslBackendTest, KeyUpdateAndRenegotiateRefusalsUseOpenSslReasons) {
  Connect(kTls12);
  ASSERT_TRUE(Handshake());
  std::vector<ErrorRecord> errors;
  EXPECT_FALSE(client_->KeyUpdate(0));
  client_->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 266)) << Describe(errors);  // WRONG_SSL_VERSION

  errors.clear();
  EXPECT_FALSE(server_->Renegotiate());
  server_->TakeErrors(&errors);
  ASSERT_TRUE(HasError(errors, kLibSsl, 339)) << Describe(errors);  // NO_RENEGOTIATION
  EXPECT_NE(errors[0].data.find("BoringSSL servers cannot renegotiate"), std::string::npos);
}

// --- Program BIO ownership: OpenSSL's SSL_set_bio rules -----------------------------------------

TEST_F(BoringSslBackendTest, OneBioForBothDirectionsIsFreedOnce) {
  Connect(kTls13);
  EXPECT_EQ(client_->rbio(), &client_bio_);
  EXPECT_EQ(client_->wbio(), &client_bio_);
  EXPECT_EQ(client_bio_.refs, 2);  // the caller's one reference, made two for the two slots
  client_.reset();
  EXPECT_EQ(client_bio_.refs, 0);
  EXPECT_TRUE(client_bio_.freed);
}

TEST_F(BoringSslBackendTest, ReplacingBiosReleasesTheOldOnes) {
  Connect(kTls13);
  FakeBio read_bio{&server_to_client_, &client_to_server_};
  FakeBio write_a{&server_to_client_, &client_to_server_};
  FakeBio write_b{&server_to_client_, &client_to_server_};
  client_->SetBio(&read_bio, &write_a);
  EXPECT_TRUE(client_bio_.freed);  // both slots held it
  EXPECT_EQ(read_bio.refs, 1);
  EXPECT_EQ(write_a.refs, 1);
  client_->SetBio(&read_bio, &write_b);  // only the wbio changes: one reference adopted
  EXPECT_TRUE(write_a.freed);
  EXPECT_EQ(read_bio.refs, 1);
  client_->SetBio(&read_bio, &write_b);  // nothing changes: nothing taken, nothing freed
  EXPECT_EQ(write_b.refs, 1);
  client_.reset();
  EXPECT_TRUE(read_bio.freed);
  EXPECT_TRUE(write_b.freed);
}

}  // namespace
}  // namespace sslshim
