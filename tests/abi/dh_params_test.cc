// Finite-field DH parameters through the shim answer as OpenSSL 3's own: the security level's
// minimum strength with the same reason, NULL refused, ownership taken only on success (an
// ASan build would see a key freed twice or leaked), on the context and on the connection, through
// the functions and the ctrl commands. This process links the real libssl; the shim's functions are
// reached through dlopen/dlsym on the stand-in, and the same script runs on both.
#include <gtest/gtest.h>
#include <openssl/dh.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <string>
#include <utility>
#include <vector>

#include "side_by_side.h"

namespace {

using sslshim::side_by_side::Outcome;

// The calls the script makes: the real libssl's, or the stand-in's.
// An X-macro list, one entry per line: clang-format would join the entries.
// clang-format off
#define SSLSHIM_API_FIELDS(X)                                                                      \
  X(server_method, TLS_server_method)                                                              \
  X(ctx_new, SSL_CTX_new)                                                                          \
  X(ctx_free, SSL_CTX_free)                                                                        \
  X(ctx_set_level, SSL_CTX_set_security_level)                                                     \
  X(ssl_new, SSL_new)                                                                              \
  X(ssl_free, SSL_free)                                                                            \
  X(ctx_set0_dh, SSL_CTX_set0_tmp_dh_pkey)                                                         \
  X(ssl_set0_dh, SSL_set0_tmp_dh_pkey) X(ctx_ctrl, SSL_CTX_ctrl) X(ssl_ctrl, SSL_ctrl)             \
      X(ctx_set_dh_callback, SSL_CTX_set_tmp_dh_callback)                                          \
          X(ssl_set_dh_callback, SSL_set_tmp_dh_callback)                                          \
              X(ctx_callback_ctrl, SSL_CTX_callback_ctrl) X(ssl_callback_ctrl, SSL_callback_ctrl)
// clang-format on

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

EVP_PKEY* NamedDhGroup(const char* group) {
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  EVP_PKEY* params = nullptr;
  OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string("group", const_cast<char*>(group), 0),
                    OSSL_PARAM_construct_end()};
  if (pctx == nullptr || EVP_PKEY_paramgen_init(pctx) != 1 ||
      EVP_PKEY_CTX_set_params(pctx, p) != 1 || EVP_PKEY_paramgen(pctx, &params) != 1) {
    params = nullptr;
  }
  EVP_PKEY_CTX_free(pctx);
  return params;
}

// The key a step hands over: a fresh DH group (its security bits: dh_1024_160 80, ffdhe2048 112,
// ffdhe3072 128, ffdhe8192 192), a P-256 key, or none.
EVP_PKEY* MakeKey(const std::string& what) {
  if (what == "none") return nullptr;
  if (what == "ec") return EVP_EC_gen("P-256");
  return NamedDhGroup(what.c_str());
}

DH* NoDh(SSL*, int, int) { return nullptr; }

std::string Script(const Api& api) {
  std::string log;
  const char* keys[] = {"none", "dh_1024_160", "ffdhe2048", "ffdhe3072", "ffdhe8192", "ec"};
  for (int level = 0; level <= 5; level++) {
    SSL_CTX* ctx = api.ctx_new(api.server_method());
    if (ctx == nullptr) return log + "SSL_CTX_new failed\n";
    api.ctx_set_level(ctx, level);
    ERR_clear_error();  // the shim says on the queue when it cannot apply a level (fail closed)
    SSL* ssl = api.ssl_new(ctx);
    log += "level " + std::to_string(level) + "\n";
    for (const char* what : keys) {
      log += std::string("  ") + what + ":";
      for (bool on_ssl : {false, true}) {
        EVP_PKEY* key = MakeKey(what);
        int ret = on_ssl ? api.ssl_set0_dh(ssl, key) : api.ctx_set0_dh(ctx, key);
        log += " set0 " + Outcome(ret) + ",";
        if (ret != 1) EVP_PKEY_free(key);  // not taken
        key = MakeKey(what);
        DH* dh = key != nullptr ? EVP_PKEY_get1_DH(key) : nullptr;
        ERR_clear_error();  // an EC key has no DH
        long ctrl = on_ssl ? api.ssl_ctrl(ssl, SSL_CTRL_SET_TMP_DH, 0, dh)
                           : api.ctx_ctrl(ctx, SSL_CTRL_SET_TMP_DH, 0, dh);
        log += " ctrl " + Outcome(ctrl) + ";";
        DH_free(dh);  // the program keeps its DH
        EVP_PKEY_free(key);
      }
      log += "\n";
    }
    log += "  dh_auto " + Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_DH_AUTO, 1, nullptr)) + ", " +
           Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_DH_AUTO, 1, nullptr)) + "\n";
    api.ctx_set_dh_callback(ctx, NoDh);
    api.ssl_set_dh_callback(ssl, NoDh);
    log += "  callbacks " + Outcome(0) + ", callback ctrl " +
           Outcome(api.ctx_callback_ctrl(ctx, SSL_CTRL_SET_TMP_DH_CB,
                                         reinterpret_cast<void (*)(void)>(NoDh))) +
           ", " +
           Outcome(api.ssl_callback_ctrl(ssl, SSL_CTRL_SET_TMP_DH_CB,
                                         reinterpret_cast<void (*)(void)>(NoDh))) +
           "\n";
    api.ssl_free(ssl);
    api.ctx_free(ctx);
  }
  return log;
}

TEST(DhParams, AnswerAsOpenSsl) {
  const std::string native = Script(RealApi());
  // The script reaches every answer: a refusal for strength, one for NULL, and acceptance.
  ASSERT_NE(native.find(" 0 " + std::to_string(ERR_LIB_SSL) + ":" +
                        std::to_string(SSL_R_DH_KEY_TOO_SMALL)),
            std::string::npos)
      << native;
  ASSERT_NE(native.find(" 0 " + std::to_string(ERR_LIB_SSL) + ":" +
                        std::to_string(ERR_R_PASSED_NULL_PARAMETER)),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("set0 1 -"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

}  // namespace
