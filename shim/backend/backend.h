// The narrow interface between the shim's core (compiled against OpenSSL 3's headers) and a TLS
// backend (BoringSSL, compiled against BoringSSL's headers; or the real libssl.so.3 reached with
// dlvsym). It names neither library's types: objects of the program's libcrypto cross it as
// opaque pointers with a table of functions the core provides (ProgramBio), certificates and keys
// cross it as DER, and every number that crosses it is in OpenSSL 3's numbering (SSL_ERROR_*,
// ERR_LIB_* / SSL_R_*, SSL_VERIFY_*, SSL_CB_*, X509_V_ERR_*, protocol versions as on the wire).
//
// The backends only move bytes and report what happened; the SSL_write contract (argument checks,
// retry rules, partial writes, error mapping) lives above them, in shim/core, once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/handshake_state.h"

namespace sslshim {

// One entry for the program's OpenSSL error queue, already in OpenSSL's numbering.
struct ErrorRecord {
  int lib = 0;           // ERR_LIB_* (OpenSSL 3)
  int reason = 0;        // reason code in OpenSSL 3's numbering for that library
  std::string function;  // where it came from, for ERR_error_string's "func" field
  std::string data;      // optional text (e.g. the backend's own reason name when unmapped)
  // The backend lacks what OpenSSL would do with a security setting here (a TLS 1.3 suite it
  // cannot leave out, a group it does not have): the core then fails closed on the object the
  // setting was for (core/fail_closed.h). Never set for a value OpenSSL would reject too.
  bool backend_cannot_apply = false;
};

// The result of a TLS operation: the return value the OpenSSL API gives, and what OpenSSL's
// SSL_get_error would say about it (0-8 only: backend-only codes never leave a backend).
struct IoResult {
  int ret = 0;
  int ssl_error = 0;  // SSL_ERROR_*
  int sys_errno = 0;  // errno observed with SSL_ERROR_SYSCALL, else 0
};

// The program's BIO, as the core hands it to a backend. The BoringSSL backend drives it through
// these functions (which call the program's own BIO_read/BIO_write/BIO_ctrl); the OpenSSL backend
// hands `bio` to the real libssl as it is.
struct ProgramBioOps {
  int (*read)(void* bio, char* out, int len);
  int (*write)(void* bio, const char* in, int len);
  long (*ctrl)(void* bio, int cmd, long larg, void* parg);  // OpenSSL BIO_CTRL_* numbers
  // After a read or write returned <= 0: BIO_should_retry / BIO_should_read / BIO_should_write.
  int (*retry_flags)(void* bio);  // kBioRetry* bits below
  void (*free_all)(void* bio);    // BIO_free_all
  int (*up_ref)(void* bio);       // BIO_up_ref
};
inline constexpr int kBioRetry = 1;
inline constexpr int kBioRetryRead = 2;
inline constexpr int kBioRetryWrite = 4;

// TLS 1.3 early data, in OpenSSL 3's numbers (abi/exports/early_data.cc checks them against
// OpenSSL's headers): SSL_get_early_data_status's answers and SSL_read_early_data's.
inline constexpr int kEarlyDataNotSent = 0;
inline constexpr int kEarlyDataRejected = 1;
inline constexpr int kEarlyDataAccepted = 2;
inline constexpr int kReadEarlyDataError = 0;
inline constexpr int kReadEarlyDataSuccess = 1;
inline constexpr int kReadEarlyDataFinish = 2;

// The sizes OpenSSL's SSL_get_client_random/SSL_get_server_random and SSL_SESSION_get_master_key
// answer for (SSL3_RANDOM_SIZE, SSL_MAX_MASTER_KEY_LENGTH in both libraries).
inline constexpr size_t kRandomSize = 32;
inline constexpr size_t kMaxMasterKeyLength = 48;

// Which side a method or connection is for.
enum class Endpoint { kEither, kClient, kServer };

// What SSL_CTX_new was given: the endpoint and the protocol versions the method allows.
struct MethodSpec {
  Endpoint endpoint = Endpoint::kEither;
  int min_version = 0;  // 0: no bound; else TLS1_VERSION, TLS1_2_VERSION, ...
  int max_version = 0;
  // DTLS_method and friends: records over datagrams (versions DTLS1_VERSION, DTLS1_2_VERSION).
  bool datagram = false;
};

// The peer's certificate chain, leaf first, as DER, and the result the core's verification gave.
struct VerifyOutcome {
  bool accept = false;     // continue the handshake?
  long verify_result = 0;  // X509_V_OK or X509_V_ERR_* (what SSL_get_verify_result reports)
  // Not accepted for another reason than the chain (certificate transparency): OpenSSL's reason
  // and the alert, in place of CERTIFICATE_VERIFY_FAILED and the verify result's alert. 0: none.
  int failure_reason = 0;
  int failure_alert = 0;
};

// What OpenSSL's SSL_CIPHER accessors report about one cipher suite. NIDs cross as OpenSSL short
// names ("KxECDHE", "AuthECDSA", "AES-128-GCM", "AEAD"; "" for none), since the two libraries'
// NID numbers need not agree; the core turns them into the program's NIDs.
struct CipherInfo {
  std::string name;  // OpenSSL's name: "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"
  std::string standard_name;  // the IETF name
  uint32_t id = 0;            // as SSL_CIPHER_get_id: 0x03000000 | IANA value
  int bits = 0;               // strength
  int alg_bits = 0;
  std::string version;  // as SSL_CIPHER_get_version: "TLSv1.2", "TLSv1.3"
  std::string kx_sn, auth_sn, cipher_sn, digest_sn;
  bool is_aead = false;
};

// A TLS session, for resumption; opaque to the core, which puts a handle in front of it.
class BackendSession {
 public:
  virtual ~BackendSession() = default;
  // The backend's own encoding (what i2d_SSL_SESSION hands the program); Backend::ParseSession
  // reads it back. Not OpenSSL's encoding: programs treat it as opaque bytes.
  virtual std::vector<uint8_t> Serialize() const = 0;
  virtual std::vector<uint8_t> Id() const = 0;
  virtual long Time() const = 0;     // seconds since the epoch
  virtual long Timeout() const = 0;  // seconds
  // SSL_SESSION_set_time / SSL_SESSION_set_timeout, values the core has checked as OpenSSL does:
  // what Time() and Timeout() answer from then on. As in OpenSSL, a server's cache holds its
  // session to them, while a client offers its session whatever they say.
  virtual void SetTime(long time) = 0;
  virtual void SetTimeout(long timeout) = 0;
  virtual bool HasTicket() const = 0;
  virtual unsigned long TicketLifetimeHint() const = 0;
  virtual int ProtocolVersion() const = 0;
  virtual std::string Hostname() const = 0;  // SNI the session was made for, "" if none
  virtual bool IsResumable() const = 0;
  // TLS 1.3 early data the session allows (SSL_SESSION_get_max_early_data), and a session like
  // this one with another limit (SSL_SESSION_set_max_early_data; nullptr when it cannot be made).
  virtual uint32_t MaxEarlyData() const { return 0; }
  virtual std::unique_ptr<BackendSession> WithMaxEarlyData(uint32_t /*max*/) const {
    return nullptr;
  }
  // SSL_SESSION_set1_id / SSL_SESSION_set1_id_context: rewrite the session's ID or ID context
  // in place, as OpenSSL's do (lengths already checked by the core, at most 32 bytes each).
  virtual bool SetId(const uint8_t* /*id*/, size_t /*len*/) { return false; }
  virtual bool SetIdContext(const uint8_t* /*sid_ctx*/, size_t /*len*/) { return false; }
  // SSL_SESSION_set_protocol_version, in place (a session a program builds for SSL_set_session).
  // False when the backend cannot hold the value.
  virtual bool SetProtocolVersion(int /*version*/) { return false; }
  // SSL_SESSION_set_cipher (the suite's IANA value) and SSL_SESSION_set1_master_key (at most
  // kMaxMasterKeyLength bytes, checked by the core), in place, for the same kind of session.
  // False when the backend cannot hold the value.
  virtual bool SetCipher(uint16_t /*value*/) { return false; }
  virtual bool SetMasterKey(const uint8_t* /*key*/, size_t /*len*/) { return false; }
  // SSL_SESSION_set1_hostname: what Hostname() answers from then on ("" for none).
  virtual bool SetHostname(const std::string& /*hostname*/) { return false; }
  // The protocol ALPN selected in the handshake that made the session (SSL_SESSION_get0_alpn_
  // selected; empty if none), and SSL_SESSION_set1_alpn_selected: what it answers from then on.
  virtual std::vector<uint8_t> AlpnSelected() const = 0;
  virtual bool SetAlpnSelected(const std::vector<uint8_t>& /*alpn*/) { return false; }
  // The session's master secret (TLS 1.3: the resumption secret the session's PSK is, as both
  // libraries keep it); returns its length, 0 when there is none.
  virtual size_t MasterKey(uint8_t out[kMaxMasterKeyLength]) const = 0;
  // The rest of what OpenSSL's session tells (SSL_SESSION_get0_cipher, SSL_SESSION_print).
  struct Facts {
    bool has_cipher = false;
    CipherInfo cipher;
    std::vector<uint8_t> id_context;
    std::vector<uint8_t> ticket;
    std::vector<uint8_t> peer_certificate;  // the peer's leaf, DER (SSL_SESSION_get0_peer)
    long verify_result = 0;                 // X509_V_OK
    bool extended_master_secret = false;
  };
  virtual Facts Describe() const = 0;
};

// Which optional callbacks a connection should run (they cost a little per record or per
// handshake, so the backend installs its hooks only when the program has set the callback).
enum HookBits : uint32_t {
  kHookKeyLog = 1u << 0,      // ConnObserver::OnKeyLog
  kHookMessage = 1u << 1,     // ConnObserver::OnMessage
  kHookNewSession = 1u << 2,  // ConnObserver::OnNewSession
  kHookAlpnSelect = 1u << 3,  // ConnObserver::SelectAlpn (server)
  kHookServerName = 1u << 4,  // ConnObserver::OnServerName (server)
  kHookCert = 1u << 5,        // ConnObserver::OnCertificateNeeded
  // ConnObserver::SealTicket / OpenTicket / OnTicketKey (server): the program set a session
  // ticket key callback on the connection's SSL_new context.
  kHookTicketKey = 1u << 6,
  kHookClientHello = 1u << 7,  // ConnObserver::OnClientHello (server)
  kHookGetSession = 1u << 8,   // ConnObserver::LookupSession (server)
  kHookTlsextDebug = 1u << 9,  // ConnObserver::OnExtensionReceived
};

// OCSP stapling, in OpenSSL's numbers (abi/exports check them against OpenSSL's headers).
inline constexpr int kStatusTypeOcsp = 1;  // TLSEXT_STATUSTYPE_ocsp

// Which session ticket key callback the program set (SSL_CTX_set_tlsext_ticket_key_cb takes an
// HMAC_CTX, SSL_CTX_set_tlsext_ticket_key_evp_cb an EVP_MAC_CTX): a backend whose library calls
// it with the program's libcrypto objects (ConnObserver::OnTicketKey) installs the same kind.
enum class TicketKeyCallback { kNone, kHmacCtx, kEvpMac };

// The ticket key name's length (16 bytes: SSL_CTX_set_tlsext_ticket_key_cb(3)) and the largest
// IV (EVP_MAX_IV_LENGTH).
inline constexpr size_t kTicketKeyNameLength = 16;
// SSL_CTX_set_tlsext_ticket_keys' keys: the name, a 32-byte HMAC key, a 32-byte AES key.
inline constexpr size_t kTicketKeysLength = kTicketKeyNameLength + 32 + 32;
inline constexpr size_t kTicketMaxIvLength = 16;

// What a server's choice among its certificates of different key types rests on, at the moment
// the backend picks one (after the version is settled, before the suite is chosen).
struct CertificateChoiceInputs {
  bool tls13 = false;
  std::vector<uint16_t> signature_algorithms;  // the client's, in its order
  std::vector<uint16_t> groups;                // the client's supported_groups
  // TLS 1.2: the authentication of each suite both sides enable, in the order the server picks
  // suites ('E': ECDSA, 'R': RSA), at most once each.
  std::string suite_authentications;
};

// The ClientHello as OpenSSL's SSL_client_hello_get0_* functions show it to a client hello
// callback: views into the message, valid only while ConnObserver::OnClientHello runs.
struct ClientHelloView {
  struct Extension {
    unsigned type = 0;
    const uint8_t* data = nullptr;
    size_t len = 0;
  };
  bool isv2 = false;
  unsigned legacy_version = 0;
  const uint8_t* random = nullptr;
  size_t random_len = 0;
  const uint8_t* session_id = nullptr;
  size_t session_id_len = 0;
  const uint8_t* cipher_suites = nullptr;
  size_t cipher_suites_len = 0;
  const uint8_t* compression_methods = nullptr;
  size_t compression_methods_len = 0;
  // Only the extensions OpenSSL 3 collects (those it implements), in the order received, since
  // OpenSSL's getters never show the others (GREASE, extensions it does not know).
  std::vector<Extension> extensions;
};

// A client hello callback's answers, OpenSSL's SSL_CLIENT_HELLO_SUCCESS / _ERROR / _RETRY
// (abi/exports/client_hello.cc checks them against OpenSSL's headers).
inline constexpr int kClientHelloSuccess = 1;
inline constexpr int kClientHelloError = 0;
inline constexpr int kClientHelloRetry = -1;

class BackendConn;
class BackendCtx;

// Events a connection reports to the core, which turns them into the program's callbacks with the
// program's handles.
class ConnObserver {
 public:
  virtual ~ConnObserver() = default;
  // SSL_CB_* (same numbers in both libraries) for the info callback.
  virtual void OnInfo(int where, int ret) = 0;
  // Peer verification with the program's X509_STORE and verify callback.
  virtual VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>& chain_der) = 0;

