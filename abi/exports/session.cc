// SSL_SESSION: handles around the backend's sessions, with OpenSSL's reference counting, and the
// calls that resume them. i2d_SSL_SESSION gives the backend's own encoding: programs store and
// hand it back, they do not parse it.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>

#include "core/errors.h"
#include "exports/dispatch.h"

namespace sslshim {
namespace {

// The connection's current session, as a handle that stays valid while the SSL uses it.
Session* CurrentSession(Ssl* ssl) {
  std::unique_ptr<BackendSession> now = ssl->conn->Get1Session();
  if (!now) return ssl->session;  // e.g. SSL_set_session before the handshake
  if (ssl->session != nullptr && ssl->session->id == now->Id() && !now->Id().empty()) {
    return ssl->session;
  }
  Session* fresh = NewSession(std::move(now));
  if (fresh == nullptr) return ssl->session;
  if (ssl->session != nullptr) SessionRelease(ssl->session);
  ssl->session = fresh;
  return fresh;
}

}  // namespace
}  // namespace sslshim

using sslshim::Session;

extern "C" void SSL_SESSION_free(SSL_SESSION* s) {
  if (s == nullptr) return;
  SSLSHIM_SESSION(session, s, SSL_SESSION_free, , s);
  sslshim::SessionRelease(session);
}

extern "C" int SSL_SESSION_up_ref(SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_up_ref, 0, s);
  sslshim::SessionUpRef(session);
  return 1;
}

extern "C" const unsigned char* SSL_SESSION_get_id(const SSL_SESSION* s, unsigned int* len) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get_id, nullptr, s, len);
  if (len != nullptr) *len = static_cast<unsigned int>(session->id.size());
  return session->id.data();
}

extern "C" long SSL_SESSION_get_time(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get_time, 0, s);
  return session->backend->Time();
}

extern "C" long SSL_SESSION_get_timeout(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get_timeout, 0, s);
  return session->backend->Timeout();
}

extern "C" int SSL_SESSION_has_ticket(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_has_ticket, 0, s);
  return session->backend->HasTicket() ? 1 : 0;
}

extern "C" unsigned long SSL_SESSION_get_ticket_lifetime_hint(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get_ticket_lifetime_hint, 0, s);
  return session->backend->TicketLifetimeHint();
}

extern "C" int SSL_SESSION_get_protocol_version(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get_protocol_version, 0, s);
  return session->backend->ProtocolVersion();
}

extern "C" const char* SSL_SESSION_get0_hostname(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get0_hostname, nullptr, s);
  return session->hostname.empty() ? nullptr : session->hostname.c_str();
}

extern "C" int SSL_SESSION_is_resumable(const SSL_SESSION* s) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_is_resumable, 0, s);
  return session->backend->IsResumable() ? 1 : 0;
}

extern "C" int SSL_SESSION_set_ex_data(SSL_SESSION* s, int idx, void* data) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_set_ex_data, 0, s, idx, data);
  return CRYPTO_set_ex_data(&session->ex_data, idx, data);
}

extern "C" void* SSL_SESSION_get_ex_data(const SSL_SESSION* s, int idx) {
  SSLSHIM_SESSION(session, s, SSL_SESSION_get_ex_data, nullptr, s, idx);
  return CRYPTO_get_ex_data(&session->ex_data, idx);
}

extern "C" int i2d_SSL_SESSION(const SSL_SESSION* s, unsigned char** pp) {
  SSLSHIM_SESSION(session, s, i2d_SSL_SESSION, 0, s, pp);
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

extern "C" SSL_SESSION* d2i_SSL_SESSION(SSL_SESSION** a, const unsigned char** pp, long length) {
  static constexpr char kFunc[] = "d2i_SSL_SESSION";
  // The real libssl copies its own sessions with i2d/d2i when it makes a ticket.
  SSLSHIM_FORWARD_CALLS_FROM_REAL_LIBSSL(d2i_SSL_SESSION, a, pp, length);
  const char* why = nullptr;
  sslshim::Backend* backend = sslshim::ActiveBackend(&why);
  if (backend == nullptr || pp == nullptr || *pp == nullptr || length <= 0) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, kFunc, why);
    return nullptr;
  }
  Session* session = sslshim::NewSession(backend->ParseSession(*pp, static_cast<size_t>(length)));
  if (session == nullptr) {
    std::vector<sslshim::ErrorRecord> errors;
    backend->TakeErrors(&errors);
    sslshim::PushErrors(errors);
    sslshim::PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, kFunc);
    return nullptr;
  }
  *pp += length;
  if (a != nullptr) {
    if (*a != nullptr) SSL_SESSION_free(*a);
    *a = session->api();
  }
  return session->api();
}

