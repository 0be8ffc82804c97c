// Peer verification with the program's own X509_STORE, X509_VERIFY_PARAM and verify callback
// (docs/design-notes.md): the backend hands over the chain as DER, and the program's callbacks see
// real OpenSSL X509_STORE_CTX objects, whose SSL ex_data is the program's SSL* handle.
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "core/certificate_transparency.h"
#include "core/objects.h"

namespace sslshim {
namespace {

// The peer's chain as the program's libcrypto objects: the leaf, and every certificate (leaf
// included) as the untrusted ones verification may use.
struct ChainObjects {
  UniquePtr<X509> leaf;
  UniquePtr<STACK_OF(X509)> untrusted;
};

bool ParseChain(const std::vector<std::vector<uint8_t>>& der, ChainObjects* out) {
  out->untrusted.reset(sk_X509_new_null());
  if (out->untrusted == nullptr) return false;
  for (size_t i = 0; i < der.size(); i++) {
    const unsigned char* p = der[i].data();
    UniquePtr<X509> x(d2i_X509(nullptr, &p, static_cast<long>(der[i].size())));
    if (x == nullptr) return false;
    if (i == 0) {
      if (!X509_up_ref(x.get())) return false;
      out->leaf.reset(x.get());
    }
    if (!sk_X509_push(out->untrusted.get(), x.get())) return false;
    x.release();  // the stack has it
  }
  return out->leaf != nullptr;
}

}  // namespace

VerifyOutcome Ssl::VerifyPeer(const std::vector<std::vector<uint8_t>>& chain_der) {
  VerifyOutcome outcome;
  ChainObjects chain;
  const bool require = (verify_mode & SSL_VERIFY_PEER) != 0;
  const bool parsed = ParseChain(chain_der, &chain);
  UniquePtr<X509_STORE_CTX> owned_store_ctx(parsed ? X509_STORE_CTX_new() : nullptr);
  if (owned_store_ctx == nullptr || !X509_STORE_CTX_init(owned_store_ctx.get(), VerifyStore(),
                                                         chain.leaf.get(), chain.untrusted.get())) {
    connection.verify_result = X509_V_ERR_UNSPECIFIED;
    outcome.verify_result = connection.verify_result;
    outcome.accept = !require;
    return outcome;
  }
  X509_STORE_CTX* store_ctx = owned_store_ctx.get();
  X509_STORE_CTX_set_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx(), api());
  // With TLSA records, libcrypto verifies by DANE (OpenSSL's ssl_verify_cert_chain).
  if (dane.enabled()) X509_STORE_CTX_set0_dane(store_ctx, dane.api());
  // The peer of a client is a server, and the other way round (OpenSSL's ssl_verify_cert_chain).
  X509_STORE_CTX_set_default(store_ctx, role == Role::kClient ? "ssl_server" : "ssl_client");
  // The security level holds the peer's keys and signatures to it, as OpenSSL's
  // ssl_verify_cert_chain (RSA-1024 or SHA-1 signed certificates fail at Debian's level 2).
  X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(store_ctx), security_level);
  X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(store_ctx), param.get());
  if (verify_depth >= 0) X509_STORE_CTX_set_depth(store_ctx, verify_depth);
  if (verify_callback != nullptr) X509_STORE_CTX_set_verify_cb(store_ctx, verify_callback);

  int ok;
  if (ctx()->app_verify_callback != nullptr) {
    ok = ctx()->app_verify_callback(store_ctx, ctx()->app_verify_arg);
  } else {
    ok = X509_verify_cert(store_ctx);
  }
  connection.verify_result = X509_STORE_CTX_get_error(store_ctx);
  // SSL_get0_verified_chain: the chain verification built, trust anchor included.
  connection.verified_chain.reset(ok > 0 ? X509_STORE_CTX_get1_chain(store_ctx) : nullptr);
  // SSL_get0_peername: the name host verification matched, kept as OpenSSL keeps it.
  X509_VERIFY_PARAM_move_peername(param.get(), X509_STORE_CTX_get0_param(store_ctx));
  owned_store_ctx.reset();
  outcome.verify_result = connection.verify_result;
  // SSL_VERIFY_NONE: OpenSSL verifies, records the result, and goes on.
  outcome.accept = ok > 0 || !require;
  // Certificate transparency, on a client whose chain verified. OpenSSL's ssl_validate_ct ends
  // the handshake (SSLfatal) whatever the verify mode, and records the failure as the result.
  if (role == Role::kClient && connection.verify_result == X509_V_OK) {
    if (int reason = ValidateCertificateTransparency(this, chain.leaf.get(),
                                                     connection.verified_chain.get())) {
      connection.verify_result = X509_V_ERR_NO_VALID_SCTS;
      outcome.verify_result = connection.verify_result;
      outcome.accept = false;
      outcome.failure_reason = reason;
      outcome.failure_alert = SSL_AD_HANDSHAKE_FAILURE;
    }
  }
  // The backend reports the failure (SSL_R_CERTIFICATE_VERIFY_FAILED) and sends the alert.
  return outcome;
}

}  // namespace sslshim
