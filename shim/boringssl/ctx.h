// A TLS context on BoringSSL: an SSL_CTX configured from OpenSSL-numbered settings.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "boringssl/shared_settings.h"

namespace sslshim::boringssl {

// The session cache mode the program set on `ctx`, in OpenSSL's bits. Kept on the SSL_CTX (ex_data)
// rather than in BoringSslCtx: a connection keeps its SSL_CTX alive, not the BoringSslCtx, and
// BoringSSL's own mode word always has SSL_SESS_CACHE_CLIENT (see SetSessionCacheMode).
long ProgramSessionCacheMode(const SSL_CTX* ctx);

// CA names (DER) as the CRYPTO_BUFFERs BoringSSL sends, each checked to be one whole Name; nullptr
// (with the reason in *errors when there is one) if one is not.
bssl::UniquePtr<STACK_OF(CRYPTO_BUFFER)> ClientCaNameBuffers(
    const std::vector<std::vector<uint8_t>>& names_der, std::vector<ErrorRecord>* errors);

class BoringSslCtx final : public BackendCtx {
 public:
  // nullptr, with the reasons in *errors, when BoringSSL cannot make the context.
  static std::unique_ptr<BoringSslCtx> Create(const MethodSpec& method,
                                              const ProgramBioOps* bio_ops,
                                              std::vector<ErrorRecord>* errors);

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
  void SetVerify(int mode) override { verify_mode_ = mode; }
  void SetSessionCacheMode(long mode) override;
  bool SetAlpnProtos(const uint8_t* wire, size_t len) override;
  void EnableNextProtoCallbacks(bool advertise, bool select) override;
  bool SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) override;
  bool SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) override;
  bool SetSessionIdContext(const uint8_t* sid_ctx, size_t len) override;
  void SetSessionTimeout(long seconds) override;
  bool SetNumTickets(size_t n) override;
  // The connections' hook bit (kHookTicketKey) routes their tickets to the program's callback
  // (ticket_anti_replay.cc): nothing to set on the context.
  bool SetTicketKeyCallback(TicketKeyCallback /*kind*/) override { return true; }
  bool AddSession(const BackendSession* session) override;
  bool RemoveSession(const BackendSession* session) override;
  bool SetSrtpProfiles(const char* profiles) override;  // conn_srtp.cc
  void SetRemoveSessionCallback(bool) override {}       // BoringSSL caches the same either way
  std::vector<std::unique_ptr<BackendSession>> CachedSessions() const override;
  std::vector<std::unique_ptr<BackendSession>> FlushSessions(
      long time) override;  // session_cache.cc
  // Early data: OpenSSL's settings, handed to each new connection (conn_early_data.cc).
  bool SetMaxEarlyData(uint32_t max) override {
    max_early_data_ = max;
    return true;
  }
  uint32_t MaxEarlyData() const override { return max_early_data_; }
  bool SetRecvMaxEarlyData(uint32_t max) override {
    recv_max_early_data_ = max;
    return true;
  }
  uint32_t RecvMaxEarlyData() const override { return recv_max_early_data_; }

  void TakeErrors(std::vector<ErrorRecord>* out) override;

  // The BoringSSL context, for SSL_set_SSL_CTX (BackendConn::SwitchCtx).
  SSL_CTX* raw() const { return ctx_.get(); }
  // The CA name lists the program set (SetClientCaNames, SetCaNames).
  std::shared_ptr<const CaNameLists> ca_names() const { return ca_names_; }
  // What SetSessionIdContext last set (BoringSSL has no getter on a context).
  const std::vector<uint8_t>& session_id_context() const { return sid_ctx_; }

 private:
  BoringSslCtx(bssl::UniquePtr<SSL_CTX> ctx, const MethodSpec& method,
               const ProgramBioOps* bio_ops);
  // Sets BoringSSL's bounds from the method's (a fixed-version method wins, as in OpenSSL, which
  // ignores bounds on such methods) and the program's.
  bool ApplyVersionBounds();
  // The signature algorithms the security level allows (shared_settings.h).
  bool ApplySignatureRules();
  // Ends a BoringSSL call: keeps what it left on BoringSSL's error queue, translated.
  bool Finish(bool ok) const;

  bssl::UniquePtr<SSL_CTX> ctx_;
  MethodSpec method_;
  const ProgramBioOps* bio_ops_;
  int min_version_ = 0;  // as the program set them (0: no bound), which is what OpenSSL reports
  int max_version_ = 0;
  uint64_t options_ = 0;
  int security_level_ = kDefaultSecurityLevel;
  std::vector<uint16_t> signature_algorithms_;  // the program's (SetSignatureAlgorithms), or empty
  std::vector<uint16_t> client_signature_algorithms_;  // SetClientSignatureAlgorithms, or empty
  int verify_mode_ = 0;
  size_t num_tickets_ = 2;                // what BoringSSL and OpenSSL both send by default
  uint32_t max_early_data_ = 0;           // OpenSSL's default
  uint32_t recv_max_early_data_ = 16384;  // OpenSSL's default (SSL3_RT_MAX_PLAIN_LENGTH)
  std::vector<uint8_t> sid_ctx_;
  // The groups SetGroups applied, as codes (empty: BoringSSL's defaults), for new connections.
  std::vector<uint16_t> group_codes_;
  // Replaced, never changed in place, so a connection's copy of the pointer sees a whole list.
  std::shared_ptr<const CaNameLists> ca_names_ = std::make_shared<CaNameLists>();
  // Gives BoringSSL the names a server sends from ca_names_.
  bool InstallCaNames();
  mutable std::vector<ErrorRecord> errors_;
};

// Lets FlushSessions hear of the sessions BoringSSL's flush removes (its remove-session callback,
// set once when the context is made: session_cache.cc).
void InstallRemovedSessionCollector(SSL_CTX* ctx);

// Whether `session_ctx`'s server cache holds a session with this ID and `ssl`'s version (the one
// negotiated, else `initial_version`), as OpenSSL's cache compares them (session_cache_lookup.cc).
bool CacheHoldsSessionId(const SSL* ssl, SSL_CTX* session_ctx, int initial_version,
                         const uint8_t* id, size_t len);

}  // namespace sslshim::boringssl