  // The rest run only for the hooks enabled with BackendConn::EnableHooks.
  // One NSS key log line, without the newline (SSL_CTX_set_keylog_callback).
  virtual void OnKeyLog(const char* line) = 0;
  // A protocol message (SSL_CTX_set_msg_callback): OpenSSL's write_p, version, content_type.
  virtual void OnMessage(int write_p, int version, int content_type, const void* buf,
                         size_t len) = 0;
  // A new session to cache (SSL_CTX_sess_set_new_cb). Returns true when the core kept it.
  virtual bool OnNewSession(std::unique_ptr<BackendSession> session) = 0;
  // A server's external session cache (SSL_CTX_sess_set_get_cb), asked for the session whose ID
  // a ClientHello names when the backend's own cache has none. The answer stays valid while the
  // connection lives (the core keeps a reference to it); nullptr when the cache has none.
  virtual const BackendSession* LookupSession(const uint8_t* /*id*/, size_t /*len*/) {
    return nullptr;
  }
  // The private-key operations of a backend that leaves them to the program's own key (the one
  // the program gave the connection, `own_key`, or its current context): sign the message `in`
  // as TLS SignatureScheme `code` says, or the raw RSA decryption of a TLS 1.2 RSA key exchange.
  // False when the key cannot (the handshake then fails).
  virtual bool SignWithProgramKey(bool /*own_key*/, uint16_t /*code*/, const uint8_t* /*in*/,
                                  size_t /*len*/, std::vector<uint8_t>* /*out*/) {
    return false;
  }
  virtual bool DecryptWithProgramKey(bool /*own_key*/, const uint8_t* /*in*/, size_t /*len*/,
                                     std::vector<uint8_t>* /*out*/) {
    return false;
  }
  // Server ALPN choice (SSL_CTX_set_alpn_select_cb): `in` is the client's wire-format list; on
  // SSL_TLSEXT_ERR_OK *out/*outlen point into `in` or into memory the core keeps alive.
  virtual int SelectAlpn(const uint8_t* in, size_t inlen, const uint8_t** out, uint8_t* outlen) = 0;
  // Server name callback (SSL_CTX_set_tlsext_servername_callback), after the ClientHello's SNI is
  // known; may switch the connection's context (BackendConn::SwitchCtx). Returns
  // SSL_TLSEXT_ERR_OK / _ALERT_WARNING / _ALERT_FATAL / _NOACK (OpenSSL's numbers).
  virtual int OnServerName(int* alert) = 0;
  // Certificate callback (SSL_CTX_set_cert_cb), before the certificate is chosen: 1 go on, 0 fail,
  // -1 retry later (SSL_ERROR_WANT_X509_LOOKUP).
  virtual int OnCertificateNeeded() = 0;
  // Client hello callback (SSL_CTX_set_client_hello_cb), before anything else is decided about
  // the ClientHello; may switch the connection's context and change its settings. Returns
  // kClientHello*; on kClientHelloError *alert (preset to internal_error, as OpenSSL) is sent.
  virtual int OnClientHello(const ClientHelloView& hello, int* alert) = 0;
  // NPN (TLS <= 1.2), asked only while BackendCtx::EnableNextProtoCallbacks says so for the
  // connection's current context. Server: the wire-format list to advertise
  // (SSL_CTX_set_next_protos_advertised_cb); SSL_TLSEXT_ERR_OK advertises it, anything else
  // advertises nothing. Client: the protocol chosen from the server's list `in`
  // (SSL_CTX_set_next_proto_select_cb); anything but SSL_TLSEXT_ERR_OK fails the handshake.
  virtual int AdvertiseNextProtos(const uint8_t** out, unsigned* outlen) = 0;
  virtual int SelectNextProto(uint8_t** out, uint8_t* outlen, const uint8_t* in,
                              unsigned inlen) = 0;

