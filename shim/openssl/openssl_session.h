// A session of the OpenSSL backend: one reference to a real libssl SSL_SESSION.
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "backend/backend.h"
#include "real_libssl.h"

namespace sslshim::openssl_backend {

class OpenSslSession final : public BackendSession {
 public:
  // Takes a new reference to `session` (the caller keeps its own).
  static std::unique_ptr<OpenSslSession> Share(const RealLibssl& real, SSL_SESSION* session);
  // Takes over the caller's reference to `session`.
  static std::unique_ptr<OpenSslSession> Adopt(const RealLibssl& real, SSL_SESSION* session);
  // d2i_SSL_SESSION of what Serialize wrote; nullptr (libssl's reason on the queue) if it cannot.
  static std::unique_ptr<OpenSslSession> Parse(const RealLibssl& real, const uint8_t* der,
                                               size_t len);
  ~OpenSslSession() override;
  OpenSslSession(const OpenSslSession&) = delete;
  OpenSslSession& operator=(const OpenSslSession&) = delete;

  SSL_SESSION* get() const { return session_; }

  std::vector<uint8_t> Serialize() const override;  // i2d_SSL_SESSION
  std::vector<uint8_t> Id() const override;
  bool SetId(const uint8_t* id, size_t len) override;
  bool SetIdContext(const uint8_t* sid_ctx, size_t len) override;
  bool SetProtocolVersion(int version) override;
  bool SetCipher(uint16_t value) override;
  bool SetMasterKey(const uint8_t* key, size_t len) override;
  long Time() const override;
  long Timeout() const override;
  void SetTime(long time) override;
  void SetTimeout(long timeout) override;
  bool HasTicket() const override;
  unsigned long TicketLifetimeHint() const override;
  int ProtocolVersion() const override;
  std::string Hostname() const override;
  bool SetHostname(const std::string& hostname) override;
  std::vector<uint8_t> AlpnSelected() const override;
  bool SetAlpnSelected(const std::vector<uint8_t>& alpn) override;
  bool IsResumable() const override;
  size_t MasterKey(uint8_t out[kMaxMasterKeyLength]) const override;
  Facts Describe() const override;
  uint32_t MaxEarlyData() const override;  // openssl_early_data.cc
  std::unique_ptr<BackendSession> WithMaxEarlyData(uint32_t max) const override;

 private:
  OpenSslSession(const RealLibssl& real, SSL_SESSION* session) : real_(real), session_(session) {}

  const RealLibssl& real_;
  SSL_SESSION* const session_;  // one reference, ours
};

}  // namespace sslshim::openssl_backend
