#include "exports/auto_chain.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "core/objects.h"
#include "exports/cert_io.h"

namespace sslshim {
namespace {

int StoreObjectCount(X509_STORE* store) {
  if (!X509_STORE_lock(store)) return -1;
  int count = sk_X509_OBJECT_num(X509_STORE_get0_objects(store));
  X509_STORE_unlock(store);
  return count;
}

// The chain OpenSSL 3 sends for a leaf without extra certificates (ssl_add_cert_chain): what
// X509_verify_cert builds from the context's store, leaf first and trust anchor included, as far
// as it gets; its errors are not the program's.
// *complete says whether it ends at a self-issued certificate, which no later addition to the
// store can extend.
std::vector<std::vector<uint8_t>> BuildChainDer(X509_STORE* store, X509* leaf, bool* complete) {
  std::vector<std::vector<uint8_t>> chain{CertificateDer(leaf)};
  UniquePtr<X509_STORE_CTX> store_ctx(X509_STORE_CTX_new());
  ERR_set_mark();
  *complete = X509_check_issued(leaf, leaf) == X509_V_OK;
  if (store_ctx != nullptr && X509_STORE_CTX_init(store_ctx.get(), store, leaf, nullptr)) {
    (void)X509_verify_cert(store_ctx.get());
    STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(store_ctx.get());
    for (int i = 1; i < sk_X509_num(built); i++) {
      chain.push_back(CertificateDer(sk_X509_value(built, i)));
    }
    X509* last = sk_X509_num(built) > 0 ? sk_X509_value(built, sk_X509_num(built) - 1) : leaf;
    *complete = X509_check_issued(last, last) == X509_V_OK;
  }
  ERR_pop_to_mark();
  return chain;
}

// True when the automatic chain must be (re)built: the leaf or the store changed since it was
// last built (once per context in practice; the store's object count stands for its contents,
// which the program may change through SSL_CTX_get_cert_store at any time).
// The store the chain is built from: the chain store when one is set, as in OpenSSL.
X509_STORE* ChainStoreOf(const Ctx* ctx) {
  return ctx->chain_store ? ctx->chain_store.get() : ctx->store.get();
}

bool AutoChainStale(Ctx* ctx, int* store_objects) {
  X509_STORE* store = ChainStoreOf(ctx);
  if (ctx->certificate == nullptr || ctx->SentChain() != nullptr ||
      (ctx->mode & SSL_MODE_NO_AUTO_CHAIN) != 0 || store == nullptr) {
    return false;
  }
  if (ctx->auto_chain_leaf != ctx->certificate.get() || ctx->auto_chain_store != store) return true;
  // A chain that reached its trust anchor is final; only an incomplete one is looked for again in
  // the store, which takes the store's lock (OpenSSL takes none in SSL_new: a child of fork()
  // would wait for ever on a lock another thread of the parent held).
  if (ctx->auto_chain_complete) return false;
  *store_objects = StoreObjectCount(store);
  return ctx->auto_chain_store_objects != *store_objects;
}

// Installs the automatic chain on the context's backend when it is stale.
void RefreshAutoChain(Ctx* ctx) {
  int store_objects = -1;
  if (!AutoChainStale(ctx, &store_objects)) return;
  X509_STORE* store = ChainStoreOf(ctx);
  if (store_objects < 0) store_objects = StoreObjectCount(store);
  bool complete = false;
  std::vector<std::vector<uint8_t>> chain = BuildChainDer(store, ctx->certificate.get(), &complete);
  for (const auto& der : chain) {
    if (der.empty()) return;
  }
  // The backend holds the leaf alone unless an earlier automatic chain was installed.
  if (chain.size() > 1 || ctx->auto_chain_installed) {
    std::vector<ErrorRecord> dropped;  // a failure leaves what was there; the program never asked
    if (ctx->backend()->UseCertificateChain(chain)) {
      ctx->auto_chain_installed = chain.size() > 1;
    } else {
      ctx->backend()->TakeErrors(&dropped);
    }
  }
  ctx->auto_chain_leaf = ctx->certificate.get();
  ctx->auto_chain_store = store;
  ctx->auto_chain_store_objects = store_objects;
  ctx->auto_chain_complete = complete;
}

}  // namespace

// Connections are made in parallel, under the shared lock; the rare rebuild of the chain takes
// it alone, so no connection copies the context's certificates while they are replaced. (A child
// of fork() can still make connections when another thread of its parent was inside SSL_new: the
// lock prefers readers, and only a rebuild would wait.)
SSL* NewSslWithAutoChain(Ctx* ctx) {
  // Once rebuilt (or found unbuildable, which leaves the leaf alone), the connection is made.
  for (bool rebuilt = false;; rebuilt = true) {
    {
      std::shared_lock<std::shared_mutex> shared(ctx->auto_chain_mutex);
      int store_objects = -1;
      if (rebuilt || !AutoChainStale(ctx, &store_objects)) {
        Ssl* ssl = NewSsl(ctx);
        return ssl != nullptr ? ssl->api() : nullptr;
      }
    }
    std::unique_lock<std::shared_mutex> exclusive(ctx->auto_chain_mutex);
    RefreshAutoChain(ctx);
  }
}

}  // namespace sslshim