  // An extension of a message received (SSL_set_tlsext_debug_callback), as OpenSSL 3 reports it:
  // only those it implements, in the order received, from the ClientHello (and a TLS 1.3 client's
  // Certificate) on a server, from the ServerHello, a HelloRetryRequest and the TLS 1.3
  // EncryptedExtensions, Certificate, CertificateRequest and NewSessionTicket on a client.
  // `client_server` is OpenSSL's: 1 on a client, 0 on a server.
  virtual void OnExtensionReceived(int /*client_server*/, int /*type*/, const uint8_t* /*data*/,
                                   size_t /*len*/) {}

  // OCSP stapling (SSL_CTX_set_tlsext_status_cb), asked when OpenSSL 3 asks: on a server whose
  // client sent status_request, once the certificate is chosen; the answer is OpenSSL's
  // SSL_TLSEXT_ERR_OK (staple what BackendConn::SetOcspResponse was given during the call, if
  // anything), _NOACK (staple nothing) or anything else (fail the handshake). On a client that
  // asked for status (BackendConn::RequestOcspStatus), once the server's certificate is checked:
  // 1 go on, 0 the response is not acceptable, < 0 the callback failed. Without a program
  // callback the answers are OK and 1.
  virtual int OnStatus(bool server) { return server ? 0 : 1; }

