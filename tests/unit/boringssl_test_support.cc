#include "boringssl_test_support.h"

#include <string>

#include "boringssl_test_credentials.h"

namespace sslshim::testing_support {

namespace {
constexpr int kErrorWantRead = 2, kErrorWantWrite = 3;  // SSL_ERROR_WANT_READ, _WANT_WRITE
}  // namespace

bool IsWant(const IoResult& r) {
  return r.ret <= 0 && (r.ssl_error == kErrorWantRead || r.ssl_error == kErrorWantWrite);
}

bool HandshakeBoth(BackendConn* client, BackendConn* server) {
  for (int step = 0; step < 50; step++) {
    IoResult c = client->Handshake();
    IoResult s = server->Handshake();
    if (c.ret == 1 && s.ret == 1) return true;
    if ((c.ret != 1 && !IsWant(c)) || (s.ret != 1 && !IsWant(s))) return false;
  }
  return false;
}

void BoringSslConnPairTest::MakeContexts(bool datagram, const ProgramBioOps* bio_ops) {
  ASSERT_FALSE(Credentials().cert_der.empty()) << "the openssl command could not make a cert";
  std::string why;
  backend_ = MakeBoringSslBackend(&why);
  ASSERT_NE(backend_, nullptr) << why;
  client_ctx_ = backend_->NewCtx({Endpoint::kClient, 0, 0, datagram}, bio_ops);
  server_ctx_ = backend_->NewCtx({Endpoint::kServer, 0, 0, datagram}, bio_ops);
  ASSERT_NE(client_ctx_, nullptr);
  ASSERT_NE(server_ctx_, nullptr);
  ASSERT_TRUE(server_ctx_->UseCertificateChain({Credentials().cert_der}));
  ASSERT_TRUE(server_ctx_->UsePrivateKey(Credentials().key_pkcs8_der));
}

void BoringSslConnPairTest::NewConns(ConnObserver* client_observer, ConnObserver* server_observer,
                                     void* client_bio, void* server_bio) {
  client_ = client_ctx_->NewConn(client_observer);
  server_ = server_ctx_->NewConn(server_observer);
  ASSERT_NE(client_, nullptr);
  ASSERT_NE(server_, nullptr);
  client_->SetConnectState();
  server_->SetAcceptState();
  client_->SetBio(client_bio, client_bio);
  server_->SetBio(server_bio, server_bio);
}

}  // namespace sslshim::testing_support
