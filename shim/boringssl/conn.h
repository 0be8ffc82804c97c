// One TLS connection on BoringSSL: a BoringSSL SSL reading and writing the program's BIOs
// (bio_bridge), with verification, info events and errors handed to the core in OpenSSL's terms.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "boringssl/bio_bridge.h"
#include "boringssl/shared_settings.h"

namespace sslshim::boringssl {

class BoringSslSession;

// What a connection inherits from its context when it is made (as SSL_new copies it).
struct ConnSettings {
  Endpoint endpoint = Endpoint::kEither;
  int verify_mode = 0;                   // OpenSSL's SSL_VERIFY_* bits
  bool forbid_renegotiation = false;     // SSL_OP_NO_RENEGOTIATION
  size_t num_tickets = 2;                // TLS 1.3 tickets a server sends (SSL_CTX_set_num_tickets)
  uint32_t max_early_data = 0;           // OpenSSL's SSL_CTX_set_max_early_data
  uint32_t recv_max_early_data = 16384;  // OpenSSL's default (SSL3_RT_MAX_PLAIN_LENGTH)
  bool no_anti_replay = false;           // SSL_OP_NO_ANTI_REPLAY
  // The method's version bounds (TLSv1_2_method: both 1.2; 0: none), which win over the
  // program's, and the program's bounds the context had when the connection was made.
  int method_min_version = 0;
  int method_max_version = 0;
  int min_version = 0;
  int max_version = 0;
  int security_level = kDefaultSecurityLevel;  // the context's, whose rules the SSL inherits
  std::vector<uint16_t> signature_algorithms;  // the context's list (SignatureRulesFor), or empty
  std::vector<uint16_t> client_signature_algorithms;  // its list for client authentication
  bool datagram = false;
  // The context's session ID context (SwitchCtx keeps a connection's own, as OpenSSL does).
  std::vector<uint8_t> sid_ctx;
  std::vector<uint16_t> group_codes;  // the context's groups (empty: BoringSSL's defaults)
  // The context's CA name lists (shared: later changes to the context's apply).
  std::shared_ptr<const CaNameLists> ca_names;
};

// TLS 1.3 proper: DTLS's version numbers (0xfeff, 0xfefd) compare above TLS1_3_VERSION.
inline bool IsTls13(const SSL* ssl) {
  return !SSL_is_dtls(ssl) && SSL_version(ssl) >= TLS1_3_VERSION;
}

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
  IoResult FlushPendingWrite() override;
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
  std::vector<uint16_t> PeerCipherSuites() const override { return peer_cipher_suites_; }
  // conn_hello.cc
  std::vector<uint16_t> PeerGroups() const override;
  std::vector<uint16_t> SharedGroups() const override;
  bool PeerEcPointFormats(std::vector<uint8_t>* formats) const override;
  CertificateChoiceInputs ServerCertificateInputs() const override;  // conn_cert_choice.cc
  bool PeerKeyShare(uint16_t* group, std::vector<uint8_t>* public_key) const override;
  bool PeerCertificateTypes(std::vector<uint8_t>* types) const override;
  std::vector<uint8_t> StatusRequestExtensionsDer() const override;
  int ClientVersion() const override;
  bool FindCipher(uint16_t code, CipherInfo* out) const override;
  // conn_psk.cc
  bool SetPsk(bool client_callback, bool server_callback, const char* hint) override;
  bool PskIdentity(std::string* out) const override;
  bool PskIdentityHint(std::string* out) const override;
  bool HasTls13ExternalPsk() const override { return false; }  // BoringSSL's PSK is TLS 1.2's
  std::vector<uint8_t> AlpnSelected() const override;
  std::vector<uint8_t> NextProtoNegotiated() const override;
  bool SetAlpnProtos(const uint8_t* wire, size_t len) override;
  bool SetSessionIdContext(const uint8_t* sid_ctx, size_t len) override;
  bool CopyCertificateAndSessionIdContext(const BackendConn& from) override;  // conn_session.cc
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
  bool InBefore() const override { return !HandshakeStarted(); }
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

