// SSL_SESSION: handles around the backend's sessions, with OpenSSL's reference counting, and the
// calls that resume them. i2d_SSL_SESSION gives the backend's own encoding: programs store and
// hand it back, they do not parse it.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "exports/conn_copy.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// A handle for a session the backend made without a connection; nullptr, with the backend's errors
// and `reason`, when it made none.
Session* HandleFor(Backend* backend, std::unique_ptr<BackendSession> made, int reason,
                   const char* func) {
  Session* session = NewSession(std::move(made));
  if (session != nullptr) return session;
  std::vector<ErrorRecord> errors;
  backend->TakeErrors(&errors);
  PushErrors(errors);
  PushError(ERR_LIB_SSL, reason, func);
  return nullptr;
}

// The connection's current session, as a handle that stays valid while the SSL uses it.
Session* CurrentSession(Ssl* ssl) {
  std::unique_ptr<BackendSession> now = ssl->conn()->Get1Session();
  if (!now) return ssl->session.get();  // e.g. SSL_set_session before the handshake
  if (ssl->session != nullptr && ssl->session->id == now->Id() && !now->Id().empty()) {
    return ssl->session.get();
  }
  Session* fresh = NewSession(std::move(now));
  if (fresh == nullptr) return ssl->session.get();
  ssl->session.reset(fresh);
  return fresh;
}

// SSL_set_session's work: the backend's connection takes `session` (nullptr: none), and
// SSL_get_session answers it until the handshake makes another.
int UseSession(Ssl* ssl, Session* session, const char* func) {
  if (!FinishConnCall(
          ssl, ssl->conn()->SetSession(session != nullptr ? session->backend.get() : nullptr), 0,
          func)) {
    return 0;
  }
  if (session != nullptr) SessionUpRef(session);
  ssl->session.reset(session);
  return 1;
}

// A session ID context as OpenSSL checks it: at most SSL_MAX_SID_CTX_LENGTH bytes. False with the
// reason queued. OpenSSL copies from a null pointer given with a length (and crashes); refused.
bool CheckSessionIdContext(const unsigned char* sid_ctx, unsigned int len, const char* func) {
  if (len > SSL_MAX_SID_CTX_LENGTH) {
    PushError(ERR_LIB_SSL, SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG, func);
    return false;
  }
  if (sid_ctx == nullptr && len > 0) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return false;
  }
  return true;
}

}  // namespace

int CopyCertificateAndIdContext(Ssl* to, Ssl* from, const char* func) {
  if (!FinishConnCall(to, to->conn()->CopyCertificateAndSessionIdContext(*from->conn()),
                      ERR_R_INTERNAL_ERROR, func)) {
    return 0;
  }
  X509* certificate = from->Certificate();
  EVP_PKEY* key = from->PrivateKey();
  if (certificate != nullptr) X509_up_ref(certificate);
  if (key != nullptr) EVP_PKEY_up_ref(key);
  to->certificate.reset(certificate);
  to->private_key.reset(key);
  // The chain goes with the certificate, as OpenSSL's connections then share one.
  const STACK_OF(X509)* chain = from->SentChain();
  to->cert_chain.reset(chain != nullptr ? X509_chain_up_ref(const_cast<STACK_OF(X509)*>(chain))
                                        : nullptr);
  return 1;
}

int UseSessionOf(Ssl* to, Ssl* from, const char* func) {
  return UseSession(to, from->session.get(), func);
}

}  // namespace sslshim

using sslshim::Session;

SSLSHIM_SESSION_ENTRY_NULL_IGNORED(SSL_SESSION_free, ) { sslshim::SessionRelease(session); }

SSLSHIM_SESSION_ENTRY(SSL_SESSION_up_ref, 0) {
  sslshim::SessionUpRef(session);
  return 1;
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_id, nullptr, len) {
  if (len != nullptr) *len = static_cast<unsigned int>(session->id.size());
  // OpenSSL's points into the session even when the ID is empty (a caller may copy 0 bytes
  // from it or compare it with NULL).
  static const unsigned char kNoId[1] = {0};
  return session->id.empty() ? kNoId : session->id.data();
}

