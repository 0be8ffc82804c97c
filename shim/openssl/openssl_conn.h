// One connection of the OpenSSL backend: a real libssl SSL, driven through the RealLibssl table.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "real_libssl.h"

namespace sslshim::openssl_backend {

class OpenSslConn final : public BackendConn {
 public:
  // A new SSL from `ctx`, or nullptr (errors on the program's queue) when libssl refuses one.
  // `ctx_options_from_core` is the options word the core last gave the context: the connection's
  // own word starts from it (see SetOptions).
  static std::unique_ptr<OpenSslConn> Create(const RealLibssl& real, SSL_CTX* ctx,
                                             ConnObserver* observer,
                                             uint64_t ctx_options_from_core);
  ~OpenSslConn() override;
  OpenSslConn(const OpenSslConn&) = delete;
  OpenSslConn& operator=(const OpenSslConn&) = delete;

  // The connection the real libssl is calling back about (info and verify callbacks), or nullptr
  // for an SSL this backend did not make.
  static OpenSslConn* FromSsl(const RealLibssl& real, const SSL* ssl);
  ConnObserver* observer() const { return observer_; }
  // What EnableHooks last gave; read by the hook trampolines during a handshake.
  uint32_t hook_bits() const { return hook_bits_.load(std::memory_order_relaxed); }

  void SetConnectState() override;
  void SetAcceptState() override;
  bool IsServer() const override;

  void SetBio(void* rbio, void* wbio) override;
  void* rbio() const override;
  void* wbio() const override;

  IoResult Handshake() override;
  IoResult Write(const void* buf, int num) override;
  IoResult FlushPendingWrite() override { return {1, 0, 0}; }  // its read sends it
  IoResult Read(void* buf, int num, bool peek) override;
  IoResult Shutdown() override;
  int Pending() const override;
  bool HasPending() const override;
  void SetReadAhead(bool on) override;

  bool IsInitFinished() const override;
  int GetShutdown() const override;
  void SetShutdown(int mode) override;
  bool Renegotiate() override;
  bool KeyUpdate(int type) override;

  void SetMode(long openssl_mode) override;
  bool SetHostName(const char* name) override;
  bool SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) override;
  void SetVerify(int mode) override;

  const char* Version() const override;
  int VersionNumber() const override;
  size_t Finished(void* out, size_t len) const override;
  size_t PeerFinished(void* out, size_t len) const override;
  std::vector<uint8_t> PeerCertificateDer() const override;
  std::vector<std::vector<uint8_t>> PeerChainDer() const override;