  // TLS 1.2 PSK (SSL_CTX_set_psk_client_callback / _server_callback), asked only while
  // BackendConn::SetPsk says the program has the callback. Client: the server's identity hint (or
  // nullptr), and room for the identity (a string of at most max_identity_len bytes) and the key;
  // server: the client's identity. The key's length, 0 for none (the handshake fails).
  virtual unsigned OnPskClient(const char* /*hint*/, char* /*identity*/,
                               unsigned /*max_identity_len*/, uint8_t* /*psk*/,
                               unsigned /*max_psk_len*/) {
    return 0;
  }
  virtual unsigned OnPskServer(const char* /*identity*/, uint8_t* /*psk*/,
                               unsigned /*max_psk_len*/) {
    return 0;
  }

  // Session tickets with the program's key callback (kHookTicketKey), for a backend that seals
  // tickets itself: the session's bytes sealed as OpenSSL seals them (key name, IV, ciphertext,
  // HMAC) with the keys the callback chose. SealTicket: 1 sealed into *out, 0 the callback
  // asked for no ticket, -1 failed. OpenTicket: 1 opened into *out, 2 opened and the callback
  // asks for a new ticket, 0 the callback does not know the key (a full handshake), -1 failed.
  virtual int SealTicket(const uint8_t* /*in*/, size_t /*len*/, std::vector<uint8_t>* /*out*/) {
    return -1;
  }
  virtual int OpenTicket(const uint8_t* /*in*/, size_t /*len*/, std::vector<uint8_t>* /*out*/) {
    return 0;
  }
  // For a backend whose library calls the callback itself with contexts of the program's
  // libcrypto (the real libssl): `cipher_ctx` is an EVP_CIPHER_CTX, `mac_ctx` the HMAC_CTX or
  // EVP_MAC_CTX of the kind installed; the callback's answer as it gave it.
  virtual int OnTicketKey(uint8_t* /*key_name*/, uint8_t* /*iv*/, void* /*cipher_ctx*/,
                          void* /*mac_ctx*/, int /*enc*/) {
    return -1;
  }
};

class BackendConn {
 public:
  virtual ~BackendConn() = default;

  virtual void SetConnectState() = 0;
  virtual void SetAcceptState() = 0;
  virtual bool IsServer() const = 0;

  // Takes ownership as SSL_set_bio does: one reference each, one when rbio == wbio.
  virtual void SetBio(void* rbio, void* wbio) = 0;
  virtual void* rbio() const = 0;
  virtual void* wbio() const = 0;

  virtual IoResult Handshake() = 0;
  // Writes exactly as OpenSSL's SSL_write would, given arguments the core has already checked.
  virtual IoResult Write(const void* buf, int num) = 0;
  // Sends what a write that failed on the transport left in the record layer, without answering
  // that write (it stays pending; its retry answers it). OpenSSL's read sends a KeyUpdate it was
  // asked for itself, so its backend has nothing to send (ret 1).
  virtual IoResult FlushPendingWrite() = 0;
  virtual IoResult Read(void* buf, int num, bool peek) = 0;
  virtual IoResult Shutdown() = 0;
  virtual int Pending() const = 0;
  // SSL_has_pending: decrypted bytes, or received bytes not yet processed (read-ahead).
  virtual bool HasPending() const = 0;
  // SSL_set_read_ahead (TLS only): read as much as the transport has, up to a record buffer, and
  // take records from what was read, instead of a header and then a body per record.
  virtual void SetReadAhead(bool on) = 0;

  virtual bool IsInitFinished() const = 0;
  virtual int GetShutdown() const = 0;  // SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN
  virtual void SetShutdown(int mode) = 0;
  // Asks for a renegotiation (TLS <= 1.2) or a KeyUpdate (TLS 1.3; OpenSSL's
  // SSL_KEY_UPDATE_* type). Returns false, with errors recorded, where the backend cannot.
  virtual bool Renegotiate() = 0;
  virtual bool KeyUpdate(int type) = 0;

