#include "core/certificate_transparency.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/ssl.h>

#include <ctime>
#include <vector>

#include "core/errors.h"
#include "core/objects.h"

namespace sslshim {
namespace {

// Moves `from`'s SCTs into `to`, each marked with `source`.
void Take(UniquePtr<STACK_OF(SCT)> from, sct_source_t source, STACK_OF(SCT) * to) {
  while (from != nullptr && sk_SCT_num(from.get()) > 0) {
    UniquePtr<SCT> sct(sk_SCT_shift(from.get()));
    SCT_set_source(sct.get(), source);
    if (sk_SCT_push(to, sct.get()) > 0) sct.release();
  }
}

// The SCTs of a stapled OCSP response's single responses (ct_extract_ocsp_response_scts).
void TakeFromOcspResponse(const std::vector<uint8_t>& der, STACK_OF(SCT) * to) {
  const unsigned char* p = der.data();
  UniquePtr<OCSP_RESPONSE> response(
      der.empty() ? nullptr : d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  UniquePtr<OCSP_BASICRESP> basic(response != nullptr ? OCSP_response_get1_basic(response.get())
                                                      : nullptr);
  for (int i = 0; basic != nullptr && i < OCSP_resp_count(basic.get()); i++) {
    OCSP_SINGLERESP* single = OCSP_resp_get0(basic.get(), i);
    if (single == nullptr) continue;
    Take(UniquePtr<STACK_OF(SCT)>(static_cast<STACK_OF(SCT)*>(
             OCSP_SINGLERESP_get1_ext_d2i(single, NID_ct_cert_scts, nullptr, nullptr))),
         SCT_SOURCE_OCSP_STAPLED_RESPONSE, to);
  }
}

}  // namespace

const STACK_OF(SCT) * PeerScts(Ssl* ssl, X509* leaf) {
  if (ssl->connection.peer_scts_gathered) return ssl->connection.peer_scts.get();
  ssl->connection.peer_scts_gathered = true;
  ssl->connection.peer_scts.reset(sk_SCT_new_null());
  STACK_OF(SCT)* scts = ssl->connection.peer_scts.get();
  if (scts == nullptr) return nullptr;
  // In OpenSSL's order: the TLS extension, the OCSP response, the certificate.
  const std::vector<uint8_t> list = ssl->conn()->PeerSignedCertTimestamps();
  if (!list.empty()) {
    const unsigned char* p = list.data();
    Take(UniquePtr<STACK_OF(SCT)>(o2i_SCT_LIST(nullptr, &p, list.size())), SCT_SOURCE_TLS_EXTENSION,
         scts);
  }
  TakeFromOcspResponse(ssl->conn()->OcspResponse(), scts);
  if (leaf != nullptr) {
    Take(UniquePtr<STACK_OF(SCT)>(static_cast<STACK_OF(SCT)*>(
             X509_get_ext_d2i(leaf, NID_ct_precert_scts, nullptr, nullptr))),
         SCT_SOURCE_X509V3_EXTENSION, scts);
  }
  ERR_clear_error();  // what did not parse is not there, as in OpenSSL
  return scts;
}

int ValidateCertificateTransparency(Ssl* ssl, X509* leaf, STACK_OF(X509) * verified_chain) {
  if (ssl->ct_callback == nullptr || leaf == nullptr || verified_chain == nullptr ||
      sk_X509_num(verified_chain) <= 1) {
    return 0;
  }
  Ctx* ctx = ssl->ctx();
  if (ctx->ctlog_store == nullptr) ctx->ctlog_store.reset(CTLOG_STORE_new());
  UniquePtr<CT_POLICY_EVAL_CTX> policy(CT_POLICY_EVAL_CTX_new());
  if (policy == nullptr || ctx->ctlog_store == nullptr) return ERR_R_MALLOC_FAILURE;
  CT_POLICY_EVAL_CTX_set1_cert(policy.get(), leaf);
  CT_POLICY_EVAL_CTX_set1_issuer(policy.get(), sk_X509_value(verified_chain, 1));
  CT_POLICY_EVAL_CTX_set_shared_CTLOG_STORE(policy.get(), ctx->ctlog_store.get());
  CT_POLICY_EVAL_CTX_set_time(policy.get(), static_cast<uint64_t>(time(nullptr)) * 1000);
  const STACK_OF(SCT)* scts = PeerScts(ssl, leaf);
  // Negative only when validation could not run; invalid SCTs are the callback's to judge.
  if (SCT_LIST_validate(scts, policy.get()) < 0) return SSL_R_SCT_VERIFICATION_FAILED;
  return ssl->ct_callback(policy.get(), scts, ssl->ct_arg) > 0 ? 0 : SSL_R_CALLBACK_FAILED;
}

int PermissiveCtValidation(const CT_POLICY_EVAL_CTX*, const STACK_OF(SCT) *, void*) { return 1; }

int StrictCtValidation(const CT_POLICY_EVAL_CTX*, const STACK_OF(SCT) * scts, void*) {
  const int count = scts != nullptr ? sk_SCT_num(scts) : 0;
  for (int i = 0; i < count; i++) {
    if (SCT_get_validation_status(sk_SCT_value(scts, i)) == SCT_VALIDATION_STATUS_VALID) return 1;
  }
  PushError(ERR_LIB_SSL, SSL_R_NO_VALID_SCTS, "ct_strict");
  return 0;
}

}  // namespace sslshim
