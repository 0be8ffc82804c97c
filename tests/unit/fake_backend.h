// A scriptable backend for the core's unit tests: it records what the semantics layer asks of
// it and answers with what the test queued, so the contract's rules are tested on their own.
#pragma once

#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"

namespace sslshim::testing {

struct WriteCall {
  const void* buf;
  int num;
};

class FakeConn : public BackendConn {
 public:
  std::deque<IoResult> write_results;     // answered in order; {num, 0} when empty
  std::deque<IoResult> read_results;      // answered in order; WANT_READ when empty
  std::deque<IoResult> shutdown_results;  // answered in order, after marking close_notify sent
  std::deque<IoResult> flush_results;     // FlushPendingWrite, in order; {1, 0} when empty
  int flush_calls = 0;
  int key_updates = 0;  // KeyUpdate calls
  std::vector<WriteCall> writes;
  std::vector<ErrorRecord> pending_errors;
  std::vector<std::pair<void*, void*>> set_bio_calls;
  bool init_finished = true;
  int shutdown = 0;
  long mode = 0;
  uint32_t hooks = 0;
  int min_version = 0;
  int max_version = 0;
  void* r = nullptr;
  void* w = nullptr;
  const ProgramBioOps* ops = nullptr;

  ~FakeConn() override { SetBio(nullptr, nullptr); }
  void SetConnectState() override {}
  void SetAcceptState() override {}
  bool IsServer() const override { return false; }
  // OpenSSL's SSL_set_bio rules for the plain cases the core uses (see core/bio_binding.h).
  void SetBio(void* rbio, void* wbio) override {
    set_bio_calls.emplace_back(rbio, wbio);
    if (rbio == nullptr && wbio == nullptr) {
      if (r != nullptr) ops->free_all(r);
      if (w != nullptr) ops->free_all(w);
    } else if (rbio == wbio) {
      ops->up_ref(rbio);
    }
    r = rbio;
    w = wbio;
  }
  void* rbio() const override { return r; }
  void* wbio() const override { return w; }
  // The next answers of Handshake() (then: done, and the handshake finished), and the count.
  std::deque<IoResult> handshake_results;
  int handshake_calls = 0;
  IoResult Handshake() override {
    ++handshake_calls;
    if (handshake_results.empty()) {
      init_finished = true;
      return {1, 0, 0};
    }
    IoResult next = handshake_results.front();
    handshake_results.pop_front();
    return next;
  }
  IoResult Write(const void* buf, int num) override {
    writes.push_back({buf, num});
    if (write_results.empty()) return {num, 0, 0};
    IoResult result = write_results.front();
    write_results.pop_front();
    return result;
  }
  IoResult FlushPendingWrite() override {
    ++flush_calls;
    return Next(&flush_results, {1, 0, 0});
  }
  IoResult Read(void*, int, bool) override { return Next(&read_results, {-1, 2, 0}); }
  IoResult Shutdown() override {
    shutdown |= 1;
    return Next(&shutdown_results, {0, 0, 0});
  }
  int Pending() const override { return 0; }
  bool HasPending() const override { return false; }
  void SetReadAhead(bool) override {}
  bool IsInitFinished() const override { return init_finished; }
  int GetShutdown() const override { return shutdown; }
  void SetShutdown(int m) override { shutdown = m; }
  bool Renegotiate() override { return false; }
  bool KeyUpdate(int) override {
    ++key_updates;
    return true;
  }
  void SetMode(long m) override { mode = m; }
  bool SetHostName(const char*) override { return true; }
  void SetVerify(int) override {}
  const char* Version() const override { return "TLSv1.3"; }
  int VersionNumber() const override { return 0x0304; }
  size_t Finished(void*, size_t) const override { return 0; }
  size_t PeerFinished(void*, size_t) const override { return 0; }
  std::vector<uint8_t> PeerCertificateDer() const override { return {}; }
  std::vector<std::vector<uint8_t>> PeerChainDer() const override { return {}; }
  void EnableHooks(uint32_t bits) override { hooks = bits; }
  void SetOptions(uint64_t) override {}
  bool SetCipherList(const char*) override { return true; }
  bool UseCertificateChain(const std::vector<std::vector<uint8_t>>&) override { return true; }
  bool UsePrivateKey(const std::vector<uint8_t>&) override { return true; }
  bool SwitchCtx(BackendCtx*) override { return true; }
  bool SetClientCaNames(const std::vector<std::vector<uint8_t>>&) override { return true; }
  void SetQuietShutdown(bool) override {}
  bool SetMinVersion(int version) override {
    min_version = version;
    return true;
  }
  bool SetMaxVersion(int version) override {
    max_version = version;
    return true;
  }
  bool SetCiphersuites(const char*) override { return true; }
  bool SetGroups(const char*) override { return true; }
  bool SetSignatureAlgorithms(const std::vector<uint16_t>&) override { return true; }
  bool SetClientSignatureAlgorithms(const std::vector<uint16_t>&) override { return true; }
  bool SetMaxSendFragment(size_t) override { return true; }
  void SetMaxCertList(size_t) override {}
  bool ExtendedMasterSecret() const override { return false; }
  bool SetSecurityLevel(int) override { return true; }
  bool Clear() override {
    shutdown = 0;
    return true;
  }
  bool CurrentCipher(CipherInfo*) const override { return false; }
  std::vector<CipherInfo> Ciphers() const override { return {}; }
  std::vector<uint8_t> AlpnSelected() const override { return {}; }
  std::vector<uint8_t> NextProtoNegotiated() const override { return {}; }
  bool SetAlpnProtos(const uint8_t*, size_t) override { return true; }
  bool SetSessionIdContext(const uint8_t*, size_t) override { return true; }
  bool CopyCertificateAndSessionIdContext(const BackendConn&) override { return true; }
  void Randoms(uint8_t client[kRandomSize], uint8_t server[kRandomSize]) const override {
    std::memset(client, 0, kRandomSize);
    std::memset(server, 0, kRandomSize);
  }
  int ExportKeyingMaterial(uint8_t*, size_t, const char*, size_t, const uint8_t*, size_t,
                           bool) override {
    return -1;
  }
  std::string ServerName() const override { return ""; }
  const char* StateString(bool) const override { return "fake"; }
  HandshakeState handshake_state = HandshakeState::kBefore;
  HandshakeState GetHandshakeState() const override { return handshake_state; }
  bool InBefore() const override { return true; }
  std::vector<uint16_t> PeerCipherSuites() const override { return {}; }
  std::vector<uint16_t> PeerGroups() const override { return {}; }
  std::vector<uint16_t> SharedGroups() const override { return {}; }
  bool PeerEcPointFormats(std::vector<uint8_t>*) const override { return false; }
  bool PeerKeyShare(uint16_t*, std::vector<uint8_t>*) const override { return false; }
  bool PeerCertificateTypes(std::vector<uint8_t>*) const override { return false; }
  std::vector<uint8_t> StatusRequestExtensionsDer() const override { return {}; }
  int ClientVersion() const override { return 0; }
  bool FindCipher(uint16_t, CipherInfo*) const override { return false; }
  bool SetPsk(bool, bool, const char*) override { return true; }
  bool PskIdentity(std::string*) const override { return false; }
  bool PskIdentityHint(std::string*) const override { return false; }
  bool HasTls13ExternalPsk() const override { return true; }
  uint16_t PeerSignatureScheme() const override { return 0; }
  std::vector<uint16_t> PeerSignatureSchemes() const override { return {}; }
  std::vector<std::vector<uint8_t>> PeerCaNamesDer() const override { return {}; }
  bool SecureRenegotiationSupported() const override { return false; }
  int TotalRenegotiations() const override { return 0; }
  uint16_t NegotiatedGroup() const override { return 0; }
  std::unique_ptr<BackendSession> Get1Session() const override { return nullptr; }
  bool SetSession(const BackendSession*) override { return true; }
  bool SessionReused() const override { return false; }
  void TakeErrors(std::vector<ErrorRecord>* out) override {
    out->insert(out->end(), pending_errors.begin(), pending_errors.end());
    pending_errors.clear();
  }

