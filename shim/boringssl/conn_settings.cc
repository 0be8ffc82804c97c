// Per-connection settings of a BoringSslConn: SSL_set_options, SSL_set_cipher_list,
// SSL_use_certificate / SSL_use_PrivateKey, SSL_set_quiet_shutdown.
#include <openssl/err.h>

#include "boringssl/conn.h"
#include "boringssl/credentials.h"
#include "boringssl/error_translation.h"
#include "boringssl/mode_translation.h"
#include "boringssl/name_translation.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {

void BoringSslConn::SetOptions(uint64_t openssl_options) {
  no_anti_replay_ = (openssl_options & openssl3::kSSL_OP_NO_ANTI_REPLAY) != 0;
  SSL_clear_options(ssl_.get(), BoringSslOptionBitsWeTranslate());
  SSL_set_options(ssl_.get(), TranslateOptionsToBoringSsl(openssl_options));
  SSL_set_renegotiate_mode(ssl_.get(), OptionsForbidRenegotiation(openssl_options)
                                           ? ssl_renegotiate_never
                                           : ssl_renegotiate_freely);
}

bool BoringSslConn::SetCipherList(const char* list) {
  // Tolerant, as the context's (see BoringSslCtx::SetCipherList).
  ERR_clear_error();
  bool ok = SSL_set_cipher_list(ssl_.get(), CipherStringForBoringSsl(list).c_str()) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) {
  if (chain_der.empty()) {
    errors_.push_back(
        MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_PASSED_NULL_PARAMETER), ""));
    return false;
  }
  ERR_clear_error();
  bool ok = InstallChain(ssl_.get(), chain_der);
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) {
  ERR_clear_error();
  bool ok = InstallKey(ssl_.get(), pkcs8_der);
  DrainBoringSslErrors(&errors_);
  return ok;
}

void BoringSslConn::SetQuietShutdown(bool quiet) { SSL_set_quiet_shutdown(ssl_.get(), quiet); }

}  // namespace sslshim::boringssl
