// The shim's own SSL_CTX and SSL objects: what OpenSSL keeps per context and per connection that
// the program can observe (mode and option words in OpenSSL's numbering, callbacks, ex_data, the
// X509_STORE), around the backend's objects that do the TLS.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/dane.h"
#include "core/der_cache.h"
#include "core/handle_table.h"
#include "core/io_state.h"
#include "core/security_callback.h"
#include "core/session_cache_view.h"
#include "core/session_stats.h"
#include "core/unique_ptr.h"

namespace sslshim {

// OpenSSL 3's defaults for a new SSL_CTX (ssl/ssl_lib.c, SSL_CTX_new_ex).
inline constexpr long kDefaultMode = SSL_MODE_AUTO_RETRY;
inline constexpr uint64_t kDefaultOptions = SSL_OP_NO_COMPRESSION | SSL_OP_ENABLE_MIDDLEBOX_COMPAT;

class Ssl;

// An SSL_SESSION of ours: reference counted like OpenSSL's, around the backend's session.
struct Session {
  void* handle = nullptr;
  std::atomic<int> refs{1};
  std::unique_ptr<BackendSession> backend;
  std::vector<uint8_t> id;  // cached: SSL_SESSION_get_id hands out a pointer
  // cached: SSL_SESSION_get0_hostname likewise (none: NULL; SSL_SESSION_set1_hostname can set "")
  std::optional<std::string> hostname;
  std::vector<uint8_t> id_context;  // cached: SSL_SESSION_get0_id_context likewise
  std::vector<uint8_t> ticket;      // cached: SSL_SESSION_get0_ticket likewise
  std::vector<uint8_t> alpn;        // cached: SSL_SESSION_get0_alpn_selected likewise
  UniquePtr<X509> peer;             // cached: SSL_SESSION_get0_peer likewise
  CRYPTO_EX_DATA ex_data{};

  SSL_SESSION* api() const { return static_cast<SSL_SESSION*>(handle); }
};

void SessionRelease(Session* session);
// One reference to a session, dropped with the holder.
struct SessionReleaser {
  void operator()(Session* session) const { SessionRelease(session); }
};
using SessionRef = std::unique_ptr<Session, SessionReleaser>;

struct Method {
  MethodSpec spec;
  void* handle = nullptr;
};

// A certificate a context keeps besides its current one, of another key type. OpenSSL keeps one
// certificate (with its key and chain) per key type: an ECDSA certificate set after an RSA one
// becomes the current one and the RSA one stays, and a server presents the one the client can
// use (exports/cert_choice.cc).
struct CertificateKey {
  UniquePtr<X509> certificate;
  UniquePtr<EVP_PKEY> private_key;  // null until set
  UniquePtr<STACK_OF(X509)> chain;  // the certificate's own chain, or null
};

// What OpenSSL keeps of the record layer's sizes for SSL_CTX_set_max_send_fragment,
// set_split_send_fragment, set_max_pipelines and set_max_cert_list. Pipelines and the split size
// have no effect here: OpenSSL 3 pipelines only with a pipeline-capable cipher from an engine, and
// BoringSSL has no pipelining; they are kept for OpenSSL's checks and answers.
struct RecordSizes {
  long max_send_fragment = SSL3_RT_MAX_PLAIN_LENGTH;
  long split_send_fragment = SSL3_RT_MAX_PLAIN_LENGTH;
  long max_pipelines = 1;
  long max_cert_list = SSL_MAX_CERT_LIST_DEFAULT;
};

// The program's callback for an async engine's job that can go on (SSL_*_set_async_callback),
// and its argument. Kept and handed over as OpenSSL's; never called, as no engine pauses a job.
struct AsyncCallback {
  SSL_async_callback_fn function = nullptr;
  void* arg = nullptr;
};

// A context. What holds an invariant is private behind methods: the handle and reference count
// (NewCtx, CtxUpRef, CtxRelease), the backend's context that lives exactly as long as this
// object, and the session counters its connections share. The rest are settings any value is
// valid for, kept as plain data as BoringSSL's SSL_CTX keeps them.
class Ctx {
  friend Ctx* NewCtx(const Method* method, const char* propq);
  friend void CtxUpRef(Ctx* ctx);
  friend void CtxRelease(Ctx* ctx);
  friend Ssl* NewSsl(Ctx* ctx);