 private:
  static IoResult Next(std::deque<IoResult>* queued, IoResult otherwise) {
    if (queued->empty()) return otherwise;
    IoResult result = queued->front();
    queued->pop_front();
    return result;
  }
};

class FakeCtx : public BackendCtx {
 public:
  explicit FakeCtx(const ProgramBioOps* ops) : ops_(ops) {}
  std::unique_ptr<BackendConn> NewConn(ConnObserver*) override {
    auto conn = std::make_unique<FakeConn>();
    conn->ops = ops_;
    last_conn = conn.get();
    return conn;
  }
  bool SetMinVersion(int) override { return true; }
  bool SetMaxVersion(int) override { return true; }
  bool SetMethod(const MethodSpec&) override { return true; }
  void SetOptions(uint64_t) override {}
  bool SetCipherList(const char*) override { return true; }
  bool SetCiphersuites(const char*) override { return true; }
  bool SetGroups(const char*) override { return true; }
  bool SetSignatureAlgorithms(const std::vector<uint16_t>&) override { return true; }
  bool SetClientSignatureAlgorithms(const std::vector<uint16_t>&) override { return true; }
  bool SetMaxSendFragment(size_t) override { return true; }
  void SetMaxCertList(size_t) override {}
  bool SetSecurityLevel(int) override { return true; }
  bool UseCertificateChain(const std::vector<std::vector<uint8_t>>&) override { return true; }
  bool UsePrivateKey(const std::vector<uint8_t>&) override { return true; }
  void SetVerify(int) override {}
  void SetSessionCacheMode(long) override {}
  bool SetAlpnProtos(const uint8_t*, size_t) override { return true; }
  void EnableNextProtoCallbacks(bool, bool) override {}
  bool SetClientCaNames(const std::vector<std::vector<uint8_t>>&) override { return true; }
  bool SetSessionIdContext(const uint8_t*, size_t) override { return true; }
  void SetSessionTimeout(long) override {}
  bool SetNumTickets(size_t) override { return true; }
  void SetRemoveSessionCallback(bool) override {}
  std::vector<std::unique_ptr<BackendSession>> FlushSessions(long) override { return {}; }
  std::vector<std::unique_ptr<BackendSession>> CachedSessions() const override { return {}; }
  bool RemoveSession(const BackendSession*) override { return false; }
  void TakeErrors(std::vector<ErrorRecord>*) override {}

  FakeConn* last_conn = nullptr;

 private:
  const ProgramBioOps* ops_;
};

class FakeBackend : public Backend {
 public:
  const char* name() const override { return "fake"; }
  std::unique_ptr<BackendCtx> NewCtx(const MethodSpec&, const ProgramBioOps* ops) override {
    auto ctx = std::make_unique<FakeCtx>(ops);
    last_ctx = ctx.get();
    return ctx;
  }
  void TakeErrors(std::vector<ErrorRecord>*) override {}
  std::unique_ptr<BackendSession> ParseSession(const uint8_t*, size_t) override { return nullptr; }
  std::unique_ptr<BackendSession> NewSession() override { return nullptr; }
  FakeCtx* last_ctx = nullptr;
};

// The process's backend in the core tests (the factories below return it).
FakeBackend* TheFakeBackend();

}  // namespace sslshim::testing