// As SSL_SESSION_get_id; the copy is made again only when the session's changed.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_get0_id_context, nullptr, sid_ctx_length) {
  std::vector<uint8_t> now = session->backend->Describe().id_context;
  if (now != session->id_context) session->id_context = std::move(now);
  if (sid_ctx_length != nullptr) {
    *sid_ctx_length = static_cast<unsigned int>(session->id_context.size());
  }
  static const unsigned char kNoIdContext[1] = {0};
  return session->id_context.empty() ? kNoIdContext : session->id_context.data();
}

// OpenSSL's checks (SSL_MAX_SSL_SESSION_ID_LENGTH, SSL_MAX_SID_CTX_LENGTH), then the session
// itself is rewritten, as OpenSSL's (haproxy blanks and restores both around i2d_SSL_SESSION in
// its new-session callback).
SSLSHIM_SESSION_ENTRY(SSL_SESSION_set1_id, 0, sid, sid_len) {
  static constexpr char kFunc[] = "SSL_SESSION_set1_id";
  if (sid_len > SSL_MAX_SSL_SESSION_ID_LENGTH) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_SSL_SESSION_ID_TOO_LONG, kFunc);
    return 0;
  }
  if (!session->backend->SetId(sid, sid_len)) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, kFunc);
    return 0;
  }
  session->id = session->backend->Id();
  return 1;
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_set1_id_context, 0, sid_ctx, sid_ctx_len) {
  static constexpr char kFunc[] = "SSL_SESSION_set1_id_context";
  if (sid_ctx_len > SSL_MAX_SID_CTX_LENGTH) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG, kFunc);
    return 0;
  }
  if (!session->backend->SetIdContext(sid_ctx, sid_ctx_len)) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, kFunc);
    return 0;
  }
  return 1;
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_time, 0) { return session->backend->Time(); }

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_timeout, 0) { return session->backend->Timeout(); }

// OpenSSL 3 answers a null session with 0 and nothing on the queue, and refuses a negative
// timeout the same way.
SSLSHIM_SESSION_ENTRY_NULL_IGNORED(SSL_SESSION_set_timeout, 0, t) {
  if (t < 0) return 0;
  session->backend->SetTimeout(t);
  return 1;
}

// OpenSSL 3's answer is the time it was given.
SSLSHIM_SESSION_ENTRY_NULL_IGNORED(SSL_SESSION_set_time, 0, t) {
  session->backend->SetTime(t);
  return t;
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_has_ticket, 0) { return session->backend->HasTicket() ? 1 : 0; }

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_ticket_lifetime_hint, 0) {
  return session->backend->TicketLifetimeHint();
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_protocol_version, 0) {
  return session->backend->ProtocolVersion();
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get0_hostname, nullptr) {
  return session->hostname ? session->hostname->c_str() : nullptr;
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_is_resumable, 0) {
  return session->backend->IsResumable() ? 1 : 0;
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_set_ex_data, 0, idx, data) {
  return CRYPTO_set_ex_data(&session->ex_data, idx, data);
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_ex_data, nullptr, idx) {
  return CRYPTO_get_ex_data(&session->ex_data, idx);
}

SSLSHIM_SESSION_ENTRY(i2d_SSL_SESSION, 0, pp) {
  // OpenSSL's: a session without a cipher (SSL_SESSION_new's, unfilled) encodes to nothing,
  // silently.
  if (session->backend->ProtocolVersion() == 0 && !session->backend->Describe().has_cipher) {
    return 0;
  }
  std::vector<uint8_t> der = session->backend->Serialize();
  if (der.empty()) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, "i2d_SSL_SESSION");
    return 0;
  }
  // The i2d convention: no pp, only the length; *pp null, allocate; else write and advance.
  if (pp != nullptr) {
    if (*pp == nullptr) {
      *pp = static_cast<unsigned char*>(OPENSSL_malloc(der.size()));
      if (*pp == nullptr) return 0;
      std::memcpy(*pp, der.data(), der.size());
    } else {
      std::memcpy(*pp, der.data(), der.size());
      *pp += der.size();
    }
  }
  return static_cast<int>(der.size());
}