  void EnableHooks(uint32_t hook_bits) override;
  void SetOptions(uint64_t openssl_options) override;
  bool SetCipherList(const char* list) override;
  bool UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) override;
  bool UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) override;
  bool SwitchCtx(BackendCtx* ctx) override;
  void SetQuietShutdown(bool quiet) override;
  bool SetMinVersion(int version) override;
  bool SetMaxVersion(int version) override;
  bool SetCiphersuites(const char* list) override;
  bool SetGroups(const char* list) override;
  bool SetSignatureAlgorithms(const std::vector<uint16_t>& codes) override;
  bool SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) override;
  bool SetMaxSendFragment(size_t max) override;
  void SetMaxCertList(size_t max) override;
  bool ExtendedMasterSecret() const override;
  bool SetSecurityLevel(int level) override;
  bool Clear() override;

  bool CurrentCipher(CipherInfo* out) const override;
  std::vector<CipherInfo> Ciphers() const override;
  std::vector<uint8_t> AlpnSelected() const override;
  std::vector<uint8_t> NextProtoNegotiated() const override;
  bool SetAlpnProtos(const uint8_t* wire, size_t len) override;
  // openssl_srtp.cc: DTLS-SRTP, the early exporter, abbreviated renegotiation, block padding.
  bool SetSrtpProfiles(const char* profiles) override;
  unsigned long SelectedSrtpProfile() const override;
  bool HasEarlyExporter() const override { return true; }
  int ExportEarlyKeyingMaterial(uint8_t* out, size_t out_len, const char* label, size_t label_len,
                                const uint8_t* context, size_t context_len) override;
  bool RenegotiateAbbreviated() override;
  bool SetBlockPadding(size_t block_size) override;
  bool SetSessionIdContext(const uint8_t* sid_ctx, size_t len) override;
  bool CopyCertificateAndSessionIdContext(const BackendConn& from) override;
  bool RequestOcspStatus() override;
  bool RequestSignedCertTimestamps() override;
  std::vector<uint8_t> PeerSignedCertTimestamps() const override;
  std::vector<uint8_t> OcspResponse() const override;
  bool SetOcspResponse(const uint8_t* der, size_t len) override;
  void Randoms(uint8_t client[kRandomSize], uint8_t server[kRandomSize]) const override;
  int ExportKeyingMaterial(uint8_t* out, size_t out_len, const char* label, size_t label_len,
                           const uint8_t* context, size_t context_len, bool use_context) override;
  std::string ServerName() const override;
  const char* StateString(bool long_form) const override;
  HandshakeState GetHandshakeState() const override;
  bool InBefore() const override;
  int ClientVersion() const override;
  std::vector<uint16_t> PeerCipherSuites() const override;
  std::vector<uint16_t> PeerGroups() const override;
  std::vector<uint16_t> SharedGroups() const override;
  bool PeerEcPointFormats(std::vector<uint8_t>* formats) const override;
  bool PeerKeyShare(uint16_t* group, std::vector<uint8_t>* public_key) const override;
  bool PeerCertificateTypes(std::vector<uint8_t>* types) const override;
  std::vector<uint8_t> StatusRequestExtensionsDer() const override;
  bool FindCipher(uint16_t code, CipherInfo* out) const override;
  // openssl_psk.cc
  bool SetPsk(bool client_callback, bool server_callback, const char* hint) override;
  bool PskIdentity(std::string* out) const override;
  bool PskIdentityHint(std::string* out) const override;
  bool HasTls13ExternalPsk() const override { return true; }
  uint16_t PeerSignatureScheme() const override;
  std::vector<uint16_t> PeerSignatureSchemes() const override;
  std::vector<std::vector<uint8_t>> PeerCaNamesDer() const override;
  bool SecureRenegotiationSupported() const override;
  int TotalRenegotiations() const override;
  uint16_t NegotiatedGroup() const override;

  std::unique_ptr<BackendSession> Get1Session() const override;
  bool SetSession(const BackendSession* session) override;
  bool SessionReused() const override;
  bool HasMatchingSessionId(const uint8_t* id, size_t len, int initial_version) const override;

  // DTLS (openssl_dtls.cc): the real libssl's own calls.
  bool DtlsGetTimeout(long* seconds, long* microseconds) const override;
  int DtlsHandleTimeout() override;
  bool DtlsSetMtu(long mtu) override;
  bool DtlsSetLinkMtu(long mtu) override;
  size_t DtlsDataMtu() const override;

  // Early data and SSL_sendfile: the real libssl's (openssl_early_data.cc).
  bool SetMaxEarlyData(uint32_t max) override;
  uint32_t MaxEarlyData() const override;
  bool SetRecvMaxEarlyData(uint32_t max) override;
  uint32_t RecvMaxEarlyData() const override;
  IoResult ReadEarlyData(void* buf, int num, int* status) override;
  IoResult WriteEarlyData(const void* buf, int num) override;
  int EarlyDataStatus() const override;
  bool InEarlyData() const override;
  IoResult SendFile(int fd, int64_t offset, size_t size, int flags) override;
  bool SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) override;
  bool SetNumTickets(size_t n) override;
  bool ClearCertificates() override;
  uint16_t OwnSignatureScheme() const override;
  bool PendingCipher(CipherInfo* out) const override;
  bool ReadingRecordBody() const override;
  bool AllocateBuffers() override;
  bool ReleaseBuffers() override;
  void SetDefaultReadBufferLength(size_t len) override;

  void TakeErrors(std::vector<ErrorRecord>* out) override;

 private:
  OpenSslConn(const RealLibssl& real, SSL* ssl, ConnObserver* observer, uint64_t options_from_core);
  // The IoResult of an operation that returned `ret`, with errno as the operation left it.
  IoResult ResultOf(int ret, int errno_after) const;

  const RealLibssl& real_;
  SSL* const ssl_;
  ConnObserver* const observer_;
  // Atomic: the program may set a context's callback (so the core calls EnableHooks) on one
  // thread while this connection's handshake runs the trampolines on another.
  std::atomic<uint32_t> hook_bits_{0};
  // The options word the core last gave (at first, the context's); see SetOptions.
  uint64_t options_from_core_;
};

}  // namespace sslshim::openssl_backend
