#include "exports/auto_chain.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdint>
#include <mutex>
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
std::vector<std::vector<uint8_t>> BuildChainDer(X509_STORE* store, X509* leaf) {
  std::vector<std::vector<uint8_t>> chain{CertificateDer(leaf)};
  X509_STORE_CTX* store_ctx = X509_STORE_CTX_new();
  ERR_set_mark();
  if (store_ctx != nullptr && X509_STORE_CTX_init(store_ctx, store, leaf, nullptr)) {
    (void)X509_verify_cert(store_ctx);
    STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(store_ctx);
    for (int i = 1; i < sk_X509_num(built); i++) {
      chain.push_back(CertificateDer(sk_X509_value(built, i)));
    }
  }
  ERR_pop_to_mark();
  X509_STORE_CTX_free(store_ctx);
  return chain;
}

// Installs the automatic chain on the context's backend when the leaf or the store changed since
// it was last built (once per context in practice; the store's object count stands for its
// contents, which the program may change through SSL_CTX_get_cert_store at any time).
void RefreshAutoChain(Ctx* ctx) {
  if (ctx->certificate == nullptr || !ctx->extra_chain.empty() ||
      (ctx->mode & SSL_MODE_NO_AUTO_CHAIN) != 0 || ctx->store == nullptr) {
    return;
  }
  const int store_objects = StoreObjectCount(ctx->store);
  if (ctx->auto_chain_leaf == ctx->certificate && ctx->auto_chain_store == ctx->store &&
      ctx->auto_chain_store_objects == store_objects) {
    return;
  }
  std::vector<std::vector<uint8_t>> chain = BuildChainDer(ctx->store, ctx->certificate);
  for (const auto& der : chain) {
    if (der.empty()) return;
  }
  // The backend holds the leaf alone unless an earlier automatic chain was installed.
  if (chain.size() > 1 || ctx->auto_chain_installed) {
    std::vector<ErrorRecord> dropped;  // a failure leaves what was there; the program never asked
    if (ctx->backend->UseCertificateChain(chain)) {
      ctx->auto_chain_installed = chain.size() > 1;
    } else {
      ctx->backend->TakeErrors(&dropped);
    }
  }
  ctx->auto_chain_leaf = ctx->certificate;
  ctx->auto_chain_store = ctx->store;
  ctx->auto_chain_store_objects = store_objects;
}

}  // namespace

SSL* NewSslWithAutoChain(Ctx* ctx) {
  std::lock_guard<std::mutex> lock(ctx->auto_chain_mutex);
  RefreshAutoChain(ctx);
  Ssl* ssl = NewSsl(ctx);
  return ssl != nullptr ? ssl->api() : nullptr;
}

}  // namespace sslshim