extern "C" SSL_SESSION* SSL_get_session(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_session, nullptr, s);
  Session* session = sslshim::CurrentSession(ssl);
  return session != nullptr ? session->api() : nullptr;
}

extern "C" SSL_SESSION* SSL_get1_session(SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get1_session, nullptr, s);
  Session* session = sslshim::CurrentSession(ssl);
  if (session == nullptr) return nullptr;
  sslshim::SessionUpRef(session);
  return session->api();
}

extern "C" int SSL_set_session(SSL* s, SSL_SESSION* sess) {
  SSLSHIM_SSL(ssl, s, SSL_set_session, 0, s, sess);
  Session* session = nullptr;
  if (sess != nullptr) {
    auto resolved = sslshim::Resolve<Session>(sess, sslshim::HandleKind::kSession);
    if (resolved.state != sslshim::HandleState::kLive) {
      sslshim::ReportInvalidHandle("SSL_set_session");
      return 0;
    }
    session = resolved.object;
  }
  if (!sslshim::FinishConnCall(
          ssl, ssl->conn->SetSession(session != nullptr ? session->backend.get() : nullptr), 0,
          "SSL_set_session")) {
    return 0;
  }
  if (session != nullptr) sslshim::SessionUpRef(session);
  if (ssl->session != nullptr) sslshim::SessionRelease(ssl->session);
  ssl->session = session;
  return 1;
}

extern "C" int SSL_session_reused(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_session_reused, 0, s);
  return ssl->conn->SessionReused() ? 1 : 0;
}

extern "C" int SSL_CTX_remove_session(SSL_CTX* c, SSL_SESSION* sess) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_remove_session, 0, c, sess);
  // The backend keeps its own server cache; the program's external cache is told, as OpenSSL does.
  if (sess != nullptr && ctx->remove_session_callback != nullptr) {
    ctx->remove_session_callback(c, sess);
  }
  return sess != nullptr ? 1 : 0;
}

extern "C" void SSL_CTX_sess_set_new_cb(SSL_CTX* c, int (*cb)(SSL*, SSL_SESSION*)) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_sess_set_new_cb, , c, cb);
  ctx->new_session_callback = cb;
}

extern "C" void SSL_CTX_sess_set_remove_cb(SSL_CTX* c, void (*cb)(SSL_CTX*, SSL_SESSION*)) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_sess_set_remove_cb, , c, cb);
  ctx->remove_session_callback = cb;
}

extern "C" void SSL_CTX_sess_set_get_cb(SSL_CTX* c,
                                        SSL_SESSION* (*cb)(SSL*, const unsigned char*, int, int*)) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_sess_set_get_cb, , c, cb);
  // Kept so SSL_CTX_sess_get_get_cb answers; lookups are served from the backend's own cache,
  // which is what an external cache duplicates (nginx's shared cache then only misses).
  ctx->get_session_callback = cb;
}

extern "C" int SSL_CTX_set_session_id_context(SSL_CTX* c, const unsigned char* sid_ctx,
                                              unsigned int len) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_session_id_context, 0, c, sid_ctx, len);
  if (len > SSL_MAX_SID_CTX_LENGTH) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG,
                       "SSL_CTX_set_session_id_context");
    return 0;
  }
  return sslshim::FinishCtxCall(ctx, ctx->backend->SetSessionIdContext(sid_ctx, len),
                                SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG,
                                "SSL_CTX_set_session_id_context");
}

extern "C" long SSL_CTX_set_timeout(SSL_CTX* c, long t) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_timeout, 0, c, t);
  long old = ctx->session_timeout;
  ctx->session_timeout = t;
  ctx->backend->SetSessionTimeout(t);
  return old;
}

extern "C" long SSL_CTX_get_timeout(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_timeout, 0, c);
  return ctx->session_timeout;
}

extern "C" int SSL_CTX_set_num_tickets(SSL_CTX* c, size_t num_tickets) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_set_num_tickets, 0, c, num_tickets);
  if (!sslshim::FinishCtxCall(ctx, ctx->backend->SetNumTickets(num_tickets),
                              ERR_R_PASSED_INVALID_ARGUMENT, "SSL_CTX_set_num_tickets")) {
    return 0;
  }
  ctx->num_tickets = num_tickets;
  return 1;
}

extern "C" size_t SSL_CTX_get_num_tickets(const SSL_CTX* c) {
  SSLSHIM_CTX(ctx, c, SSL_CTX_get_num_tickets, 0, c);
  return ctx->num_tickets;
}
