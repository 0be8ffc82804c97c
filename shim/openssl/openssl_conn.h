// One connection of the OpenSSL backend: a real libssl SSL, driven through the RealLibssl table.
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "backend/backend.h"
#include "real_libssl.h"

namespace sslshim::openssl_backend {

class OpenSslConn final : public BackendConn {
 public:
  // A new SSL from `ctx`, or nullptr (errors on the program's queue) when libssl refuses one.
  static std::unique_ptr<OpenSslConn> Create(const RealLibssl& real, SSL_CTX* ctx,
                                             ConnObserver* observer);
  ~OpenSslConn() override;
  OpenSslConn(const OpenSslConn&) = delete;
  OpenSslConn& operator=(const OpenSslConn&) = delete;

  // The connection the real libssl is calling back about (info and verify callbacks), or nullptr
  // for an SSL this backend did not make.
  static OpenSslConn* FromSsl(const RealLibssl& real, const SSL* ssl);
  ConnObserver* observer() const { return observer_; }

  void SetConnectState() override;
  void SetAcceptState() override;
  bool IsServer() const override;

  void SetBio(void* rbio, void* wbio) override;
  void* rbio() const override;
  void* wbio() const override;

  IoResult Handshake() override;
  IoResult Write(const void* buf, int num) override;
  IoResult Read(void* buf, int num, bool peek) override;
  IoResult Shutdown() override;
  int Pending() const override;

  bool IsInitFinished() const override;
  int GetShutdown() const override;
  void SetShutdown(int mode) override;
  bool Renegotiate() override;
  bool KeyUpdate(int type) override;

  void SetMode(long openssl_mode) override;
  bool SetHostName(const char* name) override;
  void SetVerify(int mode) override;

  const char* Version() const override;
  int VersionNumber() const override;
  const char* CipherName() const override;
  int CipherBits() const override;
  size_t Finished(void* out, size_t len) const override;
  size_t PeerFinished(void* out, size_t len) const override;
  long VerifyResult() const override;
  std::vector<uint8_t> PeerCertificateDer() const override;

  void TakeErrors(std::vector<ErrorRecord>* out) override;

 private:
  OpenSslConn(const RealLibssl& real, SSL* ssl, ConnObserver* observer);
  // The IoResult of an operation that returned `ret`, with errno as the operation left it.
  IoResult ResultOf(int ret, int errno_after) const;

  const RealLibssl& real_;
  SSL* const ssl_;
  ConnObserver* const observer_;
};

}  // namespace sslshim::openssl_backend