  void* handle_ = nullptr;
  std::atomic<int> refs_{1};
  std::unique_ptr<BackendCtx> backend_;
  std::shared_ptr<SessionStats> session_stats_ = std::make_shared<SessionStats>();

 public:
  SSL_CTX* api() const { return static_cast<SSL_CTX*>(handle_); }
  void* handle() const { return handle_; }
  BackendCtx* backend() const { return backend_.get(); }
  // Shared with the connections made from this context, which count into it for their lifetime.
  SessionStats& session_stats() const { return *session_stats_; }

  const Method* method = nullptr;

  long mode = kDefaultMode;
  uint64_t options = kDefaultOptions;
  int verify_mode = SSL_VERIFY_NONE;
  int verify_depth = -1;
  SSL_verify_cb verify_callback = nullptr;
  int (*app_verify_callback)(X509_STORE_CTX*, void*) = nullptr;
  void* app_verify_arg = nullptr;
  void (*info_callback)(const SSL*, int, int) = nullptr;
  pem_password_cb* passwd_callback = nullptr;
  void* passwd_userdata = nullptr;
  long session_cache_mode = SSL_SESS_CACHE_SERVER;
  long session_cache_size = SSL_SESSION_CACHE_MAX_SIZE_DEFAULT;
  long read_ahead = 0;
  // As the program set them (0: no bound), what SSL_CTX_get_*_proto_version say.
  long min_version = 0;
  long max_version = 0;
  // A security setting the shim could not apply (core/fail_closed.h): connections made from this
  // context afterwards refuse to handshake. Empty when none.
  std::string unapplied_setting;

  // The certificates sent after the leaf (see `cert_chain`), or null.
  const STACK_OF(X509) * SentChain() const {
    return cert_chain ? cert_chain.get() : extra_certs.get();
  }

  UniquePtr<X509_STORE> store;  // the program's libcrypto object
  UniquePtr<X509_VERIFY_PARAM> param;
  UniquePtr<X509> certificate;      // the leaf last set (SSL_CTX_get0_certificate)
  UniquePtr<EVP_PKEY> private_key;  // SSL_CTX_get0_privatekey
  // What follows the leaf, kept as OpenSSL keeps it (and handed out by the getters): the
  // certificate's own chain (SSL_CTX_set0_chain, add0_chain_cert, use_certificate_chain_file),
  // which wins whenever it is set, even empty; else the extra chain certificates
  // (SSL_CTX_add_extra_chain_cert). Null: none set.
  UniquePtr<STACK_OF(X509)> cert_chain;
  UniquePtr<STACK_OF(X509)> extra_certs;
  // SSL_CTX_set0_verify_cert_store / set0_chain_cert_store: what replaces `store` for verifying
  // the peer / for building the chain sent. Null: `store`.
  UniquePtr<X509_STORE> verify_store;
  UniquePtr<X509_STORE> chain_store;
  long cert_flags = 0;  // SSL_CTX_set_cert_flags (SSL_CERT_FLAG_*), copied by SSL_new
  // The certificates of the key types that are not current (see CertificateKey), and how a server
  // connection made from here installs the one the client can use, from its certificate callback
  // (set with them by exports/cert_choice.cc): 1, or 0 to fail the handshake.
  std::vector<CertificateKey> other_keys;
  int (*choose_server_certificate)(Ssl*) = nullptr;
  // Record-layer sizes as the program set them, copied by SSL_new (exports/ctrl.cc).
  RecordSizes record_sizes;
  UniquePtr<STACK_OF(X509_NAME)> client_ca_names;
  // SSL_CTX_set0_CA_list / add1_to_CA_list: the CA names (certificate_authorities) this side
  // sends, apart from the client CA list; null: none.
  UniquePtr<STACK_OF(X509_NAME)> ca_names;
  // SSL_CTX_set_security_callback (null: OpenSSL's default, the security level) and its argument
  // (SSL_CTX_set0_security_ex_data): core/security_callback.h.
  SecurityCallback security_callback = nullptr;
  void* security_ex = nullptr;
  // The groups (OpenSSL's list syntax) and signature algorithms set, empty for the defaults: what
  // the security callback is asked about.
  std::string groups;
  std::vector<uint16_t> signature_algorithms;
  UniquePtr<STACK_OF(SSL_CIPHER)> cipher_stack;  // cached for SSL_CTX_get_ciphers
  CRYPTO_EX_DATA ex_data{};

