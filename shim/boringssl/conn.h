// One TLS connection on BoringSSL: a BoringSSL SSL reading and writing the program's BIOs
// (bio_bridge), with verification, info events and errors handed to the core in OpenSSL's terms.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <vector>

#include "backend/backend.h"

namespace sslshim::boringssl {

// What a connection inherits from its context when it is made (as SSL_new copies it).
struct ConnSettings {
  Endpoint endpoint = Endpoint::kEither;
  int verify_mode = 0;                // OpenSSL's SSL_VERIFY_* bits
  bool forbid_renegotiation = false;  // SSL_OP_NO_RENEGOTIATION
};

class BoringSslConn final : public BackendConn {
 public:
  // `ssl` is a fresh SSL from the context; the connection owns it.
  BoringSslConn(bssl::UniquePtr<SSL> ssl, const ProgramBioOps* bio_ops, ConnObserver* observer,
                const ConnSettings& settings);
  ~BoringSslConn() override;
  BoringSslConn(const BoringSslConn&) = delete;
  BoringSslConn& operator=(const BoringSslConn&) = delete;

  void SetConnectState() override;
  void SetAcceptState() override;
  bool IsServer() const override { return server_; }

  void SetBio(void* rbio, void* wbio) override;
  void* rbio() const override { return rbio_; }
  void* wbio() const override { return wbio_; }

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
  long VerifyResult() const override { return verify_result_; }
  std::vector<uint8_t> PeerCertificateDer() const override;

  void TakeErrors(std::vector<ErrorRecord>* out) override;

 private:
  static BoringSslConn* FromSsl(const SSL* ssl);
  static enum ssl_verify_result_t VerifyCallback(SSL* ssl, uint8_t* out_alert);
  static void InfoCallback(const SSL* ssl, int where, int ret);

  enum ssl_verify_result_t VerifyPeer(uint8_t* out_alert);
  // Installs the custom-verify hook for the current role: clients always verify (OpenSSL's
  // clients run verification even with SSL_VERIFY_NONE; the core decides whether to go on),
  // servers ask for a certificate only as the program's verify mode says.
  void ApplyVerifyMode();
  // Points BoringSSL at fresh bridge BIOs over the program's current rbio/wbio.
  void SyncBridgeBios();
  void ReplaceReadBio(void* rbio);
  void ReplaceWriteBio(void* wbio);
  // Runs one BoringSSL I/O call and reports it as OpenSSL would (return value, SSL_get_error,
  // errno), leaving its errors, translated, in errors_.
  template <typename Operation>
  IoResult RunIo(Operation operation);

  bssl::UniquePtr<SSL> ssl_;
  const ProgramBioOps* bio_ops_;
  ConnObserver* observer_;
  bool server_;
  int verify_mode_;
  void* rbio_ = nullptr;  // the program's BIOs; one reference held per slot, as OpenSSL does
  void* wbio_ = nullptr;
  long verify_result_ = 0;  // X509_V_OK until a verification says otherwise
  std::vector<ErrorRecord> errors_;
};

}  // namespace sslshim::boringssl
