#include "conn_callbacks.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "der_objects.h"
#include "openssl_conn.h"

namespace sslshim::openssl_backend {
namespace {

// The info callback has no argument: the table is the process's (the only one a context is ever
// made with outside the unit tests, which resolve the same pointers).
void InfoTrampoline(const SSL* ssl, int where, int ret) {
  const RealLibssl* real = ProcessRealLibssl(nullptr);
  if (real == nullptr) return;
  OpenSslConn* conn = OpenSslConn::FromSsl(*real, ssl);
  if (conn != nullptr && conn->observer() != nullptr) conn->observer()->OnInfo(where, ret);
}

// Replaces OpenSSL's X509_verify_cert: the core verifies with the program's X509_STORE and verify
// callback. OpenSSL calls this even for a client with SSL_VERIFY_NONE (and then ignores a 0), and
// takes SSL_get_verify_result from X509_STORE_CTX_get_error afterwards.
int CertVerifyTrampoline(X509_STORE_CTX* store_ctx, void* arg) {
  const RealLibssl& real = *static_cast<const RealLibssl*>(arg);
  // The real libssl stores the SSL at this index before calling us (ssl_verify_cert_chain).
  const int ssl_index = real.SSL_get_ex_data_X509_STORE_CTX_idx();
  const SSL* ssl =
      ssl_index < 0 ? nullptr : static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store_ctx, ssl_index));
  OpenSslConn* conn = OpenSslConn::FromSsl(real, ssl);
  if (conn == nullptr || conn->observer() == nullptr) {
    return X509_verify_cert(store_ctx);  // nobody to ask: OpenSSL's own verification
  }
  std::vector<std::vector<uint8_t>> chain = PeerChainDer(store_ctx);
  if (chain.empty()) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_OUT_OF_MEM);
    return 0;
  }
  const VerifyOutcome outcome = conn->observer()->VerifyPeer(chain);
  X509_STORE_CTX_set_error(store_ctx, static_cast<int>(outcome.verify_result));
  return outcome.accept ? 1 : 0;
}

}  // namespace

void InstallConnCallbacks(const RealLibssl& real, SSL_CTX* ctx) {
  real.SSL_CTX_set_info_callback(ctx, &InfoTrampoline);
  real.SSL_CTX_set_cert_verify_callback(ctx, &CertVerifyTrampoline, const_cast<RealLibssl*>(&real));
}

// OpenSSL initialises the store context with the leaf as the target and the whole received chain
// (leaf included, at index 0) as the untrusted set; the leaf is not repeated here.
std::vector<std::vector<uint8_t>> PeerChainDer(X509_STORE_CTX* store_ctx) {
  std::vector<std::vector<uint8_t>> chain;
  X509* leaf = X509_STORE_CTX_get0_cert(store_ctx);
  if (leaf == nullptr || !AppendCertificateDer(leaf, &chain)) return {};
  STACK_OF(X509)* untrusted = X509_STORE_CTX_get0_untrusted(store_ctx);
  const int count = untrusted == nullptr ? 0 : sk_X509_num(untrusted);
  for (int i = 0; i < count; ++i) {
    X509* cert = sk_X509_value(untrusted, i);
    if (i == 0 && X509_cmp(cert, leaf) == 0) continue;
    if (!AppendCertificateDer(cert, &chain)) return {};
  }
  return chain;
}

}  // namespace sslshim::openssl_backend
