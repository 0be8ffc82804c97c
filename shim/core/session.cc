#include <openssl/crypto.h>
#include <openssl/err.h>

#include "core/errors.h"
#include "core/objects.h"

namespace sslshim {

Session* NewSession(std::unique_ptr<BackendSession> backend) {
  if (!backend) return nullptr;
  auto session = std::make_unique<Session>();
  session->id = backend->Id();
  if (std::string name = backend->Hostname(); !name.empty()) session->hostname = std::move(name);
  session->backend = std::move(backend);
  session->handle = NewHandle(HandleKind::kSession, session.get());
  if (session->handle == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_SESSION_new", "sslshim: no free handle");
    return nullptr;
  }
  CRYPTO_new_ex_data(CRYPTO_EX_INDEX_SSL_SESSION, session->handle, &session->ex_data);
  return session.release();
}

void SessionUpRef(Session* session) { session->refs.fetch_add(1, std::memory_order_relaxed); }

void SessionRelease(Session* session) {
  if (session->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  CRYPTO_free_ex_data(CRYPTO_EX_INDEX_SSL_SESSION, session->handle, &session->ex_data);
  FreeHandle(session->handle);
  delete session;
}

void ClearBadSession(Ssl* ssl) {
  if (ssl->connection.sent_shutdown || ssl->conn() == nullptr || !ssl->conn()->IsInitFinished())
    return;
  Ctx* cache = ssl->session_ctx();
  std::unique_ptr<BackendSession> session = ssl->conn()->Get1Session();
  if (!session || !cache->backend()->RemoveSession(session.get())) return;
  if (cache->remove_session_callback == nullptr) return;
  if (Session* removed = NewSession(std::move(session))) {
    cache->remove_session_callback(cache->api(), removed->api());
    SessionRelease(removed);
  }
}

}  // namespace sslshim