  // Callbacks the program set; the connection hooks run only for those set (HookBits).
  SSL_CTX_keylog_cb_func keylog_callback = nullptr;
  void (*msg_callback)(int, int, int, const void*, size_t, SSL*, void*) = nullptr;
  void* msg_callback_arg = nullptr;
  int (*new_session_callback)(SSL*, SSL_SESSION*) = nullptr;
  void (*remove_session_callback)(SSL_CTX*, SSL_SESSION*) = nullptr;
  SSL_SESSION* (*get_session_callback)(SSL*, const unsigned char*, int, int*) = nullptr;
  SSL_CTX_alpn_select_cb_func alpn_select_callback = nullptr;
  void* alpn_select_arg = nullptr;
  SSL_CTX_npn_advertised_cb_func npn_advertised_callback = nullptr;  // NPN, server
  void* npn_advertised_arg = nullptr;
  SSL_CTX_npn_select_cb_func npn_select_callback = nullptr;  // NPN, client
  void* npn_select_arg = nullptr;
  int (*servername_callback)(SSL*, int*, void*) = nullptr;
  void* servername_arg = nullptr;
  int (*cert_callback)(SSL*, void*) = nullptr;  // copied to each connection, as OpenSSL's
  void* cert_arg = nullptr;
  // SSL_CTX_set_client_cert_cb: asked on a client whose server requests a certificate when the
  // connection has none, read at that time as OpenSSL reads it. What it answers is installed with
  // `use_client_certificate`, which the exports that own certificate installation set with it.
  int (*client_cert_callback)(SSL*, X509**, EVP_PKEY**) = nullptr;
  bool (*use_client_certificate)(Ssl*, X509*, EVP_PKEY*) = nullptr;
  // OCSP stapling (exports/ocsp.cc): the status callback, its argument, and the status type
  // (TLSEXT_STATUSTYPE_*, -1: none) the connections made from this context ask for.
  int (*status_callback)(SSL*, void*) = nullptr;
  void* status_arg = nullptr;
  int status_type = -1;
  // Session ticket key callbacks (exports/tickets.cc, core/tickets.cc); the EVP one wins, as in
  // OpenSSL.
  int (*ticket_key_callback)(SSL*, unsigned char*, unsigned char*, EVP_CIPHER_CTX*, HMAC_CTX*,
                             int) = nullptr;
  int (*ticket_key_evp_callback)(SSL*, unsigned char*, unsigned char*, EVP_CIPHER_CTX*,
                                 EVP_MAC_CTX*, int) = nullptr;
  // SSL_CTX_set_tlsext_ticket_keys' 80 bytes (key name, HMAC key, AES key), which seal tickets as
  // OpenSSL's own keys do when no callback is set; empty until set or read.
  std::vector<uint8_t> ticket_keys;
  SSL_client_hello_cb_fn client_hello_callback = nullptr;
  void* client_hello_arg = nullptr;
  // PSK (exports/psk.cc): the callbacks and the hint the connections made from here start with.
  SSL_psk_client_cb_func psk_client_callback = nullptr;
  SSL_psk_server_cb_func psk_server_callback = nullptr;
  std::unique_ptr<std::string> psk_identity_hint;  // null: none
  long session_timeout = 7200;                     // OpenSSL 3's default for TLS
  size_t num_tickets = 2;
  bool post_handshake_auth = false;
  bool quiet_shutdown = false;
  // Debian builds OpenSSL 3 with security level 2 as the default (OPENSSL_TLS_SECURITY_LEVEL).
  int security_level = 2;
  // Finite-field DHE parameters and callback (exports/dh_params.cc): kept, never used.
  UniquePtr<EVP_PKEY> tmp_dh;
  DH* (*tmp_dh_callback)(SSL*, int, int) = nullptr;
  // Certificate transparency (core/certificate_transparency.h): the logs SCTs are checked
  // against (SSL_CTX_set_ctlog_list_file; made empty at first use) and the validation callback
  // (SSL_CTX_enable_ct, SSL_CTX_set_ct_validation_callback; null: CT not enabled).
  UniquePtr<CTLOG_STORE> ctlog_store;
  ssl_ct_validation_cb ct_callback = nullptr;
  void* ct_arg = nullptr;
  ContextDane dane;                     // DANE's digests and flags (core/dane.h)
  AsyncCallback async_callback;         // SSL_CTX_set_async_callback(_arg), copied by SSL_new
  SessionCacheView session_cache_view;  // SSL_CTX_sessions' table
  // Cookie callbacks (exports/cookies.cc): kept for the program, never called.
  int (*cookie_generate_callback)(SSL*, unsigned char*, unsigned int*) = nullptr;
  int (*cookie_verify_callback)(SSL*, const unsigned char*, unsigned int) = nullptr;
  int (*stateless_cookie_generate_callback)(SSL*, unsigned char*, size_t*) = nullptr;
  int (*stateless_cookie_verify_callback)(SSL*, const unsigned char*, size_t) = nullptr;
  // DTLS-SRTP profiles (exports/srtp.cc), null until set; and the record padding callback's
  // argument (exports/padding.cc), which SSL_new copies as OpenSSL's does.
  UniquePtr<STACK_OF(SRTP_PROTECTION_PROFILE)> srtp_profiles;
  void* record_padding_arg = nullptr;
  // The automatic chain (exports/auto_chain.cc): the leaf and store it was last built for
  // (auto_chain_leaf nullptr: to build), whether the backend holds one, and the lock: shared by
  // SSL_new, exclusive while the backend's chain is replaced.
  const X509* auto_chain_leaf = nullptr;
  const X509_STORE* auto_chain_store = nullptr;
  int auto_chain_store_objects = -1;
  bool auto_chain_installed = false;
  bool auto_chain_complete = false;  // it ends at a self-issued certificate: never rebuilt
  std::shared_mutex auto_chain_mutex;
};

// What one connection leaves on its SSL, as distinct from the settings the object keeps: SSL_clear
// replaces it whole, so the next connection on the object starts from none of it, and a field
// added here cannot be forgotten there.
struct ConnectionResults {
  int last_error = SSL_ERROR_NONE;  // what SSL_get_error reports for the last call's return
  // What OpenSSL's rwstate would say: SSL_ERROR_WANT_READ/WANT_WRITE while the last call that
  // reached the transport stopped on it, else SSL_ERROR_NONE. A call that fails without touching
  // the transport leaves it, and its SSL_get_error answer is this one (AnswerAsTheLastWait).
  int transport_wait = SSL_ERROR_NONE;
  PendingWrite pending_write;  // core/io_state.h
  ConnectionFailure failure;
  // SSL_key_update's type until the update goes out with the next write (SSL_get_key_update_type).
  int key_update_pending = SSL_KEY_UPDATE_NONE;
  bool sent_shutdown = false;  // SSL_shutdown ran, or SSL_set_shutdown said SSL_SENT_SHUTDOWN
  long verify_result = X509_V_OK;
  UniquePtr<STACK_OF(X509)> peer_chain;      // cached for SSL_get_peer_cert_chain
  UniquePtr<STACK_OF(X509)> verified_chain;  // from the last verification
  // The peer's SCTs once gathered (SSL_get0_peer_scts; core/certificate_transparency.h).
  UniquePtr<STACK_OF(SCT)> peer_scts;
  bool peer_scts_gathered = false;
  int handshakes_done = 0;
  bool renegotiate_pending = false;          // SSL_renegotiate_pending's answer
  bool security_callback_consulted = false;  // for this connection's handshake
};

// A connection. What holds an invariant is private behind methods: the handle and reference
// count (NewSsl, SSL_up_ref, FreeSsl), the contexts it holds references to, the backend's
// connection that lives exactly as long as this object, the re-entry flag (BackendCallScope) and
// whether both BIOs are set (core/bio_binding.cc). The rest are settings that any value is valid
// for, kept as plain data as BoringSSL's SSL_CONFIG keeps them, and the current connection's
// results (ConnectionResults), which SSL_clear replaces whole.
class Ssl final : public ConnObserver {
  // First, so that what every call reads (the handle, the backend's object, the flags SSL_write
  // checks) shares the object's first cache line.
  friend Ssl* NewSsl(Ctx* ctx);
  friend void FreeSsl(Ssl* ssl);
  friend class BackendCallScope;
  friend void RebindBios(Ssl* ssl, void* rbio, void* wbio);