// The real libssl copies its own sessions with i2d/d2i when it makes a ticket.
SSLSHIM_SHARED_FUNCTION_ENTRY(d2i_SSL_SESSION, a, pp, length) {
  static constexpr char kFunc[] = "d2i_SSL_SESSION";
  const char* why = nullptr;
  sslshim::Backend* backend = sslshim::ActiveBackend(&why);
  if (backend == nullptr || pp == nullptr || *pp == nullptr || length <= 0) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, kFunc, why);
    return nullptr;
  }
  Session* session = sslshim::HandleFor(
      backend, backend->ParseSession(*pp, static_cast<size_t>(length)), ERR_R_ASN1_LIB, kFunc);
  if (session == nullptr) return nullptr;
  *pp += length;
  if (a != nullptr) {
    if (*a != nullptr) SSL_SESSION_free(*a);
    *a = session->api();
  }
  return session->api();
}

// An empty session with OpenSSL 3's defaults: made now, a timeout of 304 seconds (ssl_sess.c's
// "5 minute" default). The real libssl makes its own sessions with it, by name: those get its
// answer.
SSLSHIM_SHARED_FUNCTION_ENTRY(SSL_SESSION_new) {
  static constexpr char kFunc[] = "SSL_SESSION_new";
  constexpr long kOpenSslNewSessionTimeout = 60 * 5 + 4;
  const char* why = nullptr;
  sslshim::Backend* backend = sslshim::ActiveBackend(&why);
  if (backend == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, kFunc, why);
    return nullptr;
  }
  Session* session =
      sslshim::HandleFor(backend, backend->NewSession(), ERR_R_MALLOC_FAILURE, kFunc);
  if (session == nullptr) return nullptr;
  session->backend->SetTimeout(kOpenSslNewSessionTimeout);
  return session->api();
}

SSLSHIM_SSL_ENTRY(SSL_get_session, nullptr) {
  Session* session = sslshim::CurrentSession(ssl);
  return session != nullptr ? session->api() : nullptr;
}

SSLSHIM_SSL_ENTRY(SSL_get1_session, nullptr) {
  Session* session = sslshim::CurrentSession(ssl);
  if (session == nullptr) return nullptr;
  sslshim::SessionUpRef(session);
  return session->api();
}

SSLSHIM_SSL_ENTRY(SSL_set_session, 0, sess) {
  Session* session = nullptr;
  if (sess != nullptr) {
    auto resolved = sslshim::Resolve<Session>(sess, sslshim::HandleKind::kSession);
    if (resolved.state != sslshim::HandleState::kLive) {
      sslshim::ReportInvalidHandle("SSL_set_session");
      return 0;
    }
    session = resolved.object;
  }
  return sslshim::UseSession(ssl, session, "SSL_set_session");
}