  // DTLS (dtls_conn.cc).
  bool DtlsGetTimeout(long* seconds, long* microseconds) const override;
  int DtlsHandleTimeout() override;
  bool DtlsSetMtu(long mtu) override;
  bool DtlsSetLinkMtu(long mtu) override;
  size_t DtlsDataMtu() const override;

  // Early data (conn_early_data.cc).
  bool SetMaxEarlyData(uint32_t max) override;
  uint32_t MaxEarlyData() const override { return max_early_data_; }
  bool SetRecvMaxEarlyData(uint32_t max) override;
  uint32_t RecvMaxEarlyData() const override { return recv_max_early_data_; }
  IoResult ReadEarlyData(void* buf, int num, int* status) override;
  IoResult WriteEarlyData(const void* buf, int num) override;
  int EarlyDataStatus() const override;
  // DTLS-SRTP (conn_srtp.cc).
  bool SetSrtpProfiles(const char* profiles) override;
  unsigned long SelectedSrtpProfile() const override;
  bool InEarlyData() const override;
  IoResult SendFile(int fd, int64_t offset, size_t size, int flags) override;

  bool SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) override;
  bool SetNumTickets(size_t n) override;
  bool ClearCertificates() override;
  uint16_t OwnSignatureScheme() const override { return own_signature_scheme_; }
  bool PendingCipher(CipherInfo* out) const override;
  void TakeErrors(std::vector<ErrorRecord>* out) override;

  // Points a new context's context-wide BoringSSL callbacks (ALPN selection, server name, new
  // session) at the connection trampolines below. Each trampoline acts only for connections whose
  // hook bit is set and otherwise answers exactly as if no callback were installed, so a context
  // can carry them from the start. (BoringSSL has these three per context only.)
  static void InstallContextHooks(SSL_CTX* ctx);
  // NPN's two context callbacks, installed only while the program has set its own (a client
  // with one offers NPN in every ClientHello): BoringSslCtx::EnableNextProtoCallbacks.
  static void InstallNextProtoHooks(SSL_CTX* ctx, bool advertise, bool select);

  // For the shim's ticket sealing (ticket_anti_replay.cc, conn_early_data.cc): whether `ssl`, a
  // TLS 1.3 server allowing early data without SSL_OP_NO_ANTI_REPLAY, issues and takes OpenSSL's
  // single-use tickets; and the context it was made from (whose ticket method BoringSSL uses).
  static bool IssuesSingleUseTickets(const SSL* ssl);
  static SSL_CTX* SessionCtxOf(const SSL* ssl);
  // The observer that seals `ssl`'s tickets with the program's ticket key callback, or nullptr
  // when the program set none (ticket_anti_replay.cc).
  static ConnObserver* TicketKeyObserver(const SSL* ssl);
  // Sends no new tickets for the rest of this handshake (SSL_OP_NO_TICKET until SSL_clear or the
  // program's next options), where OpenSSL sends none.
  static void WithholdNewTickets(SSL* ssl);

 private:
  static BoringSslConn* FromSsl(const SSL* ssl);
  static enum ssl_verify_result_t VerifyCallback(SSL* ssl, uint8_t* out_alert);
  static void InfoCallback(const SSL* ssl, int where, int ret);
  // The optional hooks (conn_hooks.cc), each calling observer_ when its HookBits bit is set.
  static void KeyLogCallback(const SSL* ssl, const char* line);
  static void MessageCallback(int is_write, int version, int content_type, const void* buf,
                              size_t len, SSL* ssl, void* arg);
  static int NewSessionCallback(SSL* ssl, SSL_SESSION* session);
  friend const SSL_PRIVATE_KEY_METHOD* ProgramKeyMethodFor(int key_type);
  static enum ssl_private_key_result_t ProgramKeySign(SSL* ssl, uint8_t* out, size_t* out_len,
                                                      size_t max_out, uint16_t code,
                                                      const uint8_t* in, size_t in_len);
  static enum ssl_private_key_result_t ProgramKeyDecrypt(SSL* ssl, uint8_t* out, size_t* out_len,
                                                         size_t max_out, const uint8_t* in,
                                                         size_t in_len);
  static SSL_SESSION* GetSessionCallback(SSL* ssl, const uint8_t* id, int id_len, int* out_copy);
  static int AlpnSelectCallback(SSL* ssl, const uint8_t** out, uint8_t* out_len, const uint8_t* in,
                                unsigned in_len, void* arg);
  static int ServerNameCallback(SSL* ssl, int* out_alert, void* arg);
  static int CertCallback(SSL* ssl, void* arg);
  static enum ssl_select_cert_result_t SelectCertificateCallback(
      const SSL_CLIENT_HELLO* client_hello);
  static int NextProtosAdvertisedCallback(SSL* ssl, const uint8_t** out, unsigned* out_len,
                                          void* arg);
  static int NextProtoSelectCallback(SSL* ssl, uint8_t** out, uint8_t* out_len, const uint8_t* in,
                                     unsigned in_len, void* arg);
  static int StatusCallback(SSL* ssl, void* arg);
  static unsigned PskClientCallback(SSL* ssl, const char* hint, char* identity,
                                    unsigned max_identity_len, uint8_t* psk, unsigned max_psk_len);
  static unsigned PskServerCallback(SSL* ssl, const char* identity, uint8_t* psk,
                                    unsigned max_psk_len);

  bool HookEnabled(uint32_t bit) const { return (hook_bits_ & bit) != 0; }
  // BoringSSL's message callback runs for every record once set, so it stays on after the
  // handshake only for the program's message hook; during the handshake it records the TLS 1.3
  // Finished messages (RecordTls13Finished).
  void ApplyMessageHook();
  void RecordTls13Finished(int is_write, const uint8_t* msg, size_t len);
  // What OpenSSL keeps from the peer's hello messages and BoringSSL does not (key shares,
  // certificate types, status request extensions), and the extensions the program's debug
  // callback is told of, from each handshake message received (conn_hello.cc).
  void ObserveReceivedMessage(const uint8_t* msg, size_t len);
  void ObserveClientHello(CBS* body);
  void ObserveServerHello(CBS* body);
  void ObserveServerKeyExchange(CBS* body);
  void ObserveCertificateRequest(CBS* body);
  void ObserveTls13Certificate(CBS* body);
  // Tells the program's debug callback of each extension OpenSSL implements in `extensions`.
  void ReportExtensions(CBS extensions);
  void ObservePointFormats(CBS extensions);
  void RecordOwnSignature(int is_write, const uint8_t* msg, size_t len);
  // Gives BoringSSL the CA names this connection sends as a server (its own lists over its
  // context's, as CaNameLists::Sent), or leaves its context's when it has none of its own.
  bool InstallCaNames();
  // Installs the per-connection hooks for hook_bits_ (again after SSL_set_SSL_CTX, which replaces
  // the connection's certificate settings and with them the certificate callback), and the
  // key-log hook on the connection's current context.
  void ApplyHooks();
  // `session` (a reference of its own) as the core sees a session this connection made: with the
  // connection's SNI, verification result and end, and its ALPN protocol where BoringSSL's session
  // keeps none (TLS 1.2).
  std::unique_ptr<BoringSslSession> WrapSession(SSL_SESSION* session,
                                                bool secret_shown = true) const;
  // Hands `session` to the core when the program caches sessions on this side.
  void ReportNewSession(SSL_SESSION* session);
  // TLS 1.3 servers: BoringSSL's tickets are stateless and it never runs the new-session callback
  // for them; OpenSSL runs it as each ticket is made, before SSL_CB_HANDSHAKE_DONE.
  void ReportTls13ServerSession();
  // Errors out when SSL_set_session would abort (BoringSSL allows it before the handshake only).
  bool HandshakeStarted() const;
  // Whether this handshake has settled a version: BoringSSL answers SSL_version with its initial
  // TLS 1.2 until then, where OpenSSL 3 answers the method's (PreNegotiationVersion).
  bool VersionSettled() const;
  int PreNegotiationVersion() const;
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

  // Early data (conn_early_data.cc). OpenSSL's state for SSL_read_early_data and
  // SSL_write_early_data, kept over BoringSSL's (which has no such calls).
  enum class EarlyState {
    kNone,              // neither early-data call was made
    kServerAccepting,   // SSL_read_early_data runs the handshake up to the server's flight
    kServerReading,     // early data accepted: SSL_read_early_data hands it out
    kServerFinished,    // SSL_READ_EARLY_DATA_FINISH was returned
    kClientConnecting,  // SSL_write_early_data sends the ClientHello
    kClientWriting,     // ClientHello sent: SSL_write_early_data writes early data
    kClientFinished,    // a plain write or read went on with the handshake: no more early data
  };
  // Whether BoringSSL may offer / accept early data now (and put it in server tickets).
  void ApplyEarlyDataEnabled();
  // From the message callback: the ClientHello's early_data extension, EndOfEarlyData, our
  // ServerHello.
  void ObserveEarlyDataMessage(int is_write, const uint8_t* msg, size_t len);
  // A client's operation met BoringSSL's early-data rejection: OpenSSL just goes on with the
  // handshake, so the connection is reset for that and the rejection remembered.
  bool RecoverFromEarlyDataReject(int ret);
  // OpenSSL completes the handshake before a plain SSL_write once early data was written.
  IoResult FinishEarlyDataBeforeWrite();
  // OpenSSL's server sends close_notify while it reads early data; BoringSSL's SSL_shutdown does
  // nothing before the handshake is finished, so it is finished first (the client's Finished).
  IoResult FinishEarlyDataBeforeShutdown();
  IoResult SendCloseNotifyInEarlyData(const IoResult& waiting);
  // SSL_set_shutdown while a server reads early data: BoringSSL's handshake could not read the
  // client's Finished any more, so the bits wait in deferred_shutdown_ until it is finished.
  bool DeferShutdownDuringEarlyData(int mode);
  bool ServerHandshakeAfterEarlyDataPending() const;
  // BoringSSL's SSL_write as it is (early data, half-RTT data, and Write after the above).
  IoResult WriteAsIs(const void* buf, int num);
  // BoringSSL's SSL_write with OpenSSL's count under SSL_MODE_ENABLE_PARTIAL_WRITE (see
  // partial_write_carried_).
  IoResult WriteRecords(const void* buf, int num);
  IoResult FailEarlyDataCall(int reason);
  // DTLS: runs `io` (a RunIo) as OpenSSL's DTLS reads run: with the program's datagram BIO armed
  // with the retransmission timer, resending the flight when that BIO's read timed out
  // (dtls_conn.cc). TLS connections run `io` once.
  IoResult RunWithRetransmission(const std::function<IoResult()>& io);
  // Runs `io` as a call that reads application records (SSL_read, SSL_peek, and SSL_shutdown
  // waiting for the peer's close_notify): without AUTO_RETRY, a post-handshake message it meets
  // ends it with WANT_READ (auto_retry_).
  IoResult RunReading(const std::function<IoResult()>& io);
  void ApplyPendingLinkMtu();
  IoResult HandshakeBeforeData();  // as OpenSSL's SSL_write/SSL_read, before the data (conn.cc)
  // Sends what BoringSSL queued at the end of a TLS 1.3 handshake (the server's tickets) as
  // OpenSSL does, at the end of the handshake (conn.cc).
  IoResult SendQueuedAfterHandshake();
  bool ApplyVersionBounds();
  // The signature algorithms the security level and the program's list allow (conn_settings.cc).
  bool ApplySignatureRules();  // min_version_/max_version_ under the method's (conn_settings.cc)
  // Once the peer's signature algorithms are known (the certificate callback): the program's
  // signing list in the order OpenSSL 3 chooses from, and a client certificate left out when its
  // key can sign with none of them (conn_signing_order.cc).
  void OrderSigningByPeer();
  bool SetBound(int* bound, int version);  // sets min_version_ or max_version_, or keeps it

  bssl::UniquePtr<SSL> ssl_;
  const ProgramBioOps* bio_ops_;
  ConnObserver* observer_;
  bool server_;
  int verify_mode_;
  SSL_CTX* session_ctx_;  // the context the SSL was made from (the SSL keeps it alive)
  size_t num_tickets_;
  uint32_t hook_bits_ = 0;
  bool io_started_ = false;  // an I/O call ran: the handshake may have begun
  // SendQueuedAfterHandshake sent what the finished handshake queued (or there was nothing).
  bool queued_messages_sent_ = false;
  // The program's info callback is being told a TLS 1.3 server's handshake is done: OpenSSL 3
  // tells it after queuing its tickets and reports SSL_get_state TLS_ST_SW_SESSION_TICKET there.
  bool reporting_done_after_tickets_ = false;
  // What BoringSSL lets a program see only during the certificate callback (the peer's signature
  // schemes, a server's CA names), kept from there as OpenSSL keeps them (conn_hooks.cc).
  std::vector<uint16_t> peer_signature_schemes_;
  // What ApplySignatureRules gave BoringSSL to sign with (empty: its defaults).
  std::vector<uint16_t> signing_prefs_;
  std::vector<std::vector<uint8_t>> peer_ca_names_;
  // A client's latest session from a TLS 1.3 NewSessionTicket (BoringSSL's SSL_get1_session keeps
  // answering with the ticketless handshake session; OpenSSL's answers with the ticketed one).
  bssl::UniquePtr<SSL_SESSION> latest_ticket_session_;
  // The verify_data of our and the peer's TLS 1.3 Finished: OpenSSL's SSL_get_finished and
  // SSL_get_peer_finished answer with them at every version (Python's tls-unique channel binding
  // reads them); BoringSSL's only at TLS <= 1.2.
  std::vector<uint8_t> tls13_finished_;
  std::vector<uint8_t> tls13_peer_finished_;
  bool handshake_done_ = false;  // SSL_CB_HANDSHAKE_DONE came: no Finished to record any more
  bool server_version_settled_ = false;  // a server's certificate callback ran (after the version)
  void* rbio_ = nullptr;  // the program's BIOs; one reference held per slot, as OpenSSL does
  void* wbio_ = nullptr;
  long verify_result_ = 0;  // X509_V_OK until a verification says otherwise
  // The session ID context of the connection's current context, which SwitchCtx compares with
  // the connection's own (OpenSSL's SSL_set_SSL_CTX rule).
  std::vector<uint8_t> ctx_sid_ctx_;
  unsigned dtls_mtu_ = 0;      // what SSL_set_mtu was given (BoringSSL does not say its MTU)
  long pending_link_mtu_ = 0;  // DTLS_set_link_mtu's, until the next I/O call
  // The CA names this connection was given itself (nullopt: its context's), and its context's.
  std::optional<CaNameLists::Names> own_client_ca_names_;
  std::optional<CaNameLists::Names> own_ca_names_;
  std::shared_ptr<const CaNameLists> ctx_ca_names_;
  // The SignatureScheme of the handshake signature this side sent (its CertificateVerify or
  // ServerKeyExchange), which BoringSSL does not tell (conn_hooks.cc, RecordOwnSignature).
  uint16_t own_signature_scheme_ = 0;
  std::vector<ErrorRecord> errors_;
  // The reason OpenSSL gives when the program's OCSP status callback, or a client's certificate
  // callback, fails the handshake, for BoringSSL's one (once translated: `_from`) that the next
  // errors carry; 0 when none.
  int callback_failure_from_ = 0;
  int callback_failure_reason_ = 0;
  bool tickets_withheld_ = false;  // WithholdNewTickets set SSL_OP_NO_TICKET
  // SSL_set_num_tickets: the count its SSL_new context sends (the only count BoringSSL has), and
  // whether this server connection asked for none instead (CertCallback withholds them at TLS 1.3).
  size_t ctx_num_tickets_ = 2;
  bool no_tickets_ = false;
  // Early data (conn_early_data.cc).
  uint32_t max_early_data_;
  uint32_t recv_max_early_data_;
  bool no_anti_replay_;  // SSL_OP_NO_ANTI_REPLAY: tickets stay reusable (ticket_anti_replay.h)
  // Version bounds (conn_settings.cc): the method's win; the program's apply inside them.
  int method_min_version_;
  int method_max_version_;
  int min_version_;
  int max_version_;
  int security_level_;
  std::vector<uint16_t> signature_algorithms_;  // the program's list (SignatureRulesFor), or empty
  std::vector<uint16_t> client_signature_algorithms_;  // for client authentication, or empty
  bool datagram_;
  EarlyState early_state_ = EarlyState::kNone;
  // Server: the last ClientHello's cipher suites (BoringSSL keeps none after reading it).
  std::vector<uint16_t> peer_cipher_suites_;
  std::vector<uint16_t> peer_groups_;  // the ClientHello's supported_groups (PeerGroups)
  std::vector<uint16_t> group_codes_;  // the groups set (SharedGroups; empty: the defaults)
  // Server: the last ClientHello's key shares and status_request extensions. Client: the
  // server's key share (ServerHello or ServerKeyExchange; group 0: none), and the last
  // CertificateRequest's certificate types.
  struct KeyShare {
    uint16_t group = 0;
    std::vector<uint8_t> key;
  };
  std::vector<KeyShare> client_key_shares_;
  std::vector<uint8_t> status_request_extensions_;
  KeyShare server_key_share_;
  bool certificate_requested_ = false;
  std::vector<uint8_t> certificate_types_;
  std::optional<std::vector<uint8_t>> peer_ec_point_formats_;  // PeerEcPointFormats
  uint16_t peer_legacy_version_ = 0;  // the ClientHello's legacy_version (ClientVersion)
  // Client: the PSK identity hint the server sent, as its callback saw it (BoringSSL's getter
  // answers a connection's own hint).
  bool peer_psk_hint_seen_ = false;
  std::string peer_psk_hint_;
  bool client_hello_offered_early_data_ = false;  // server: the peer's ClientHello had early_data
  bool server_hello_sent_ = false;                // server: BoringSSL decided on early data
  bool early_data_rejected_ = false;              // client: BoringSSL reported the rejection
  bool in_early_read_ = false;                    // inside SSL_read_early_data's SSL_read
  bool end_of_early_data_seen_ = false;           // server: EndOfEarlyData arrived
  // Read by the read bridge (bio_bridge.h): while set, the program's BIO is not read, so no
  // record after EndOfEarlyData is taken before SSL_read_early_data has said FINISH.
  bool hold_reads_ = false;
  // The key BoringSSL holds is one the program gave this connection (SSL_use_PrivateKey), not its
  // context's: which of the core's keys ProgramKeySign uses.
  bool own_key_ = false;
  // What the read bridge read ahead and BoringSSL has not taken yet (SetReadAhead; TLS only).
  ReadAheadBuffer read_ahead_;
  // SSL_MODE_AUTO_RETRY off: OpenSSL's SSL_read returns -1 / WANT_READ after each post-handshake
  // message it processes (a TLS 1.3 ticket or KeyUpdate), even on a blocking socket; BoringSSL
  // reads on to the next application data. So while a read runs, such a message holds the reads
  // that follow it (hold_reads_), and BoringSSL answers WANT_READ (MessageCallback).
  bool auto_retry_ = true;
  bool in_read_ = false;
  bool held_after_message_ = false;
  int deferred_shutdown_ = 0;  // OpenSSL's SSL_*_SHUTDOWN bits (DeferShutdownDuringEarlyData)
  // SSL_MODE_ENABLE_PARTIAL_WRITE: OpenSSL's write returns early only when a record it made in
  // that call went out whole. A retry that first finishes the record left pending goes on with the
  // next ones, and the bytes it finished are counted in the answer of the call that ends the write
  // (so a write that blocks on every record answers all of it at once). BoringSSL answers as soon
  // as the pending record is out. These are the bytes of the program's write OpenSSL would have
  // counted so far, and whether a record of it is pending.
  int partial_write_carried_ = 0;
  bool partial_write_blocked_ = false;
  // close_notify sent while the client's Finished was still to come (SendCloseNotifyInEarlyData).
  enum class EarlyCloseNotify { kNotSent, kPending, kSent };
  EarlyCloseNotify early_close_notify_ = EarlyCloseNotify::kNotSent;
};

}  // namespace sslshim::boringssl