  void* handle_ = nullptr;
  std::atomic<int> refs_{1};  // SSL_up_ref / SSL_free, as OpenSSL's
  Ctx* ctx_ = nullptr;
  Ctx* session_ctx_ = nullptr;
  std::unique_ptr<BackendConn> conn_;
  bool in_backend_call_ = false;
  bool has_bios_ = false;
  std::shared_ptr<SessionStats> session_stats_;

 public:
  SSL* api() const { return static_cast<SSL*>(handle_); }
  void* handle() const { return handle_; }
  // The current context (SSL_get_SSL_CTX), and the SSL_new one that SSL_set_SSL_CTX does not
  // change: its ticket key callback seals and opens this connection's tickets (OpenSSL's
  // session_ctx). Never null on a connection NewSsl made, which holds a reference to each.
  Ctx* ctx() const { return ctx_; }
  Ctx* session_ctx() const { return session_ctx_; }
  // Makes `next` the current context (SSL_set_SSL_CTX): takes a reference to it and drops the
  // one to the context it replaces. The backend's side is the caller's.
  void SwitchContext(Ctx* next);
  BackendConn* conn() const { return conn_.get(); }
  // SSL_up_ref; and SSL_free's half: drops a reference, true when it was the last (FreeSsl's).
  void UpRef() { refs_.fetch_add(1, std::memory_order_relaxed); }
  bool DropRef() { return refs_.fetch_sub(1, std::memory_order_acq_rel) == 1; }
  // A handshake/read/write/shutdown of this connection runs: no re-entry (core/io.h).
  bool in_backend_call() const { return in_backend_call_; }
  // Both rbio and wbio are set: kept here so SSL_write's checks need no call into the backend.
  bool has_bios() const { return has_bios_; }
  // The SSL_new context's counters (SSL_set_SSL_CTX keeps them).
  SessionStats& session_stats() const { return *session_stats_; }