// OpenSSL 3's: the session as SSL_get_session gives it, then the certificate (with key and
// chain) and the session ID context, as SSL_use_certificate and SSL_set_session_id_context would
// set them, so SSL_get_certificate answers from the copy.
SSLSHIM_SSL_ENTRY(SSL_copy_session_id, 0, f) {
  static constexpr char kFunc[] = "SSL_copy_session_id";
  auto resolved = sslshim::Resolve<sslshim::Ssl>(f, sslshim::HandleKind::kSsl);
  if (resolved.state != sslshim::HandleState::kLive) {
    sslshim::ReportInvalidHandle(kFunc);
    return 0;
  }
  sslshim::Ssl* from = resolved.object;
  if (!sslshim::UseSession(ssl, sslshim::CurrentSession(from), kFunc)) return 0;
  return sslshim::CopyCertificateAndIdContext(ssl, from, kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_session_reused, 0) { return ssl->conn()->SessionReused() ? 1 : 0; }

SSLSHIM_CTX_ENTRY(SSL_CTX_remove_session, 0, sess) {
  // The backend keeps its own server cache; the program's external cache is told, as OpenSSL does.
  if (sess != nullptr && ctx->remove_session_callback != nullptr) {
    ctx->remove_session_callback(ctx->api(), sess);
  }
  return sess != nullptr ? 1 : 0;
}

// Into the backend's own server cache, which its handshakes fill themselves (so a session from
// the new-session callback is there already: 0, as OpenSSL answers then).
SSLSHIM_CTX_ENTRY(SSL_CTX_add_session, 0, sess) {
  if (sess == nullptr) return 0;
  auto resolved = sslshim::Resolve<sslshim::Session>(sess, sslshim::HandleKind::kSession);
  if (resolved.state != sslshim::HandleState::kLive) return 0;
  return ctx->backend()->AddSession(resolved.object->backend.get()) ? 1 : 0;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_sess_set_new_cb, , cb) { ctx->new_session_callback = cb; }

SSLSHIM_CTX_ENTRY(SSL_CTX_sess_set_remove_cb, , cb) {
  ctx->remove_session_callback = cb;
  ctx->backend()->SetRemoveSessionCallback(cb != nullptr);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_sess_get_new_cb, nullptr) { return ctx->new_session_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_sess_get_remove_cb, nullptr) { return ctx->remove_session_callback; }

SSLSHIM_CTX_ENTRY(SSL_CTX_sess_get_get_cb, nullptr) { return ctx->get_session_callback; }

// The backend's server cache loses the sessions expired at `tm` (all of them for 0), and the
// program's remove-session callback is told of each, as OpenSSL's. A time before the epoch
// expires nothing in OpenSSL; BoringSSL's unsigned time would expire everything.
SSLSHIM_CTX_ENTRY(SSL_CTX_flush_sessions, , tm) {
  if (tm < 0) return;
  std::vector<std::unique_ptr<sslshim::BackendSession>> removed = ctx->backend()->FlushSessions(tm);
  if (ctx->remove_session_callback == nullptr) return;
  for (auto& backend_session : removed) {
    Session* session = sslshim::NewSession(std::move(backend_session));
    if (session == nullptr) continue;
    ctx->remove_session_callback(ctx->api(), session->api());
    sslshim::SessionRelease(session);
  }
}

// The server cache as a hash table of the program's libcrypto (core/session_cache_view.h).
SSLSHIM_CTX_ENTRY(SSL_CTX_sessions, nullptr) {
  return ctx->session_cache_view.Refresh(*ctx->backend());
}

SSLSHIM_CTX_ENTRY(SSL_CTX_sess_set_get_cb, , cb) {
  // Asked by connections made from this context afterwards (Ssl::LookupSession), when the
  // backend's own cache has no session for the ID a client offers.
  ctx->get_session_callback = cb;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_session_id_context, 0, sid_ctx, len) {
  static constexpr char kFunc[] = "SSL_CTX_set_session_id_context";
  if (!sslshim::CheckSessionIdContext(sid_ctx, len, kFunc)) return 0;
  return sslshim::FinishCtxCall(ctx, ctx->backend()->SetSessionIdContext(sid_ctx, len),
                                SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG, kFunc);
}

SSLSHIM_SSL_ENTRY(SSL_set_session_id_context, 0, sid_ctx, sid_ctx_len) {
  static constexpr char kFunc[] = "SSL_set_session_id_context";
  if (!sslshim::CheckSessionIdContext(sid_ctx, sid_ctx_len, kFunc)) return 0;
  return sslshim::FinishConnCall(ssl, ssl->conn()->SetSessionIdContext(sid_ctx, sid_ctx_len),
                                 SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG, kFunc);
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_timeout, 0, t) {
  long old = ctx->session_timeout;
  ctx->session_timeout = t;
  ctx->backend()->SetSessionTimeout(t);
  return old;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_timeout, 0) { return ctx->session_timeout; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_num_tickets, 0, num_tickets) {
  if (!sslshim::FinishCtxCall(ctx, ctx->backend()->SetNumTickets(num_tickets),
                              ERR_R_PASSED_INVALID_ARGUMENT, "SSL_CTX_set_num_tickets")) {
    return 0;
  }
  ctx->num_tickets = num_tickets;
  return 1;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_num_tickets, 0) { return ctx->num_tickets; }

// OpenSSL 3's ssl3_default_timeout and dtls1_default_timeout: two hours for every method.
SSLSHIM_SSL_ENTRY(SSL_get_default_timeout, 0) {
  (void)ssl;
  return 7200;
}

// The ticket a client's session keeps (len 0 and NULL when it has none); the pointer stays good
// while the session does.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_get0_ticket, , tick, len) {
  std::vector<uint8_t> ticket = session->backend->Describe().ticket;
  if (ticket != session->ticket) session->ticket = std::move(ticket);
  *len = session->ticket.size();
  if (tick != nullptr) *tick = session->ticket.empty() ? nullptr : session->ticket.data();
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get0_alpn_selected, , alpn, len) {
  std::vector<uint8_t> selected = session->backend->AlpnSelected();
  if (selected != session->alpn) session->alpn = std::move(selected);
  *alpn = session->alpn.empty() ? nullptr : session->alpn.data();
  *len = session->alpn.size();
}

