// One context of the OpenSSL backend: a real libssl SSL_CTX, driven through the RealLibssl table.
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "backend/backend.h"
#include "real_libssl.h"

namespace sslshim::openssl_backend {

// The real libssl's method for `method`: the flexible one, or the version-specific one for a
// version it pins. nullptr for none.
const SSL_METHOD* RealMethodFor(const RealLibssl& real, const MethodSpec& method);

class OpenSslCtx final : public BackendCtx {
 public:
  // A new SSL_CTX for `method`, or nullptr (errors on the program's queue) when libssl refuses.
  // `propq`: SSL_CTX_new_ex's property query, nullptr for none (SSL_CTX_new).
  static std::unique_ptr<OpenSslCtx> Create(const RealLibssl& real, const MethodSpec& method,
                                            const char* propq = nullptr);
  ~OpenSslCtx() override;
  OpenSslCtx(const OpenSslCtx&) = delete;
  OpenSslCtx& operator=(const OpenSslCtx&) = delete;

  SSL_CTX* ssl_ctx() const { return ctx_; }  // for SSL_set_SSL_CTX

  std::unique_ptr<BackendConn> NewConn(ConnObserver* observer) override;

  bool SetMinVersion(int version) override;
  bool SetMaxVersion(int version) override;
  bool SetMethod(const MethodSpec& method) override;
  void SetOptions(uint64_t openssl_options) override;
  bool SetCipherList(const char* list) override;
  bool SetCiphersuites(const char* list) override;
  bool SetGroups(const char* list) override;
  bool SetSignatureAlgorithms(const std::vector<uint16_t>& codes) override;
  bool SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) override;
  bool SetMaxSendFragment(size_t max) override;
  void SetMaxCertList(size_t max) override;
  bool SetSecurityLevel(int level) override;
  bool UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) override;
  bool UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) override;
  void SetVerify(int mode) override;
  void SetSessionCacheMode(long mode) override;
  bool SetAlpnProtos(const uint8_t* wire, size_t len) override;
  // openssl_srtp.cc
  bool SetSrtpProfiles(const char* profiles) override;
  bool SetBlockPadding(size_t block_size) override;
  void EnableNextProtoCallbacks(bool advertise, bool select) override;
  bool SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) override;
  bool SetSessionIdContext(const uint8_t* sid_ctx, size_t len) override;
  void SetSessionTimeout(long seconds) override;
  bool SetNumTickets(size_t n) override;
  bool SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) override;
  void SetDefaultReadBufferLength(size_t len) override;
  bool SetTicketKeyCallback(TicketKeyCallback kind) override;
  bool AddSession(const BackendSession* session) override;
  bool RemoveSession(const BackendSession* session) override;
  // openssl_session_cache.cc
  void SetRemoveSessionCallback(bool set) override;
  std::vector<std::unique_ptr<BackendSession>> FlushSessions(long time) override;
  std::vector<std::unique_ptr<BackendSession>> CachedSessions() const override;
  bool SetMaxEarlyData(uint32_t max) override;  // openssl_early_data.cc
  uint32_t MaxEarlyData() const override;
  bool SetRecvMaxEarlyData(uint32_t max) override;
  uint32_t RecvMaxEarlyData() const override;

  void TakeErrors(std::vector<ErrorRecord>* out) override;

 private:
  OpenSslCtx(const RealLibssl& real, SSL_CTX* ctx);

  const RealLibssl& real_;
  SSL_CTX* const ctx_;
  // The options word the core last gave; see SetOptions.
  uint64_t options_from_core_ = 0;
};

}  // namespace sslshim::openssl_backend