  long mode = kDefaultMode;
  uint64_t options = kDefaultOptions;
  int verify_mode = SSL_VERIFY_NONE;
  int verify_depth = -1;
  SSL_verify_cb verify_callback = nullptr;
  void (*info_callback)(const SSL*, int, int) = nullptr;
  // The certificate callback: the context's at SSL_new and SSL_set_SSL_CTX (OpenSSL copies its
  // CERT then), or SSL_set_cert_cb's.
  int (*cert_callback)(SSL*, void*) = nullptr;
  void* cert_arg = nullptr;
  // A client whose certificate callback has passed while the client certificate callback asked
  // to be called again (SSL_ERROR_WANT_X509_LOOKUP): the retry asks only the latter, as OpenSSL's.
  bool client_cert_retry = false;
  // SSL_set_ssl_method's, else the context's at SSL_new: what SSL_get_ssl_method answers. The
  // versions follow SSL_new's method whatever this is, as in OpenSSL (exports/methods.cc).
  const Method* method = nullptr;
  long read_ahead = 0;
  UniquePtr<X509_VERIFY_PARAM> param;
  CRYPTO_EX_DATA ex_data{};
  void (*msg_callback)(int, int, int, const void*, size_t, SSL*, void*) = nullptr;
  void* msg_callback_arg = nullptr;
  UniquePtr<X509> certificate;  // set on this connection (SSL_use_certificate)
  UniquePtr<EVP_PKEY> private_key;
  // The certificate's chain and the stores, copied from the context at SSL_new and at
  // SSL_set_SSL_CTX, as OpenSSL copies its certificate settings (Ctx has their meaning); the
  // context's extra chain certificates are sent when `cert_chain` is null.
  UniquePtr<STACK_OF(X509)> cert_chain;
  UniquePtr<X509_STORE> verify_store;
  UniquePtr<X509_STORE> chain_store;
  long cert_flags = 0;
  RecordSizes record_sizes;
  // SSL_clear_num_renegotiations: the total count when it last cleared (SSL_num_renegotiations
  // counts from there).
  long renegotiations_cleared = 0;
  SessionRef session;            // what SSL_get_session returns
  SessionRef looked_up_session;  // the external cache's last answer
  // The peer's certificate and a server's CA names as objects of the program's libcrypto, made
  // again only when the backend's bytes change, so repeated calls answer with the same object as
  // OpenSSL does (exports/peer_info.cc).
  DerCache<X509, std::vector<uint8_t>> peer_certificate;
  DerCache<STACK_OF(X509_NAME), std::vector<std::vector<uint8_t>>> peer_ca_names;
  // What SSL_set_cipher_list / SSL_set_ciphersuites last set on this connection (null: nothing),
  // which SSL_dup sets again on its copy: OpenSSL's copy takes the connection's suites.
  std::unique_ptr<std::string> cipher_list;
  std::unique_ptr<std::string> ciphersuites;
  // SSL_set_client_CA_list / SSL_add_client_CA: this server connection's own list (the
  // context's when null).
  UniquePtr<STACK_OF(X509_NAME)> client_ca_names;
  // SSL_set0_CA_list / SSL_add1_to_CA_list: this connection's CA list (the context's when null).
  UniquePtr<STACK_OF(X509_NAME)> ca_names;
  // From the context at SSL_new, as OpenSSL's: the password callback the SSL_use_*_file
  // functions read keys with, the TLS 1.3 tickets a server sends, and the security callback and
  // its argument (which SSL_set_SSL_CTX takes from the new context, with the certificate
  // settings).
  pem_password_cb* passwd_callback = nullptr;
  void* passwd_userdata = nullptr;
  size_t num_tickets = 2;
  SecurityCallback security_callback = nullptr;
  void* security_ex = nullptr;
  std::string groups;  // as the context's
  std::vector<uint16_t> signature_algorithms;
  // SSL_certs_clear ran: the connection has no certificate or key, not even its context's,
  // until one is set on it (or SSL_set_SSL_CTX copies the new context's).
  bool certificates_cleared = false;
  // Certificate transparency, from the context at SSL_new (core/certificate_transparency.h).
  ssl_ct_validation_cb ct_callback = nullptr;
  void* ct_arg = nullptr;
  ConnectionDane dane;  // the TLSA records the peer is verified by (core/dane.h)
  // SSL_MODE_ASYNC (exports/async.cc): the callback, and whether OpenSSL 3 would have made the
  // connection's wait context by now (an I/O call reached the protocol with the mode set).
  AsyncCallback async_callback;
  bool async_wait_context = false;
  std::string server_name;                 // cached for SSL_get_servername
  std::vector<uint8_t> alpn_selected;      // cached for SSL_get0_alpn_selected
  std::vector<uint8_t> raw_cipher_list;    // cached for SSL_get0_raw_cipherlist
  std::vector<uint8_t> certificate_types;  // cached for SSL_get0_certificate_types
  // The client's status request extensions (SSL_get_tlsext_status_exts), made again only when
  // the backend's bytes change, so repeated calls answer with the same stack.
  std::vector<uint8_t> status_request_extensions_der;
  UniquePtr<STACK_OF(X509_EXTENSION)> status_request_extensions;
  // SSL_set_tlsext_debug_callback / _arg.
  void (*tlsext_debug_callback)(SSL*, int, int, const unsigned char*, int, void*) = nullptr;
  void* tlsext_debug_arg = nullptr;
  std::vector<uint8_t> next_proto_negotiated;  // cached for SSL_get0_next_proto_negotiated
  // OCSP (exports/stapling_tickets.cc): the status type asked for (-1: none), and the response: a
  // server's, as the program gave it (OPENSSL_malloc'd), or a client's copy of what the server
  // stapled; SSL_get_tlsext_status_ocsp_resp hands out this pointer. Length -1: none.
  int status_type = -1;
  OpenSslBytes ocsp_response;
  long ocsp_response_len = -1;
  UniquePtr<STACK_OF(SSL_CIPHER)> cipher_stack;  // cached for SSL_get_ciphers
  // The ClientHello while the program's client hello callback runs (SSL_client_hello_get0_*),
  // else nullptr: as OpenSSL's, the getters answer only inside the callback.
  const ClientHelloView* client_hello = nullptr;
  bool post_handshake_auth = false;
  bool quiet_shutdown = false;
  // PSK, from the context at SSL_new as in OpenSSL; the identity and hint last handed out
  // (SSL_get_psk_identity and SSL_get_psk_identity_hint give pointers into them).
  SSL_psk_client_cb_func psk_client_callback = nullptr;
  SSL_psk_server_cb_func psk_server_callback = nullptr;
  std::unique_ptr<std::string> psk_identity_hint;
  std::string psk_identity_seen;
  std::string psk_identity_hint_seen;
  // SSL_set_min/max_proto_version (0: no bound) and SSL_set_security_level, from the context at
  // SSL_new as in OpenSSL.
  long min_version = 0;
  long max_version = 0;
  int security_level = 2;
  UniquePtr<EVP_PKEY> tmp_dh;  // as the context's
  DH* (*tmp_dh_callback)(SSL*, int, int) = nullptr;
  // This connection's own SRTP profiles (null: its context's) and record padding argument.
  UniquePtr<STACK_OF(SRTP_PROTECTION_PROFILE)> srtp_profiles;
  void* record_padding_arg = nullptr;
  // A security setting the shim could not apply, here or on the context before SSL_new
  // (core/fail_closed.h): the connection refuses to handshake.
  std::string unapplied_setting;