// As OpenSSL's: NULL or 0 bytes leave the session with none.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_set1_alpn_selected, 0, alpn, len) {
  const std::vector<uint8_t> selected =
      alpn == nullptr ? std::vector<uint8_t>() : std::vector<uint8_t>(alpn, alpn + len);
  if (!session->backend->SetAlpnSelected(selected)) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_SESSION_set1_alpn_selected");
    return 0;
  }
  return 1;
}

// NSS's key log line for a TLS 1.2 session, as OpenSSL prints it ("RSA Session-ID:<id>
// Master-Key:<key>", upper-case hex, whatever the key exchange); 0 for a session without an ID or
// a master secret.
namespace sslshim {
namespace {

int PrintKeylog(BIO* bp, const Session* session) {
  const std::vector<uint8_t> id = session->backend->Id();
  uint8_t key[kMaxMasterKeyLength];
  const size_t key_len = session->backend->MasterKey(key);
  std::string line;
  if (!id.empty() && key_len != 0) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto hex = [&](const uint8_t* data, size_t len) {
      for (size_t i = 0; i < len; i++) {
        line += kHex[data[i] >> 4];
        line += kHex[data[i] & 15];
      }
    };
    line = "RSA Session-ID:";
    hex(id.data(), id.size());
    line += " Master-Key:";
    hex(key, key_len);
    line += "\n";
  }
  OPENSSL_cleanse(key, sizeof key);
  const int ok = !line.empty() && BIO_puts(bp, line.c_str()) > 0 ? 1 : 0;
  OPENSSL_cleanse(line.data(), line.size());
  return ok;
}

}  // namespace
}  // namespace sslshim

SSLSHIM_FUNCTION_ENTRY(SSL_SESSION_print_keylog, bp, x) {
  auto resolved = sslshim::Resolve<sslshim::Session>(x, sslshim::HandleKind::kSession);
  if (resolved.state == sslshim::HandleState::kLive)
    return sslshim::PrintKeylog(bp, resolved.object);
  if (resolved.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle("SSL_SESSION_print_keylog");
    return 0;
  }
  if (x == nullptr) return 0;
  SSLSHIM_FORWARD(SSL_SESSION_print_keylog, 0, bp, x);
}

// A copy of the session (its own handle, the same contents and ex_data); an empty session (from
// SSL_SESSION_new, with nothing to encode) copies as a new empty one with its timing.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_dup, nullptr) {
  static constexpr char kFunc[] = "ssl_session_dup";
  const char* why = nullptr;
  sslshim::Backend* backend = sslshim::ActiveBackend(&why);
  if (backend == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, kFunc, why);
    return nullptr;
  }
  const std::vector<uint8_t> bytes = session->backend->Serialize();
  Session* copy = sslshim::HandleFor(
      backend,
      bytes.empty() ? backend->NewSession() : backend->ParseSession(bytes.data(), bytes.size()),
      ERR_R_MALLOC_FAILURE, kFunc);
  if (copy == nullptr) return nullptr;
  if (bytes.empty()) {
    copy->backend->SetTime(session->backend->Time());
    copy->backend->SetTimeout(session->backend->Timeout());
  }
  // What the encoding may not carry (BoringSSL's keeps neither the SNI nor a TLS 1.2 session's
  // ALPN protocol); OpenSSL's ssl_session_dup copies both.
  if (session->hostname) {
    copy->backend->SetHostname(*session->hostname);
    copy->hostname = session->hostname;
  }
  copy->backend->SetAlpnSelected(session->backend->AlpnSelected());
  if (!CRYPTO_dup_ex_data(CRYPTO_EX_INDEX_SSL_SESSION, &copy->ex_data, &session->ex_data)) {
    sslshim::SessionRelease(copy);
    sslshim::PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, kFunc);
    return nullptr;
  }
  return copy->api();
}

