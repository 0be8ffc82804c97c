// Finite-field DHE parameters (SSL_CTX_set0_tmp_dh_pkey, SSL_CTX_set_tmp_dh, the callbacks, and
// their SSL forms). No backend offers a DHE suite (BoringSSL has none; README "Not offered"), so
// the parameters configure nothing, but the program sees OpenSSL 3's answers: the same security
// level check with the same reason, ownership taken only on success, NULL refused. Measured
// natively (OpenSSL 3.0.19, levels 0-3, 1024- and 2048-bit groups, an EC key, NULL).
//
// The DH* ctrl takes a deprecated type; its security bits are read with the deprecated call that
// OpenSSL's own conversion (ssl_dh_to_pkey) ends in (the exports see deprecated declarations).
#include "exports/dh_params.h"

#include <openssl/dh.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>

#include "core/errors.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

// OpenSSL's default security callback for SSL_SECOP_TMP_DH: the level's minimum strength, and at
// level 0 still no fewer than 80 bits.
bool DhStrongEnough(int level, int security_bits, const char* func) {
  static constexpr int kMinimumBits[] = {80, 80, 112, 128, 192, 256};
  if (security_bits >= kMinimumBits[std::clamp(level, 0, 5)]) return true;
  PushError(ERR_LIB_SSL, SSL_R_DH_KEY_TOO_SMALL, func);
  return false;
}

}  // namespace

bool SetTmpDhKey(int level, UniquePtr<EVP_PKEY>* slot, EVP_PKEY* key, const char* func) {
  if (!DhStrongEnough(level, EVP_PKEY_get_security_bits(key), func)) return false;
  slot->reset(key);
  return true;
}

long SetTmpDhCtrl(int level, UniquePtr<EVP_PKEY>* slot, void* parg, const char* func) {
  DH* dh = static_cast<DH*>(parg);
  if (dh == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  if (!DhStrongEnough(level, DH_security_bits(dh), func)) return 0;
  UniquePtr<EVP_PKEY> key(EVP_PKEY_new());
  if (key == nullptr || EVP_PKEY_set1_DH(key.get(), dh) != 1) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return 0;
  }
  *slot = std::move(key);
  return 1;
}

}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set0_tmp_dh_pkey, 0, dhpkey) {
  return sslshim::SetTmpDhKey(ctx->security_level, &ctx->tmp_dh, dhpkey,
                              "SSL_CTX_set0_tmp_dh_pkey");
}

SSLSHIM_SSL_ENTRY(SSL_set0_tmp_dh_pkey, 0, dhpkey) {
  return sslshim::SetTmpDhKey(ssl->security_level, &ssl->tmp_dh, dhpkey, "SSL_set0_tmp_dh_pkey");
}

// Never called: no DHE suite is negotiated.
SSLSHIM_CTX_ENTRY(SSL_CTX_set_tmp_dh_callback, , dh) { ctx->tmp_dh_callback = dh; }

SSLSHIM_SSL_ENTRY(SSL_set_tmp_dh_callback, , dh) { ssl->tmp_dh_callback = dh; }