  enum class Role { kUnset, kClient, kServer };
  Role role = Role::kUnset;
  std::vector<uint8_t> peer_ec_point_formats;  // SSL_get0_ec_point_formats' answer, kept
  // What the current connection has left on the object; SSL_clear drops it all at once.
  ConnectionResults connection;

  // ConnObserver
  void OnInfo(int where, int ret) override;
  VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>& chain_der) override;
  void OnKeyLog(const char* line) override;
  void OnMessage(int write_p, int version, int content_type, const void* buf, size_t len) override;
  void OnExtensionReceived(int client_server, int type, const uint8_t* data, size_t len) override;
  bool OnNewSession(std::unique_ptr<BackendSession> session) override;
  const BackendSession* LookupSession(const uint8_t* id, size_t len) override;
  bool SignWithProgramKey(bool own_key, uint16_t code, const uint8_t* in, size_t len,
                          std::vector<uint8_t>* out) override;
  bool DecryptWithProgramKey(bool own_key, const uint8_t* in, size_t len,
                             std::vector<uint8_t>* out) override;
  EVP_PKEY* ProgramKey(bool own_key) const;
  int SelectAlpn(const uint8_t* in, size_t inlen, const uint8_t** out, uint8_t* outlen) override;
  int OnServerName(int* alert) override;
  int OnCertificateNeeded() override;
  int OnClientHello(const ClientHelloView& hello, int* alert) override;
  int AdvertiseNextProtos(const uint8_t** out, unsigned* outlen) override;
  int SelectNextProto(uint8_t** out, uint8_t* outlen, const uint8_t* in, unsigned inlen) override;
  int OnStatus(bool server) override;
  unsigned OnPskClient(const char* hint, char* identity, unsigned max_identity_len, uint8_t* psk,
                       unsigned max_psk_len) override;
  unsigned OnPskServer(const char* identity, uint8_t* psk, unsigned max_psk_len) override;
  // Tells the backend which PSK callbacks and hint this connection has now.
  bool UpdatePsk();
  int SealTicket(const uint8_t* in, size_t len, std::vector<uint8_t>* out) override;
  int OpenTicket(const uint8_t* in, size_t len, std::vector<uint8_t>* out) override;
  int OnTicketKey(uint8_t* key_name, uint8_t* iv, void* cipher_ctx, void* mac_ctx,
                  int enc) override;