// The peer's certificate the session keeps (NULL when none: a client's session without server
// authentication, a server's without a client certificate), as an object of the program's
// libcrypto that lives as long as the session.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_get0_peer, nullptr) {
  const std::vector<uint8_t> der = session->backend->Describe().peer_certificate;
  if (der.empty()) return nullptr;
  unsigned char* kept_der = nullptr;
  const int kept_len = session->peer ? i2d_X509(session->peer.get(), &kept_der) : 0;
  const bool same = kept_len > 0 && static_cast<size_t>(kept_len) == der.size() &&
                    std::memcmp(kept_der, der.data(), der.size()) == 0;
  OPENSSL_free(kept_der);
  if (!same) {
    const unsigned char* p = der.data();
    session->peer.reset(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  }
  return session->peer.get();
}

// BoringSSL does not negotiate max_fragment_length: no session has one
// (TLSEXT_max_fragment_length_DISABLED), as OpenSSL's without the extension.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_max_fragment_length, TLSEXT_max_fragment_length_DISABLED) {
  (void)session;
  return TLSEXT_max_fragment_length_DISABLED;
}

// OpenSSL stores the number as given; the BoringSSL backend takes the versions BoringSSL speaks
// and fails others (ERR_R_INTERNAL_ERROR queued).
SSLSHIM_SESSION_ENTRY(SSL_SESSION_set_protocol_version, 0, version) {
  if (!session->backend->SetProtocolVersion(version)) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, "SSL_SESSION_set_protocol_version");
    return 0;
  }
  return 1;
}

// OpenSSL keeps the suite to resume with (openssl s_client and s_server build their TLS 1.3
// external-PSK sessions so). A null suite, which OpenSSL would store, is refused: neither backend
// can leave a session without one once it has one.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_set_cipher, 0, cipher) {
  if (cipher == nullptr || !session->backend->SetCipher(SSL_CIPHER_get_protocol_id(cipher))) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, "SSL_SESSION_set_cipher");
    return 0;
  }
  return 1;
}

// The name the session was made for (NULL: none), as SSL_SESSION_get0_hostname then answers.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_set1_hostname, 0, hostname) {
  const std::string name = hostname != nullptr ? hostname : "";
  if (!session->backend->SetHostname(name)) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, "SSL_SESSION_set1_hostname");
    return 0;
  }
  if (hostname != nullptr) {
    session->hostname = name;
  } else {
    session->hostname.reset();
  }
  return 1;
}

// Whether the server cache of the connection's session context holds a session with this ID for
// the connection's version: OpenSSL's cache key. Longer than any session ID: 0.
SSLSHIM_SSL_ENTRY(SSL_has_matching_session_id, 0, id, id_len) {
  if (id_len > SSL_MAX_SSL_SESSION_ID_LENGTH) return 0;
  // Before one is negotiated, OpenSSL's connection has the version tls1_clear gives it: a
  // fixed-version method's, else the highest of TLS (or DTLS).
  const sslshim::MethodSpec& spec = ssl->method->spec;
  int initial = spec.datagram ? DTLS1_2_VERSION : TLS1_3_VERSION;
  if (spec.min_version != 0 && spec.min_version == spec.max_version) initial = spec.max_version;
  return ssl->conn()->HasMatchingSessionId(id, id_len, initial) ? 1 : 0;
}
