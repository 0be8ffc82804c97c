// SSL_has_matching_session_id and SSL_CTX_sessions on BoringSSL, which has no public lookup into
// its server cache: the cache is read here, under the context's lock, through BoringSSL's own
// structures (its ssl/internal.h, from the same source tree the backend is built with).
#include <ssl/internal.h>

#include <cstring>

#include "boringssl/ctx.h"
#include "boringssl/session.h"

namespace sslshim::boringssl {

bool CacheHoldsSessionId(const SSL* ssl, SSL_CTX* session_ctx, int initial_version,
                         const uint8_t* id, size_t len) {
  if (len > SSL_MAX_SSL_SESSION_ID_LENGTH) return false;
  // Before a version is negotiated BoringSSL's SSL_version says TLS 1.2; OpenSSL's connection has
  // its method's highest version then.
  const int version = ssl->s3->have_version ? SSL_version(ssl) : initial_version;
  bssl::MutexReadLock lock(&session_ctx->lock);
  // The cache's list holds every session of its hash table; it ends at the tail's sentinel.
  const auto* end = reinterpret_cast<const SSL_SESSION*>(&session_ctx->session_cache_tail);
  for (const SSL_SESSION* session = session_ctx->session_cache_head;
       session != nullptr && session != end; session = session->next) {
    if (session->ssl_version == version && session->session_id_length == len &&
        std::memcmp(session->session_id, id, len) == 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::unique_ptr<BackendSession>> BoringSslCtx::CachedSessions() const {
  std::vector<bssl::UniquePtr<SSL_SESSION>> held;
  {
    bssl::MutexReadLock lock(&ctx_->lock);
    const auto* end = reinterpret_cast<const SSL_SESSION*>(&ctx_->session_cache_tail);
    for (SSL_SESSION* session = ctx_->session_cache_head; session != nullptr && session != end;
         session = session->next) {
      held.push_back(bssl::UpRef(session));
    }
  }
  std::vector<std::unique_ptr<BackendSession>> out;
  out.reserve(held.size());
  for (auto& session : held) {
    auto wrapped = std::make_unique<BoringSslSession>(std::move(session), std::string());
    wrapped->MarkServer();  // only a server's sessions are in BoringSSL's cache
    out.push_back(std::move(wrapped));
  }
  return out;
}

}  // namespace sslshim::boringssl