  // Replaces the OCSP response (taking `der`, OPENSSL_malloc'd, or nullptr for none).
  void SetOcspResponse(unsigned char* der, long len);

  // Tells the backend which optional hooks to run, from the callbacks now set.
  void UpdateHooks();

  // Takes `from`'s certificate chain and stores (copies holding their own references), as
  // OpenSSL's SSL_new and SSL_set_SSL_CTX copy the context's certificate settings.
  void CopyCertificateSettings(const Ctx& from);
  // The certificate and key this connection uses: its own, else its context's (none after
  // SSL_certs_clear).
  X509* Certificate() const;
  EVP_PKEY* PrivateKey() const;
  // The certificates sent after the leaf: the chain, else the context's extra ones (or null).
  const STACK_OF(X509) * SentChain() const;
  // Where the peer's chain is verified / this side's is built: the connection's own store, else
  // the context's.
  X509_STORE* VerifyStore() const;
  X509_STORE* ChainStore() const;

  // Moves the backend's errors to the program's queue, and records SSL_get_error's answer.
  int Finish(const IoResult& result);
  // The peer's close_notify has come and nothing fatal happened: OpenSSL 3's SSL_get_error then
  // calls a failure that queued nothing and waits on nothing SSL_ERROR_ZERO_RETURN.
  bool PeerClosedCleanly() const;
  // For a call that did not touch the transport itself while a write waits to be retried, OpenSSL
  // 3's SSL_get_error says what the last call that reached the transport stopped on (its
  // rwstate): that write's WANT_READ/WANT_WRITE, or a read's since; when a call since stopped on
  // nothing, the call's own answer stands. `wait_before` is connection.transport_wait from before
  // the call, which this call did not change.
  void AnswerAsTheLastWait(int wait_before);
};

