// Finite-field DHE parameters, shared by their functions and ctrl commands (dh_params.cc).
#pragma once

#include <openssl/evp.h>

#include "core/unique_ptr.h"

namespace sslshim {

// SSL_CTX_set0_tmp_dh_pkey / SSL_set0_tmp_dh_pkey at security level `level`: takes `key` into
// `slot` and returns true, or leaves it to the caller with SSL_R_DH_KEY_TOO_SMALL queued.
bool SetTmpDhKey(int level, UniquePtr<EVP_PKEY>* slot, EVP_PKEY* key, const char* func);

// SSL_CTRL_SET_TMP_DH: `parg` is the program's DH, which it keeps; 1 with a copy in `slot`, or 0
// with OpenSSL's reason queued.
long SetTmpDhCtrl(int level, UniquePtr<EVP_PKEY>* slot, void* parg, const char* func);

}  // namespace sslshim