  // The connection's whole mode word in OpenSSL's numbering (not bits to add); the backend
  // translates what it understands.
  virtual void SetMode(long openssl_mode) = 0;
  virtual bool SetHostName(const char* name) = 0;  // SNI
  // The CA names this server connection sends in its CertificateRequest (DER, one per name),
  // replacing its context's.
  virtual bool SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) = 0;
  virtual void SetVerify(int mode) = 0;  // SSL_VERIFY_* bits

  virtual const char* Version() const = 0;  // "TLSv1.3", as SSL_get_version
  virtual int VersionNumber() const = 0;    // as SSL_version
  virtual size_t Finished(void* out, size_t len) const = 0;
  virtual size_t PeerFinished(void* out, size_t len) const = 0;
  virtual std::vector<uint8_t> PeerCertificateDer() const = 0;  // empty if none
  // The chain the peer sent, leaf first (both sides; the core applies OpenSSL's server quirk).
  virtual std::vector<std::vector<uint8_t>> PeerChainDer() const = 0;
  // The TLS SignatureScheme code of the peer's handshake signature (0: none yet, or a key
  // exchange without one), and the schemes the peer offered (its signature_algorithms, or a
  // server's CertificateRequest), as OpenSSL keeps them after the handshake.
  virtual uint16_t PeerSignatureScheme() const = 0;
  virtual std::vector<uint16_t> PeerSignatureSchemes() const = 0;
  // The CA names (DER) a server's CertificateRequest listed, for a client; empty if none.
  virtual std::vector<std::vector<uint8_t>> PeerCaNamesDer() const = 0;
  virtual bool SecureRenegotiationSupported() const = 0;  // SSL_get_secure_renegotiation_support
  virtual int TotalRenegotiations() const = 0;            // SSL_total_renegotiations
  // The TLS NamedGroup code of the key exchange's group (29: X25519, 23: P-256, ...), 0 if none.
  virtual uint16_t NegotiatedGroup() const = 0;

  virtual void EnableHooks(uint32_t hook_bits) = 0;       // HookBits; the whole set each time
  virtual void SetOptions(uint64_t openssl_options) = 0;  // the whole set, OpenSSL's bits
  virtual bool SetCipherList(const char* list) = 0;
  virtual bool UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) = 0;
  virtual bool UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) = 0;
  // Moves the connection to another context's certificate and settings (SSL_set_SSL_CTX, from a
  // server name callback).
  virtual bool SwitchCtx(BackendCtx* ctx) = 0;
  virtual void SetQuietShutdown(bool quiet) = 0;
  // SSL_set_min_proto_version / SSL_set_max_proto_version: this connection's bounds (0: none),
  // under the method's, as the context's. False, with errors, for a bound the backend rejects.
  virtual bool SetMinVersion(int version) = 0;
  virtual bool SetMaxVersion(int version) = 0;
  // SSL_set_ciphersuites (TLS 1.3) and SSL_set1_groups_list, as the context's setters. False,
  // with errors recorded, when the backend cannot apply the list as given.
  virtual bool SetCiphersuites(const char* list) = 0;
  virtual bool SetGroups(const char* list) = 0;
  // SSL_set1_sigalgs(_list), as the context's.
  virtual bool SetSignatureAlgorithms(const std::vector<uint16_t>& codes) = 0;
  // SSL_set1_client_sigalgs(_list), as the context's.
  virtual bool SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) = 0;
  // SSL_CTX_set_max_send_fragment: the largest record written, 512 to 16384 (checked by the core).
  virtual bool SetMaxSendFragment(size_t max) = 0;
  // SSL_set_max_cert_list: the longest certificate message taken from the peer.
  virtual void SetMaxCertList(size_t max) = 0;
  // SSL_get_extms_support once the handshake is done: whether the session uses the extended
  // master secret (RFC 7627), as OpenSSL's session flag says.
  virtual bool ExtendedMasterSecret() const = 0;
  // SSL_set_security_level, as the context's.
  virtual bool SetSecurityLevel(int level) = 0;
  // SSL_clear: ready for a new connection on the same object, keeping the settings, the BIOs,
  // the role and (a client's) session to resume, as OpenSSL's. False, with errors, on failure.
  virtual bool Clear() = 0;

  virtual bool CurrentCipher(CipherInfo* out) const = 0;  // false before the handshake
  virtual std::vector<CipherInfo> Ciphers() const = 0;    // what this connection would offer
  // Any cipher suite the backend's library knows by its IANA code (SSL_CIPHER_find looks beyond
  // the connection's configured list, as OpenSSL's does); false for one it does not.
  virtual bool FindCipher(uint16_t code, CipherInfo* out) const = 0;
  // A server's record of the client's offer (SSL_get_shared_ciphers): the cipher suite codes of
  // the last ClientHello, in its order; empty on a client or before a ClientHello.
  virtual std::vector<uint16_t> PeerCipherSuites() const = 0;
  // A server's record of the client's supported_groups (SSL_get1_groups): the group codes of the
  // last ClientHello, in its order, unknown ones (GREASE) included; empty on a client or before.
  virtual std::vector<uint16_t> PeerGroups() const = 0;
  // SSL_get_shared_group: a server's groups that are also in the client's supported_groups, in
  // OpenSSL 3's order (the client's; with SSL_OP_CIPHER_SERVER_PREFERENCE the server's); empty on
  // a client or before a ClientHello.
  virtual std::vector<uint16_t> SharedGroups() const = 0;
  // SSL_get0_ec_point_formats: the peer's ec_point_formats list, as OpenSSL 3 keeps it (TLS 1.2
  // and below, a full handshake); false when there is none.
  virtual bool PeerEcPointFormats(std::vector<uint8_t>* formats) const = 0;
  // A server's, from inside ConnObserver::OnCertificateNeeded: what its choice of certificate
  // rests on. A backend that holds every certificate the program set and chooses among them
  // itself (the real libssl) answers nothing (empty lists), and the core leaves the choice to it.
  virtual CertificateChoiceInputs ServerCertificateInputs() const { return {}; }
  // SSL_get_peer_tmp_key: the peer's ephemeral key share as OpenSSL 3 keeps it (a client's: the
  // server's ECDHE point or TLS 1.3 key_share; a TLS 1.3 server's: the client's share of the
  // chosen group; none on a TLS 1.2 server), as its TLS NamedGroup code and its encoding on the
  // wire. False when there is none.
  virtual bool PeerKeyShare(uint16_t* group, std::vector<uint8_t>* public_key) const = 0;
  // SSL_get0_certificate_types: whether this client got a CertificateRequest, and the
  // certificate_types it listed (none at TLS 1.3, which has no such field).
  virtual bool PeerCertificateTypes(std::vector<uint8_t>* types) const = 0;
  // SSL_get_tlsext_status_exts on a server: the request_extensions of the client's
  // status_request, DER as sent (empty: none sent).
  virtual std::vector<uint8_t> StatusRequestExtensionsDer() const = 0;
  // SSL_client_version: the method's version before the ClientHello (TLS_ANY_VERSION or
  // DTLS_ANY_VERSION for a flexible one); once a client has sent its hello, the legacy_version in
  // it; once a server has received one, the client's.
  virtual int ClientVersion() const = 0;
  // PSK: which of the program's callbacks this connection has (ConnObserver::OnPskClient /
  // OnPskServer) and the identity hint a server sends (nullptr: none); false, with errors, when
  // the backend refuses the hint. Then what the handshake used: the client's identity and the
  // server's hint (false: none).
  virtual bool SetPsk(bool client_callback, bool server_callback, const char* hint) = 0;
  virtual bool PskIdentity(std::string* out) const = 0;
  virtual bool PskIdentityHint(std::string* out) const = 0;
  // OpenSSL 3 also runs the PSK callbacks in TLS 1.3 (as an external PSK); a backend that cannot
  // says so, and the core then refuses a handshake that could reach TLS 1.3 with them.
  virtual bool HasTls13ExternalPsk() const = 0;
  virtual std::vector<uint8_t> AlpnSelected() const = 0;  // empty if none
  // The protocol NPN negotiated (SSL_get0_next_proto_negotiated); empty if none.
  virtual std::vector<uint8_t> NextProtoNegotiated() const = 0;
  // SSL_set_alpn_protos: the client's list for this connection, a valid wire-format list or
  // (nullptr, 0) for none; the core has checked it as OpenSSL does.
  virtual bool SetAlpnProtos(const uint8_t* wire, size_t len) = 0;
  // SSL_set_session_id_context, at most SSL_MAX_SID_CTX_LENGTH bytes (the core checks). As in
  // OpenSSL, SwitchCtx keeps a context set here when it differs from the old context's.
  virtual bool SetSessionIdContext(const uint8_t* sid_ctx, size_t len) = 0;
  // SSL_copy_session_id's part after the session (which the core sets with SetSession): this
  // connection takes `from`'s certificate, private key and chain (none if it has none) and its
  // session ID context, as OpenSSL's shares the other connection's. `from` is of this backend.
  virtual bool CopyCertificateAndSessionIdContext(const BackendConn& from) = 0;
  // OCSP stapling. Client: ask for the server's status (SSL_set_tlsext_status_type), and the
  // response it stapled (empty if none). Server: the response to staple, given while
  // ConnObserver::OnStatus runs.
  virtual bool RequestOcspStatus() { return false; }
  // Certificate transparency (a client): ask for the server's SCTs in the ClientHello
  // (signed_certificate_timestamp), and the list the server sent there (the extension's body, a
  // SignedCertificateTimestampList; empty for none).
  virtual bool RequestSignedCertTimestamps() { return false; }
  virtual std::vector<uint8_t> PeerSignedCertTimestamps() const { return {}; }
  virtual std::vector<uint8_t> OcspResponse() const { return {}; }
  virtual bool SetOcspResponse(const uint8_t* /*der*/, size_t /*len*/) { return false; }
  // The handshake's ClientHello and ServerHello randoms (zeros before they are known).
  virtual void Randoms(uint8_t client[kRandomSize], uint8_t server[kRandomSize]) const = 0;
  // SSL_export_keying_material's answer: 1 with `out` filled, 0 with errors recorded, -1 when
  // the connection has no session yet (nothing recorded), as OpenSSL 3, whose refusal of a
  // TLS <= 1.2 label starting as TLS's own ("master secret"...: SSL_R_TLS_ILLEGAL_EXPORTER_LABEL)
  // included.
  virtual int ExportKeyingMaterial(uint8_t* out, size_t out_len, const char* label,
                                   size_t label_len, const uint8_t* context, size_t context_len,
                                   bool use_context) = 0;
  virtual std::string ServerName() const = 0;  // SNI sent (client) or received (server)
  virtual const char* StateString(bool long_form) const = 0;  // SSL_state_string(_long)
  virtual HandshakeState GetHandshakeState() const = 0;       // SSL_get_state
  // SSL_in_before: no handshake has begun (since SSL_new or SSL_clear). A server that has waited
  // for a ClientHello is no longer before, though SSL_get_state still says TLS_ST_BEFORE.
  virtual bool InBefore() const = 0;

  // Resumption. Get1Session is nullptr before a session exists.
  virtual std::unique_ptr<BackendSession> Get1Session() const = 0;
  virtual bool SetSession(const BackendSession* session) = 0;  // nullptr clears
  virtual bool SessionReused() const = 0;
  // SSL_has_matching_session_id: whether the server cache of the connection's session context
  // holds a session with this ID and the connection's version (OpenSSL's cache key): the version
  // negotiated, else `initial_version`, OpenSSL's before a version is (its method's highest).
  virtual bool HasMatchingSessionId(const uint8_t* /*id*/, size_t /*len*/,
                                    int /*initial_version*/) const {
    return false;
  }

  // DTLS, in OpenSSL's conventions. The defaults answer as OpenSSL does for a TLS connection:
  // no timer, nothing to retransmit, no MTU to set.
  // DTLSv1_get_timeout: true with the time left before the flight is resent.
  virtual bool DtlsGetTimeout(long* seconds, long* microseconds) const {
    (void)seconds, (void)microseconds;
    return false;
  }
  virtual int DtlsHandleTimeout() { return 0; }  // DTLSv1_handle_timeout: 1 resent, 0, -1 failed
  virtual bool DtlsSetMtu(long mtu) {            // SSL_set_mtu: the datagram payload size
    (void)mtu;
    return false;
  }
  virtual bool DtlsSetLinkMtu(long mtu) {  // DTLS_set_link_mtu: payload + the BIO's overhead
    (void)mtu;
    return false;
  }
  virtual size_t DtlsDataMtu() const { return 0; }  // DTLS_get_data_mtu: 0 before the handshake

  // TLS 1.3 early data with OpenSSL 3's semantics (docs/design-notes.md, "Early data"). The
  // limits are OpenSSL's per-connection settings (SSL_set_max_early_data: what a server's tickets
  // allow; SSL_set_recv_max_early_data: what it accepts), inherited from the context. A backend
  // without early data answers false / an SSL_ERROR_SSL result, and the core reports why.
  virtual bool SetMaxEarlyData(uint32_t /*max*/) { return false; }
  virtual uint32_t MaxEarlyData() const { return 0; }
  virtual bool SetRecvMaxEarlyData(uint32_t /*max*/) { return false; }
  virtual uint32_t RecvMaxEarlyData() const { return 0; }
  // SSL_read_early_data: *status is kReadEarlyData*; on kReadEarlyDataSuccess `ret` is the byte
  // count, on kReadEarlyDataError `ret`/`ssl_error` say why as for SSL_read.
  virtual IoResult ReadEarlyData(void* /*buf*/, int /*num*/, int* status) {
    *status = kReadEarlyDataError;
    return {-1, 1 /* SSL_ERROR_SSL */, 0};
  }
  // SSL_write_early_data: `ret` > 0 bytes written (all of them), else as SSL_write.
  virtual IoResult WriteEarlyData(const void* /*buf*/, int /*num*/) {
    return {-1, 1 /* SSL_ERROR_SSL */, 0};
  }
  virtual int EarlyDataStatus() const { return kEarlyDataNotSent; }  // kEarlyData*
  // A server reading accepted early data (before EndOfEarlyData): OpenSSL's SSL_in_init says 0
  // then, while SSL_is_init_finished says 0 too (nginx sends close_notify only when not in init).
  virtual bool InEarlyData() const { return false; }
  // OpenSSL's CA list (SSL_set0_CA_list), this connection's own (nullptr: none, its context's
  // applies): a server sends it where its client CA list is empty (CertificateRequest), a client
  // in its ClientHello's certificate_authorities extension. False, with errors, if refused.
  virtual bool SetCaNames(const std::vector<std::vector<uint8_t>>* /*names_der*/) { return false; }
  // SSL_set_num_tickets: the TLS 1.3 tickets this server connection sends. False, with errors,
  // where the backend cannot send another count than its context's.
  virtual bool SetNumTickets(size_t /*n*/) { return false; }
  // SSL_certs_clear: the connection has no certificate, key or chain any more (its context's
  // stay the context's).
  virtual bool ClearCertificates() { return false; }
  // The TLS SignatureScheme code of this side's own handshake signature as OpenSSL 3 records it
  // (SSL_get_signature_type_nid); 0 for none.
  virtual uint16_t OwnSignatureScheme() const { return 0; }
  // The cipher suite the handshake chose, before and after it is in use (SSL_get_pending_cipher);
  // false when none is chosen yet.
  virtual bool PendingCipher(CipherInfo* out) const { return CurrentCipher(out); }
  // OpenSSL's record reading state (SSL_rstate_string): a header is awaited, or a record's body.
  virtual bool ReadingRecordBody() const { return false; }
  // SSL_alloc_buffers / SSL_free_buffers / SSL_set_default_read_buffer_len, as OpenSSL answers
  // them. A backend that manages its buffers itself has them when needed and releases them when
  // empty: freeing is refused only while bytes are held.
  virtual bool AllocateBuffers() { return true; }
  virtual bool ReleaseBuffers() { return !HasPending(); }
  virtual void SetDefaultReadBufferLength(size_t /*len*/) {}

  // SSL_sendfile: needs kernel TLS on the write BIO, as in OpenSSL; -1 with the reason recorded
  // when the connection has none.
  virtual IoResult SendFile(int /*fd*/, int64_t /*offset*/, size_t /*size*/, int /*flags*/) {
    return {-1, 1 /* SSL_ERROR_SSL */, 0};
  }

  // DTLS-SRTP (use_srtp): the profiles this connection offers (client) or picks from (server),
  // a list of OpenSSL's profile names the core has checked as OpenSSL does
  // ("SRTP_AES128_CM_SHA1_80: SRTP_AEAD_AES_128_GCM"), replacing its context's; and the profile
  // negotiated, as its IANA number (0: none). The defaults are a backend without SRTP.
  virtual bool SetSrtpProfiles(const char* /*profiles*/) { return false; }
  virtual unsigned long SelectedSrtpProfile() const { return 0; }
  // SSL_export_keying_material_early (RFC 8446's early exporter): whether the backend keeps the
  // early exporter secret at all, and then OpenSSL 3's whole answer (1, or 0 with errors).
  virtual bool HasEarlyExporter() const { return false; }
  virtual int ExportEarlyKeyingMaterial(uint8_t* /*out*/, size_t /*out_len*/, const char* /*label*/,
                                        size_t /*label_len*/, const uint8_t* /*context*/,
                                        size_t /*context_len*/) {
    return 0;
  }
  // SSL_renegotiate_abbreviated: a renegotiation that offers to resume the session. A backend
  // whose renegotiations are always full handshakes does a full one (only slower).
  virtual bool RenegotiateAbbreviated() { return Renegotiate(); }
  // SSL_set_block_padding (TLS 1.3 records padded to a multiple of `block_size`, 2 to 16384,
  // checked by the core); false where the backend cannot pad.
  virtual bool SetBlockPadding(size_t /*block_size*/) { return false; }

  // Moves the errors the last operation left into `out` (in OpenSSL's numbering) and clears them.
  virtual void TakeErrors(std::vector<ErrorRecord>* out) = 0;
};

