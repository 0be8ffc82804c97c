// What the BoringSSL backend's end-to-end unit tests share: an observer that accepts every peer
// and answers no optional hook, the handshake-driving loop, and a fixture holding the backend, a
// client and a server context (the server with the test certificate) and one connection of each.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "gtest/gtest.h"

namespace sslshim::testing_support {

// Accepts every peer; the optional hooks stay off (EnableHooks is never called with it).
class QuietObserver : public ConnObserver {
 public:
  void OnInfo(int, int) override {}
  VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>&) override { return {true, 0}; }
  void OnKeyLog(const char*) override {}
  void OnMessage(int, int, int, const void*, size_t) override {}
  bool OnNewSession(std::unique_ptr<BackendSession>) override { return false; }
  int SelectAlpn(const uint8_t*, size_t, const uint8_t**, uint8_t*) override { return 3; }
  int OnServerName(int*) override { return 0; }
  int OnCertificateNeeded() override { return 1; }
  int OnClientHello(const ClientHelloView&, int*) override { return kClientHelloSuccess; }
  int AdvertiseNextProtos(const uint8_t**, unsigned*) override { return 3; }
  int SelectNextProto(uint8_t**, uint8_t*, const uint8_t*, unsigned) override { return 2; }
};

// SSL_ERROR_WANT_READ or SSL_ERROR_WANT_WRITE (OpenSSL 3's numbers): the call only has to wait.
bool IsWant(const IoResult& r);

// Steps both sides until both finish (at most 50 rounds); false if either fails with anything but
// WANT_READ/WANT_WRITE.
bool HandshakeBoth(BackendConn* client, BackendConn* server);

class BoringSslConnPairTest : public ::testing::Test {
 protected:
  // The BoringSSL backend, and a client and a server context of TLS (or, with `datagram`, DTLS)
  // over `bio_ops`, the server holding Credentials()' self-signed certificate and key. Call it
  // in ASSERT_NO_FATAL_FAILURE.
  void MakeContexts(bool datagram, const ProgramBioOps* bio_ops);

  // A fresh client_ and server_ from the contexts, each in its role and over its program BIO.
  void NewConns(ConnObserver* client_observer, ConnObserver* server_observer, void* client_bio,
                void* server_bio);

  bool Handshake() { return HandshakeBoth(client_.get(), server_.get()); }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendCtx> client_ctx_, server_ctx_;
  std::unique_ptr<BackendConn> client_, server_;
};

}  // namespace sslshim::testing_support
