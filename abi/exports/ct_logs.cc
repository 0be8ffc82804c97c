// Certificate-transparency log lists (SSL_CTX_set_default_ctlog_list_file, _set_ctlog_list_file),
// loaded into a CTLOG_STORE of the program's libcrypto as OpenSSL loads them, with the same answer:
// the logs the core checks SCTs against (core/certificate_transparency.h). openssl s_client loads
// the default list at start.
#include <openssl/ct.h>
#include <openssl/ssl.h>

#include "exports/entry_point.h"

namespace sslshim {
namespace {

CTLOG_STORE* CtlogStore(Ctx* ctx) {
  if (ctx->ctlog_store == nullptr) ctx->ctlog_store.reset(CTLOG_STORE_new());
  return ctx->ctlog_store.get();
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_ctlog_list_file, 0) {
  CTLOG_STORE* store = sslshim::CtlogStore(ctx);
  return store != nullptr ? CTLOG_STORE_load_default_file(store) : 0;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_ctlog_list_file, 0, path) {
  CTLOG_STORE* store = sslshim::CtlogStore(ctx);
  return store != nullptr ? CTLOG_STORE_load_file(store, path) : 0;
}

// OpenSSL's context has an (empty) log store from SSL_CTX_new on; the shim's from the first use.
SSLSHIM_CTX_ENTRY(SSL_CTX_get0_ctlog_store, nullptr) { return sslshim::CtlogStore(ctx); }

SSLSHIM_CTX_ENTRY(SSL_CTX_set0_ctlog_store, , logs) { ctx->ctlog_store.reset(logs); }
