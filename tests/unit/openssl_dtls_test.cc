// The OpenSSL backend's DTLS: a DTLS method reaches the real libssl's DTLS (through the dlvsym
// table), and its timer and MTU calls are the real libssl's answers. Client and server talk over
// a non-blocking socketpair(AF_UNIX, SOCK_DGRAM) with the real libssl's socket BIOs.
#include <fcntl.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "gtest/gtest.h"
#include "openssl_test_support.h"

namespace sslshim::openssl_test {
namespace {

class OpenSslDtls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, fds_), 0);
    for (int fd : fds_) ASSERT_EQ(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
    server_ctx_ = OpenSsl().NewCtx({Endpoint::kServer, 0, 0, true}, nullptr);
    client_ctx_ = OpenSsl().NewCtx({Endpoint::kClient, 0, 0, true}, nullptr);
    ASSERT_NE(server_ctx_, nullptr);
    ASSERT_NE(client_ctx_, nullptr);
    ASSERT_TRUE(server_ctx_->UseCertificateChain({Pki().server.cert_der, Pki().ca.cert_der}));
    ASSERT_TRUE(server_ctx_->UsePrivateKey(Pki().server.key_pkcs8));
    // OpenSSL keeps an MTU set with SSL_set_mtu through the handshake only with
    // SSL_OP_NO_QUERY_MTU (without it, the handshake asks the BIO again).
    client_ctx_->SetOptions(SSL_OP_NO_COMPRESSION | SSL_OP_NO_QUERY_MTU);
    client_ = client_ctx_->NewConn(&observer_);
    server_ = server_ctx_->NewConn(&observer_);
    client_->SetConnectState();
    server_->SetAcceptState();
    BIO* client_bio = BIO_new_socket(fds_[0], BIO_NOCLOSE);
    BIO* server_bio = BIO_new_socket(fds_[1], BIO_NOCLOSE);
    client_->SetBio(client_bio, client_bio);
    server_->SetBio(server_bio, server_bio);
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    for (int fd : fds_) close(fd);
  }

  bool Handshake() {
    for (int i = 0; i < 100; ++i) {
      IoResult c = client_->Handshake();
      if (c.ret != 1 && !IsWant(c)) return false;
      IoResult s = server_->Handshake();
      if (s.ret != 1 && !IsWant(s)) return false;
      if (c.ret == 1 && s.ret == 1) return true;
    }
    return false;
  }

  int fds_[2] = {-1, -1};
  RecordingObserver observer_;
  std::unique_ptr<BackendCtx> server_ctx_, client_ctx_;
  std::unique_ptr<BackendConn> client_, server_;
};

TEST_F(OpenSslDtls, HandshakesAtDtls12AndMovesRecordsAsDatagrams) {
  EXPECT_EQ(client_->DtlsDataMtu(), 0u);  // no cipher yet
  ASSERT_TRUE(client_->DtlsSetMtu(1000));
  EXPECT_FALSE(client_->DtlsSetMtu(100));  // under the floor
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(client_->VersionNumber(), DTLS1_2_VERSION);
  EXPECT_STREQ(server_->Version(), "DTLSv1.2");
  // The data MTU at the MTU set, less the record's overhead.
  size_t data_mtu = client_->DtlsDataMtu();
  EXPECT_GT(data_mtu, 900u);
  EXPECT_LT(data_mtu, 1000u);

  const std::string messages[] = {"one", std::string(5000, 'x'), "three"};
  for (const std::string& m : messages) {
    ASSERT_EQ(client_->Write(m.data(), static_cast<int>(m.size())).ret, static_cast<int>(m.size()));
  }
  char buf[20000];
  for (const std::string& m : messages) {
    IoResult r = server_->Read(buf, sizeof buf, false);
    ASSERT_EQ(r.ret, static_cast<int>(m.size()));
    EXPECT_EQ(std::string(buf, static_cast<size_t>(r.ret)), m);
  }
  long seconds = 0, microseconds = 0;
  EXPECT_FALSE(client_->DtlsGetTimeout(&seconds, &microseconds));  // no timer after the handshake
  EXPECT_EQ(client_->DtlsHandleTimeout(), 0);
}

TEST_F(OpenSslDtls, ClientTimerRunsWhileItWaitsForTheServer) {
  ASSERT_TRUE(client_->DtlsSetMtu(1000));  // with SSL_OP_NO_QUERY_MTU, OpenSSL needs one
  IoResult c = client_->Handshake();
  ASSERT_EQ(c.ssl_error, SSL_ERROR_WANT_READ);
  long seconds = -1, microseconds = -1;
  ASSERT_TRUE(client_->DtlsGetTimeout(&seconds, &microseconds));
  EXPECT_LE(seconds * 1000000 + microseconds, 1000000);  // OpenSSL's first timeout: 1 s
  EXPECT_EQ(client_->DtlsHandleTimeout(), 0);            // not due yet
}

TEST_F(OpenSslDtls, DtlsBoundsAndTlsConnections) {
  EXPECT_TRUE(client_ctx_->SetMinVersion(DTLS1_VERSION));
  EXPECT_TRUE(client_ctx_->SetMaxVersion(DTLS1_2_VERSION));
  std::unique_ptr<BackendCtx> tls = OpenSsl().NewCtx({Endpoint::kClient, 0, 0}, nullptr);
  ASSERT_NE(tls, nullptr);
  std::unique_ptr<BackendConn> conn = tls->NewConn(&observer_);
  EXPECT_FALSE(conn->DtlsSetMtu(1000));  // TLS: 0, as SSL_set_mtu answers
  DrainErrors();
}

}  // namespace
}  // namespace sslshim::openssl_test