// The backend this process uses (chosen once, from SSLSHIM_BACKEND); nullptr with a reason.
Backend* ActiveBackend(const char** why);

// The program's BIO, driven through OpenSSL's libcrypto, for backends that need callbacks.
const ProgramBioOps* ProgramBioFunctions();

// Moves a context call's backend errors to the program's queue; when the call failed without
// saying why, adds `silent_reason` (an SSL_R_*). Returns 1 for ok, else 0.
int FinishCtxCall(Ctx* ctx, bool ok, int silent_reason, const char* func);
// The same for a connection's call; `silent_reason` 0 adds nothing.
int FinishConnCall(Ssl* ssl, bool ok, int silent_reason, const char* func);

// Sessions: a new handle around a backend session (refs 1), and reference counting.
Session* NewSession(std::unique_ptr<BackendSession> backend);
void SessionUpRef(Session* session);
void SessionRelease(Session* session);

// A store held by one more owner (nullptr stays nullptr), as OpenSSL shares its stores.
UniquePtr<X509_STORE> ShareStore(X509_STORE* store);

// Lifetime helpers.
// `propq`: SSL_CTX_new_ex's property query (nullptr: none).
Ctx* NewCtx(const Method* method, const char* propq = nullptr);
void CtxUpRef(Ctx* ctx);
void CtxRelease(Ctx* ctx);
Ssl* NewSsl(Ctx* ctx);
void FreeSsl(Ssl* ssl);
// OpenSSL's ssl_clear_bad_session, on SSL_free and SSL_clear: a connection whose handshake is
// done and that never sent close_notify takes its session out of the server cache (telling the
// program's remove-session callback), so it is not resumed.
void ClearBadSession(Ssl* ssl);

// The static methods (TLS_method, ...) and the lookup from a handle.
const Method* MethodFor(const char* name);

}  // namespace sslshim
