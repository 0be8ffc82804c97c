// The real libssl's server session cache: its remove-session callback while the program has one
// (OpenSSL's TLS 1.3 server caches sessions only then), and SSL_CTX_flush_sessions with the
// sessions it removes handed back to the core, which tells the program's callback.
#include <memory>
#include <vector>

#include "openssl_ctx.h"
#include "openssl_session.h"

namespace sslshim::openssl_backend {
namespace {

// The flush running on this thread: the real libssl calls the callback from inside
// SSL_CTX_flush_sessions, and frees each session once the flush is over, so each is kept with a
// reference of its own here. nullptr otherwise: other removals are not reported.
struct Flush {
  const RealLibssl* real;
  std::vector<std::unique_ptr<BackendSession>>* removed;
};
thread_local const Flush* flushing = nullptr;

void CollectRemoved(SSL_CTX* /*ctx*/, SSL_SESSION* session) {
  if (flushing == nullptr) return;
  std::unique_ptr<OpenSslSession> kept = OpenSslSession::Share(*flushing->real, session);
  if (kept) flushing->removed->push_back(std::move(kept));
}

}  // namespace

void OpenSslCtx::SetRemoveSessionCallback(bool set) {
  real_.SSL_CTX_sess_set_remove_cb(ctx_, set ? CollectRemoved : nullptr);
}

std::vector<std::unique_ptr<BackendSession>> OpenSslCtx::FlushSessions(long time) {
  std::vector<std::unique_ptr<BackendSession>> removed;
  const Flush flush{&real_, &removed};
  flushing = &flush;
  real_.SSL_CTX_flush_sessions(ctx_, time);
  flushing = nullptr;
  return removed;
}

// The real libssl's hash of cached sessions (its SSL_CTX_sessions), read with the program's
// libcrypto, which the real libssl shares.
std::vector<std::unique_ptr<BackendSession>> OpenSslCtx::CachedSessions() const {
  struct Collect {
    const RealLibssl* real;
    std::vector<std::unique_ptr<BackendSession>> sessions;
  } collect{&real_, {}};
  OPENSSL_LH_doall_arg(
      reinterpret_cast<OPENSSL_LHASH*>(real_.SSL_CTX_sessions(ctx_)),
      [](void* session, void* arg) {
        auto* c = static_cast<Collect*>(arg);
        std::unique_ptr<OpenSslSession> kept =
            OpenSslSession::Share(*c->real, static_cast<SSL_SESSION*>(session));
        if (kept) c->sessions.push_back(std::move(kept));
      },
      &collect);
  return std::move(collect.sessions);
}

}  // namespace sslshim::openssl_backend
