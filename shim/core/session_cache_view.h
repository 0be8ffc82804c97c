// SSL_CTX_sessions: a context's server session cache as OpenSSL hands it out, a hash table of the
// program's libcrypto (LHASH_OF(SSL_SESSION)) with one of the program's SSL_SESSION handles per
// session the backend has cached. The backend's cache stays the one that resumes; the table is made
// again from it at each call, and a session keeps its handle while it stays cached, so the
// pointers a program holds from one call to the next still name the same sessions.
#pragma once

#include <openssl/lhash.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace sslshim {

class BackendCtx;
struct Session;

class SessionCacheView {
 public:
  SessionCacheView() = default;
  ~SessionCacheView();
  SessionCacheView(const SessionCacheView&) = delete;
  SessionCacheView& operator=(const SessionCacheView&) = delete;

  // The table as the backend's cache is now (hashed and compared as OpenSSL's: by protocol
  // version and session ID); nullptr when memory ran out. Valid until the next call or the
  // context's end, as OpenSSL's is while the program does not change the cache.
  LHASH_OF(SSL_SESSION) * Refresh(const BackendCtx& backend);

 private:
  using Key = std::pair<int, std::vector<uint8_t>>;  // protocol version, session ID
  std::mutex mutex_;                                 // calls on a shared context
  OPENSSL_LHASH* table_ = nullptr;
  std::map<Key, Session*> held_;  // one reference each
};

}  // namespace sslshim
