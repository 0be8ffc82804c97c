// SSL_CTX_flush_sessions on a BoringSslCtx: BoringSSL's own flush, with the sessions it removes
// handed back so the core can tell the program's remove-session callback, as OpenSSL does.
#include <openssl/ssl.h>

#include <vector>

#include "boringssl/ctx.h"
#include "boringssl/session.h"

namespace sslshim::boringssl {
namespace {

// The sessions the flush running on this thread removed. BoringSSL reports them through the
// context's remove callback, from inside SSL_CTX_flush_sessions, so nothing else is collected.
thread_local std::vector<bssl::UniquePtr<SSL_SESSION>>* flushed = nullptr;

void CollectRemoved(SSL_CTX* /*ctx*/, SSL_SESSION* session) {
  if (flushed != nullptr) flushed->push_back(bssl::UpRef(session));
}

}  // namespace

void InstallRemovedSessionCollector(SSL_CTX* ctx) {
  SSL_CTX_sess_set_remove_cb(ctx, CollectRemoved);
}

std::vector<std::unique_ptr<BackendSession>> BoringSslCtx::FlushSessions(long time) {
  std::vector<bssl::UniquePtr<SSL_SESSION>> removed;
  flushed = &removed;
  SSL_CTX_flush_sessions(ctx_.get(), static_cast<uint64_t>(time));
  flushed = nullptr;
  std::vector<std::unique_ptr<BackendSession>> out;
  out.reserve(removed.size());
  for (auto& session : removed) {
    auto wrapped = std::make_unique<BoringSslSession>(std::move(session), std::string());
    wrapped->MarkServer();  // only a server's sessions are in BoringSSL's cache
    out.push_back(std::move(wrapped));
  }
  return out;
}

}  // namespace sslshim::boringssl
