// Two small answers through the shim as through OpenSSL 3: SSL_get_default_timeout for each
// method, and SSL_CTX_set_tmp_ecdh / SSL_set_tmp_ecdh (the key's curve becomes the only group)
// for P-256, P-384 and a null key, with the same error queue. One script on OpenSSL's libssl and
// on the stand-in beside it (side_by_side.h).
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include "side_by_side.h"

namespace {

using sslshim::side_by_side::Outcome;

// An X-macro list, one entry per line: clang-format would join the entries.
// clang-format off
#define SSLSHIM_API_FIELDS(X)                                                                      \
  X(tls_method, TLS_method)                                                                        \
  X(dtls_method, DTLS_method)                                                                      \
  X(ctx_new, SSL_CTX_new)                                                                          \
  X(ctx_free, SSL_CTX_free) X(ssl_new, SSL_new) X(ssl_free, SSL_free)                              \
      X(default_timeout, SSL_get_default_timeout) X(ctx_ctrl, SSL_CTX_ctrl) X(ssl_ctrl, SSL_ctrl)
// clang-format on

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

std::string Script(const Api& api) {
  std::string log;
  for (bool dtls : {false, true}) {
    SSL_CTX* ctx = api.ctx_new(dtls ? api.dtls_method() : api.tls_method());
    SSL* ssl = api.ssl_new(ctx);
    log += std::string(dtls ? "DTLS" : "TLS") + " default timeout " +
           std::to_string(api.default_timeout(ssl)) + "\n";
    for (int nid : {NID_X9_62_prime256v1, NID_secp384r1, NID_undef}) {
      EC_KEY* key = nid != NID_undef ? EC_KEY_new_by_curve_name(nid) : nullptr;
      log += "tmp_ecdh " + std::to_string(nid) + ": ctx " +
             Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_TMP_ECDH, 0, key)) + ", ssl " +
             Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_TMP_ECDH, 0, key)) + "\n";
      EC_KEY_free(key);
    }
    api.ssl_free(ssl);
    api.ctx_free(ctx);
  }
  return log;
}

TEST(TmpEcdhAndTimeout, AnswerAsOpenSsl) {
  const std::string native = Script(RealApi());
  ASSERT_NE(native.find("TLS default timeout 7200"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

}  // namespace