class BackendCtx {
 public:
  virtual ~BackendCtx() = default;
  virtual std::unique_ptr<BackendConn> NewConn(ConnObserver* observer) = 0;

  virtual bool SetMinVersion(int version) = 0;  // 0: lowest the backend has
  virtual bool SetMaxVersion(int version) = 0;  // 0: highest the backend has
  // SSL_CTX_set_ssl_version: the connections made afterwards have `method` (its endpoint and the
  // versions it pins). The core keeps the transport, and restores the default cipher lists.
  virtual bool SetMethod(const MethodSpec& method) = 0;
  virtual void SetOptions(uint64_t openssl_options) = 0;  // the whole set, OpenSSL's bits
  virtual bool SetCipherList(const char* list) = 0;       // TLS <= 1.2, OpenSSL's syntax
  virtual bool SetCiphersuites(const char* list) = 0;     // TLS 1.3
  virtual bool SetGroups(const char* list) = 0;           // "X25519:P-256", OpenSSL's names
  // SSL_CTX_set1_sigalgs(_list): the signature algorithms (TLS SignatureScheme codes, in order of
  // preference) offered to the peer, accepted from it and signed with. False, with the reason,
  // where the backend can apply none of them.
  virtual bool SetSignatureAlgorithms(const std::vector<uint16_t>& codes) = 0;
  // SSL_CTX_set1_client_sigalgs(_list): the algorithms of client authentication, in place of
  // the list above there, as OpenSSL's client_sigalgs: what a server asks for in its
  // CertificateRequest (and accepts), what a client signs with. Checked as that list is.
  virtual bool SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) = 0;
  // SSL_CTX_set_max_send_fragment: the largest record written, 512 to 16384 (checked by the core).
  virtual bool SetMaxSendFragment(size_t max) = 0;
  // SSL_CTX_set_max_cert_list: the longest certificate message taken from the peer.
  virtual void SetMaxCertList(size_t max) = 0;
  // OpenSSL's security level (SSL_CTX_set_security_level, "@SECLEVEL=n") for what the TLS layer
  // decides: versions, suites, groups and signature algorithms. The certificates the peer sends
  // are held to it by the core's verification (auth level). False, with the reason, where the
  // backend cannot apply the level.
  virtual bool SetSecurityLevel(int level) = 0;
  virtual bool UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) = 0;
  virtual bool UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) = 0;
  virtual void SetVerify(int mode) = 0;
  virtual void SetSessionCacheMode(long mode) = 0;
  virtual bool SetAlpnProtos(const uint8_t* wire, size_t len) = 0;
  // Whether the program set NPN's advertise (server) and select (client) callbacks on this
  // context: the backend's own callbacks are installed exactly then, since a client with a
  // select callback offers NPN in every ClientHello and a server with an advertise callback
  // answers it (ConnObserver::AdvertiseNextProtos / SelectNextProto do the program's part).
  virtual void EnableNextProtoCallbacks(bool advertise, bool select) = 0;
  // Distinguished names (DER) a server sends in its CertificateRequest.
  virtual bool SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) = 0;
  // OpenSSL's CA list (SSL_CTX_set0_CA_list; nullptr: none), as the connection's above.
  virtual bool SetCaNames(const std::vector<std::vector<uint8_t>>* /*names_der*/) { return false; }
  // SSL_CTX_set_default_read_buffer_len (see BackendConn).
  virtual void SetDefaultReadBufferLength(size_t /*len*/) {}
  virtual bool SetSessionIdContext(const uint8_t* sid_ctx, size_t len) = 0;
  virtual void SetSessionTimeout(long seconds) = 0;
  virtual bool SetNumTickets(size_t n) = 0;
  // The program's session ticket key callback on this context (kNone: none): tickets are then
  // sealed and opened with its keys (ConnObserver::SealTicket / OnTicketKey).
  virtual bool SetTicketKeyCallback(TicketKeyCallback /*kind*/) { return false; }
  // SSL_CTX_add_session: into the backend's own server cache; false when it is there already
  // (or cannot be added), as both libraries answer.
  virtual bool AddSession(const BackendSession* /*session*/) { return false; }
  // SSL_CTX_remove_session's part: out of the backend's server cache; false when it was not there.
  virtual bool RemoveSession(const BackendSession* session) = 0;
  // SSL_CTX_sess_set_remove_cb: whether the program has a remove-session callback. OpenSSL's
  // TLS 1.3 server caches its sessions only then, so a backend that is OpenSSL follows it.
  virtual void SetRemoveSessionCallback(bool set) = 0;
  // SSL_CTX_flush_sessions: removes from the backend's server cache every session expired at
  // `time` (seconds since the epoch, >= 0; 0: all of them) and returns them, for the program's
  // remove-session callback.
  virtual std::vector<std::unique_ptr<BackendSession>> FlushSessions(long time) = 0;
  // The sessions in the backend's server cache now, each holding its own reference
  // (SSL_CTX_sessions, SSL_CTX_sess_number).
  virtual std::vector<std::unique_ptr<BackendSession>> CachedSessions() const = 0;
  // Early data limits for new connections (see BackendConn); false where the backend has none.
  virtual bool SetMaxEarlyData(uint32_t /*max*/) { return false; }
  virtual uint32_t MaxEarlyData() const { return 0; }
  virtual bool SetRecvMaxEarlyData(uint32_t /*max*/) { return false; }
  virtual uint32_t RecvMaxEarlyData() const { return 0; }
  // DTLS-SRTP profiles and block padding for new connections (see BackendConn).
  virtual bool SetSrtpProfiles(const char* /*profiles*/) { return false; }
  virtual bool SetBlockPadding(size_t /*block_size*/) { return false; }

  virtual void TakeErrors(std::vector<ErrorRecord>* out) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;  // "boringssl" or "openssl"
  // nullptr with errors (TakeErrors) when the backend cannot make a context.
  virtual std::unique_ptr<BackendCtx> NewCtx(const MethodSpec& method,
                                             const ProgramBioOps* bio_ops) = 0;
  // SSL_CTX_new_ex's property query (which providers' implementations the context may use):
  // a backend with OpenSSL's providers takes it (HasProviders); one without gets a context only
  // for a query the core has found the default provider answers (core/objects.cc).
  virtual bool HasProviders() const { return false; }
  virtual std::unique_ptr<BackendCtx> NewCtxWithPropertyQuery(const MethodSpec& method,
                                                              const ProgramBioOps* bio_ops,
                                                              const char* /*propq*/) {
    return NewCtx(method, bio_ops);
  }
  virtual void TakeErrors(std::vector<ErrorRecord>* out) = 0;
  // d2i_SSL_SESSION: reads what BackendSession::Serialize wrote; nullptr if it cannot.
  virtual std::unique_ptr<BackendSession> ParseSession(const uint8_t* der, size_t len) = 0;
  // SSL_SESSION_new: a session with nothing in it (no version, cipher or secret), which resumes
  // nothing; nullptr if it cannot be made.
  virtual std::unique_ptr<BackendSession> NewSession() = 0;
};

// Each backend's factory; nullptr (with a reason in *why) when it cannot run in this process.
std::unique_ptr<Backend> MakeBoringSslBackend(std::string* why);
std::unique_ptr<Backend> MakeOpenSslBackend(std::string* why);

}  // namespace sslshim
