#include "core/program_key.h"

#include <openssl/rsa.h>

#include "core/signature_schemes.h"
#include "core/unique_ptr.h"

namespace sslshim {
namespace {

bool IsRsaPss(uint16_t code) { return code >= 0x0804 && code <= 0x0806; }

}  // namespace

bool SignWithProgramKey(EVP_PKEY* key, uint16_t code, const uint8_t* in, size_t len,
                        std::vector<uint8_t>* out) {
  const EVP_MD* md = nullptr;
  if (code == kSignRsaPkcs1Md5Sha1) {
    md = EVP_md5_sha1();
  } else if (const SignatureScheme* scheme = FindSignatureScheme(code)) {
    if (scheme->hash_nid != NID_undef) md = EVP_get_digestbynid(scheme->hash_nid);
    if (md == nullptr && scheme->hash_nid != NID_undef) return false;
  } else {
    return false;
  }
  UniquePtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key) != 1) return false;
  if (IsRsaPss(code) && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return false;
  }
  size_t sig_len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &sig_len, in, len) != 1) return false;
  out->resize(sig_len);
  if (EVP_DigestSign(ctx.get(), out->data(), &sig_len, in, len) != 1) return false;
  out->resize(sig_len);
  return true;
}

bool DecryptWithProgramKey(EVP_PKEY* key, const uint8_t* in, size_t len,
                           std::vector<uint8_t>* out) {
  UniquePtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1) {
    return false;
  }
  size_t out_len = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &out_len, in, len) != 1) return false;
  out->resize(out_len);
  if (EVP_PKEY_decrypt(ctx.get(), out->data(), &out_len, in, len) != 1) return false;
  out->resize(out_len);
  return true;
}

}  // namespace sslshim
