#include "core/session_cache_view.h"

#include <cstring>

#include "core/objects.h"

namespace sslshim {
namespace {

const Session* SessionOf(const void* handle) {
  return Resolve<Session>(handle, HandleKind::kSession).object;
}

// OpenSSL's ssl_session_hash: the first four bytes of the session ID, zero-padded.
unsigned long HashSession(const void* handle) {
  const Session* session = SessionOf(handle);
  unsigned char id[4] = {0, 0, 0, 0};
  if (session != nullptr) {
    std::memcpy(id, session->id.data(), session->id.size() < 4 ? session->id.size() : 4);
  }
  return static_cast<unsigned long>(id[0]) | static_cast<unsigned long>(id[1]) << 8 |
         static_cast<unsigned long>(id[2]) << 16 | static_cast<unsigned long>(id[3]) << 24;
}

// OpenSSL's ssl_session_cmp: the same version and session ID.
int CompareSessions(const void* a_handle, const void* b_handle) {
  const Session* a = SessionOf(a_handle);
  const Session* b = SessionOf(b_handle);
  if (a == nullptr || b == nullptr) return a == b ? 0 : 1;
  if (a->backend->ProtocolVersion() != b->backend->ProtocolVersion()) return 1;
  return a->id == b->id ? 0 : 1;
}

}  // namespace

SessionCacheView::~SessionCacheView() {
  OPENSSL_LH_free(table_);
  for (auto& [key, session] : held_) SessionRelease(session);
}

LHASH_OF(SSL_SESSION) * SessionCacheView::Refresh(const BackendCtx& backend) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (table_ == nullptr) table_ = OPENSSL_LH_new(HashSession, CompareSessions);
  if (table_ == nullptr) return nullptr;
  std::map<Key, Session*> now;
  for (std::unique_ptr<BackendSession>& cached : backend.CachedSessions()) {
    Key key{cached->ProtocolVersion(), cached->Id()};
    auto kept = held_.find(key);
    if (kept != held_.end()) {
      now.emplace(std::move(key), kept->second);
      held_.erase(kept);
    } else if (Session* made = NewSession(std::move(cached))) {
      now.emplace(std::move(key), made);
    }
  }
  // What left the cache since the last call gives up its handle here.
  for (auto& [key, session] : held_) SessionRelease(session);
  held_ = std::move(now);
  OPENSSL_LH_flush(table_);
  for (auto& [key, session] : held_) {
    OPENSSL_LH_insert(table_, session->handle);
  }
  return reinterpret_cast<LHASH_OF(SSL_SESSION)*>(table_);
}

}  // namespace sslshim
