#include "exports/chain_ctrl.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "core/errors.h"
#include "core/objects.h"
#include "exports/cert_choice.h"
#include "exports/cert_io.h"

namespace sslshim {
namespace {

// What the commands work on, for a context or a connection. The shim keeps one certificate per
// object (the last set), where OpenSSL keeps one per key type: "the current certificate" is that
// one.
struct CertificateSlot {
  X509* leaf = nullptr;  // null: none set
  EVP_PKEY* key = nullptr;
  UniquePtr<STACK_OF(X509)>* chain = nullptr;
  UniquePtr<X509_STORE>* verify_store = nullptr;
  UniquePtr<X509_STORE>* chain_store = nullptr;
  X509_STORE* build_store = nullptr;  // the chain store, else the context's store
  int security_level = 0;
  // Hands the leaf and the chain now sent to the backend.
  std::function<int(const char* func)> reinstall;
};

CertificateSlot SlotOf(Ctx* ctx) {
  CertificateSlot slot;
  slot.leaf = ctx->certificate.get();
  slot.key = ctx->private_key.get();
  slot.chain = &ctx->cert_chain;
  slot.verify_store = &ctx->verify_store;
  slot.chain_store = &ctx->chain_store;
  slot.build_store = ctx->chain_store ? ctx->chain_store.get() : ctx->store.get();
  slot.security_level = ctx->security_level;
  slot.reinstall = [ctx](const char* func) {
    return ctx->certificate == nullptr
               ? 1
               : UseCertificate(TargetOf(ctx), ctx->certificate.get(), func);
  };
  return slot;
}

CertificateSlot SlotOf(Ssl* ssl) {
  CertificateSlot slot;
  slot.leaf = ssl->Certificate();
  slot.key = ssl->PrivateKey();
  slot.chain = &ssl->cert_chain;
  slot.verify_store = &ssl->verify_store;
  slot.chain_store = &ssl->chain_store;
  slot.build_store = ssl->ChainStore();
  slot.security_level = ssl->security_level;
  slot.reinstall = [ssl, leaf = slot.leaf](const char* func) {
    return leaf == nullptr ? 1 : UseCertificate(TargetOf(ssl), leaf, func);
  };
  return slot;
}

// SSL_CTX_set0_chain / set1_chain (copy: 1): the stack (null: none) becomes the chain.
long SetChain(CertificateSlot& slot, STACK_OF(X509) * chain, bool copy, const char* func) {
  if (copy && chain != nullptr) {
    chain = X509_chain_up_ref(chain);
    if (chain == nullptr) {
      PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
      return 0;
    }
  }
  slot.chain->reset(chain);
  return slot.reinstall(func);
}

// SSL_CTX_add0_chain_cert / add1_chain_cert (reference: 1).
long AddChainCertificate(CertificateSlot& slot, X509* x, bool reference, const char* func) {
  if (x == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  if (!*slot.chain) slot.chain->reset(sk_X509_new_null());
  if (!*slot.chain || (reference && !X509_up_ref(x))) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return 0;
  }
  if (!sk_X509_push(slot.chain->get(), x)) {
    if (reference) X509_free(x);
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return 0;
  }
  return slot.reinstall(func);
}

// The fewest bits of security OpenSSL's levels ask of keys and signatures (ssl_get_security_level
// _bits): 80, 112, 128, 192, 256 for levels 1 to 5.
int SecurityBits(int level) {
  static constexpr int kBits[] = {0, 80, 112, 128, 192, 256};
  if (level <= 0) return 0;
  return kBits[level > 5 ? 5 : level];
}

// OpenSSL's check of a CA certificate of the chain against the security level
// (ssl_security_cert with is_ee 0): 1, or the SSL_R_* reason.
int CaCertificateSecurity(X509* x, int level) {
  const int bits = SecurityBits(level);
  if (bits == 0) return 1;
  EVP_PKEY* key = X509_get0_pubkey(x);
  if (key == nullptr || EVP_PKEY_get_security_bits(key) < bits) return SSL_R_CA_KEY_TOO_SMALL;
  if ((X509_get_extension_flags(x) & EXFLAG_SS) != 0) return 1;  // its signature is not relied on
  int signature_bits = -1;
  if (!X509_get_signature_info(x, nullptr, nullptr, &signature_bits, nullptr)) signature_bits = -1;
  return signature_bits < bits ? SSL_R_CA_MD_TOO_WEAK : 1;
}

// SSL_CTX_build_cert_chain: OpenSSL's ssl_build_cert_chain, answer for answer (2 only when an
// ignored failure leaves no CA certificate: the security check overwrites it otherwise).
long BuildChain(CertificateSlot& slot, long flags, const char* func) {
  if (slot.leaf == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_NO_CERTIFICATE_SET, func);
    return 0;
  }
  UniquePtr<X509_STORE> check_store;
  X509_STORE* store = slot.build_store;
  STACK_OF(X509)* untrusted = nullptr;
  if ((flags & SSL_BUILD_CHAIN_FLAG_CHECK) != 0) {
    // Rearrange and check the chain as given: everything in a store of its own, the leaf too (it
    // may be self-signed).
    check_store.reset(X509_STORE_new());
    if (!check_store) return 0;
    for (int i = 0; i < sk_X509_num(slot.chain->get()); i++) {
      if (!X509_STORE_add_cert(check_store.get(), sk_X509_value(slot.chain->get(), i))) return 0;
    }
    if (!X509_STORE_add_cert(check_store.get(), slot.leaf)) return 0;
    store = check_store.get();
  } else if ((flags & SSL_BUILD_CHAIN_FLAG_UNTRUSTED) != 0) {
    untrusted = slot.chain->get();
  }
  UniquePtr<X509_STORE_CTX> store_ctx(X509_STORE_CTX_new());
  if (store_ctx == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return 0;
  }
  if (!X509_STORE_CTX_init(store_ctx.get(), store, slot.leaf, untrusted)) {
    PushError(ERR_LIB_SSL, ERR_R_X509_LIB, func);
    return 0;
  }
  long answer = 0;
  int verified = X509_verify_cert(store_ctx.get());
  if (verified <= 0 && (flags & SSL_BUILD_CHAIN_FLAG_IGNORE_ERROR) != 0) {
    if ((flags & SSL_BUILD_CHAIN_FLAG_CLEAR_ERROR) != 0) ERR_clear_error();
    verified = 1;
    answer = 2;
  }
  UniquePtr<STACK_OF(X509)> built(verified > 0 ? X509_STORE_CTX_get1_chain(store_ctx.get())
                                               : nullptr);
  if (verified <= 0) {
    std::string why = std::string("Verify error:") +
                      X509_verify_cert_error_string(X509_STORE_CTX_get_error(store_ctx.get()));
    PushError(ERR_LIB_SSL, SSL_R_CERTIFICATE_VERIFY_FAILED, func, why.c_str());
    return 0;
  }
  store_ctx.reset();
  if (!built) return 0;
  UniquePtr<X509> leaf(sk_X509_shift(built.get()));  // the leaf is not part of its chain
  if ((flags & SSL_BUILD_CHAIN_FLAG_NO_ROOT) != 0 && sk_X509_num(built.get()) > 0) {
    X509* last = sk_X509_value(built.get(), sk_X509_num(built.get()) - 1);
    if ((X509_get_extension_flags(last) & EXFLAG_SS) != 0) {
      UniquePtr<X509> dropped_root(sk_X509_pop(built.get()));  // a self-signed root is not sent
    }
  }
  for (int i = 0; i < sk_X509_num(built.get()); i++) {
    answer = CaCertificateSecurity(sk_X509_value(built.get(), i), slot.security_level);
    if (answer != 1) {
      PushError(ERR_LIB_SSL, static_cast<int>(answer), func);
      return 0;
    }
  }
  *slot.chain = std::move(built);
  if (!slot.reinstall(func)) return 0;
  return answer == 0 ? 1 : answer;
}

// SSL_CTX_set0_verify_cert_store / set1_ (reference: 1), and the chain store's.
long SetStore(UniquePtr<X509_STORE>* slot, X509_STORE* store, bool reference) {
  if (reference && store != nullptr && !X509_STORE_up_ref(store)) return 0;
  slot->reset(store);
  return 1;
}

long GetStore(const UniquePtr<X509_STORE>& slot, void* parg) {
  if (parg != nullptr) *static_cast<X509_STORE**>(parg) = slot.get();
  return 1;
}

// SSL_CTX_select_current_cert: 1 when `x` is the certificate set, and it has its key (OpenSSL
// looks for the object first, then for an equal certificate).
long SelectCurrent(const CertificateSlot& slot, const X509* x) {
  if (x == nullptr || slot.leaf == nullptr || slot.key == nullptr) return 0;
  return x == slot.leaf || X509_cmp(x, slot.leaf) == 0 ? 1 : 0;
}

// SSL_CTX_set_current_cert with SSL_CERT_SET_FIRST / _NEXT: the first certificate with a key, and
// the one after the current (none: one certificate per object).
long SetCurrent(const CertificateSlot& slot, long op) {
  if (op == SSL_CERT_SET_FIRST) return slot.leaf != nullptr && slot.key != nullptr ? 1 : 0;
  return 0;
}

// A context's certificates with their keys, current one first (core/objects.h, CertificateKey).
std::vector<X509*> CertificatesWithKeys(const Ctx* ctx) {
  std::vector<X509*> out;
  if (ctx->certificate != nullptr && ctx->private_key != nullptr)
    out.push_back(ctx->certificate.get());
  for (const CertificateKey& other : ctx->other_keys) {
    if (other.certificate && other.private_key) out.push_back(other.certificate.get());
  }
  return out;
}

// SSL_CTX_select_current_cert: the certificate (the object, else an equal one) with its key
// becomes current, among all key types', as OpenSSL's ssl_cert_select_current.
long CtxSelectCurrent(Ctx* ctx, const X509* x, const char* func) {
  if (x == nullptr) return 0;
  const std::vector<X509*> certificates = CertificatesWithKeys(ctx);
  auto found = std::find(certificates.begin(), certificates.end(), x);
  if (found == certificates.end()) {
    found = std::find_if(certificates.begin(), certificates.end(),
                         [x](X509* c) { return X509_cmp(x, c) == 0; });
  }
  if (found == certificates.end()) return 0;
  return MakeCurrentCertificate(ctx, *found, func);
}

// SSL_CTX_set_current_cert: SSL_CERT_SET_FIRST makes the first key type's certificate with a key
// current, SSL_CERT_SET_NEXT the next after the current one, in OpenSSL's order of key types.
long CtxSetCurrent(Ctx* ctx, long op, const char* func) {
  if (op != SSL_CERT_SET_FIRST && op != SSL_CERT_SET_NEXT) return 0;
  std::vector<X509*> certificates = CertificatesWithKeys(ctx);
  auto index = [](X509* c) {
    return CertificateSlotIndex(EVP_PKEY_get_base_id(X509_get0_pubkey(c)));
  };
  std::sort(certificates.begin(), certificates.end(),
            [&](X509* a, X509* b) { return index(a) < index(b); });
  int after = -1;
  if (op == SSL_CERT_SET_NEXT) {
    if (ctx->certificate == nullptr) return 0;
    after = index(ctx->certificate.get());
  }
  for (X509* c : certificates) {
    if (index(c) > after) return MakeCurrentCertificate(ctx, c, func);
  }
  return 0;
}

// The commands a context and a connection share.
std::optional<long> CommonChainCtrl(CertificateSlot slot, int cmd, long larg, void* parg,
                                    const char* func) {
  switch (cmd) {
    case SSL_CTRL_CHAIN:  // set0_chain / set1_chain (larg 1: the stack is copied)
      return SetChain(slot, static_cast<STACK_OF(X509)*>(parg), larg != 0, func);
    case SSL_CTRL_CHAIN_CERT:  // add0_chain_cert / add1_chain_cert (larg 1: a new reference)
      return AddChainCertificate(slot, static_cast<X509*>(parg), larg != 0, func);
    case SSL_CTRL_GET_CHAIN_CERTS:  // get0_chain_certs: the chain, or null
      *static_cast<STACK_OF(X509)**>(parg) = slot.chain->get();
      return 1;
    case SSL_CTRL_BUILD_CERT_CHAIN:
      return BuildChain(slot, larg, func);
    case SSL_CTRL_SET_VERIFY_CERT_STORE:
      return SetStore(slot.verify_store, static_cast<X509_STORE*>(parg), larg != 0);
    case SSL_CTRL_SET_CHAIN_CERT_STORE:
      return SetStore(slot.chain_store, static_cast<X509_STORE*>(parg), larg != 0);
    case SSL_CTRL_GET_VERIFY_CERT_STORE:
      return GetStore(*slot.verify_store, parg);
    case SSL_CTRL_GET_CHAIN_CERT_STORE:
      return GetStore(*slot.chain_store, parg);
    case SSL_CTRL_SELECT_CURRENT_CERT:
      return SelectCurrent(slot, static_cast<const X509*>(parg));
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<long> CtxChainCtrl(Ctx* ctx, int cmd, long larg, void* parg, const char* func) {
  switch (cmd) {
    case SSL_CTRL_EXTRA_CHAIN_CERT:  // SSL_CTX_add_extra_chain_cert: takes the reference
      if (parg == nullptr) {
        PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
        return 0;
      }
      if (!ctx->extra_certs) ctx->extra_certs.reset(sk_X509_new_null());
      if (!ctx->extra_certs || !sk_X509_push(ctx->extra_certs.get(), static_cast<X509*>(parg))) {
        PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
        return 0;
      }
      return SlotOf(ctx).reinstall(func);
    case SSL_CTRL_GET_EXTRA_CHAIN_CERTS:
      // SSL_CTX_get_extra_chain_certs (larg 0) answers with the chain when there are no extra
      // certificates; SSL_CTX_get_extra_chain_certs_only (larg 1) never does.
      *static_cast<STACK_OF(X509)**>(parg) =
          !ctx->extra_certs && larg == 0 ? ctx->cert_chain.get() : ctx->extra_certs.get();
      return 1;
    case SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS:
      ctx->extra_certs.reset();
      return SlotOf(ctx).reinstall(func);
    case SSL_CTRL_SET_CURRENT_CERT:
      return CtxSetCurrent(ctx, larg, func);
    case SSL_CTRL_SELECT_CURRENT_CERT:
      return CtxSelectCurrent(ctx, static_cast<const X509*>(parg), func);
    default:
      return CommonChainCtrl(SlotOf(ctx), cmd, larg, parg, func);
  }
}

std::optional<long> SslChainCtrl(Ssl* ssl, int cmd, long larg, void* parg, const char* func) {
  if (cmd == SSL_CTRL_SET_CURRENT_CERT) {
    CertificateSlot slot = SlotOf(ssl);
    if (larg != SSL_CERT_SET_SERVER) return SetCurrent(slot, larg);
    // The certificate a server's handshake chose: the one it has, once it is handshaking.
    return ssl->role == Ssl::Role::kServer && slot.leaf != nullptr && slot.key != nullptr &&
                   !ssl->conn()->InBefore()
               ? 1
               : 0;
  }
  return CommonChainCtrl(SlotOf(ssl), cmd, larg, parg, func);
}

}  // namespace sslshim
