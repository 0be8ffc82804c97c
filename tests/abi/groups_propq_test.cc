// Group lists, cipher lists and SSL_CTX_new_ex's property query through the shim (BoringSSL
// backend) answer as OpenSSL 3's own: a group OpenSSL has and BoringSSL lacks (X448, FFDHE,
// brainpool, P-224) is left out of a list rather than rejecting it (stunnel's default list names
// X448), a name neither knows rejects the whole list, and a query the default provider answers
// ("provider!=fips", stunnel's) makes a context where one it does not ("fips=yes") fails. The one
// deliberate difference: a list naming only groups BoringSSL lacks fails (OpenSSL 3 accepts it,
// then has no group to offer; docs/contract.md), and the same for a cipher list selecting only
// suites BoringSSL lacks.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <set>
#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                     \
  X(method, TLS_method)                           \
  X(ctx_new, SSL_CTX_new)                         \
  X(ctx_new_ex, SSL_CTX_new_ex)                   \
  X(ctx_free, SSL_CTX_free)                       \
  X(ctx_ctrl, SSL_CTX_ctrl)                       \
  X(ssl_new, SSL_new)                             \
  X(ssl_free, SSL_free)                           \
  X(ssl_ctrl, SSL_ctrl)                           \
  X(ctx_set_cipher_list, SSL_CTX_set_cipher_list) \
  X(ssl_set_cipher_list, SSL_set_cipher_list)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

// Measured with Debian's OpenSSL 3.0 (SSL_CTX_set1_groups_list): these succeed...
const char* const kAccepted[] = {
    "X448:X25519",
    "X25519:X448",
    "P-256:P-384:P-521:X448:X25519",
    "ffdhe2048:X25519",
    "X25519:ffdhe3072:ffdhe4096",
    "brainpoolP256r1:X25519",
    "P-224:X25519",
    "x25519",
    "X25519:P-256:X448:P-521:P-384",  // stunnel's default
};
// ...these fail: unknown names (OpenSSL 3.0 has no "?" prefix), empty entries, duplicates.
const char* const kRejected[] = {
    "?X448",         "X25519:?X448",         "foo:X25519", "?foo",   "X25519:foo",
    "X25519:X25519", "secp256r1:prime256v1", "P-256:",     ":P-256", "",
};
// ...and these succeed natively but name no group BoringSSL has: the shim fails them.
const char* const kOnlyOpenSslGroups[] = {"X448", "ffdhe2048", "brainpoolP256r1", "secp224r1"};

// "ctx ssl" answers for one list (1 or 0 each), the queue emptied.
std::string Answers(const Api& api, SSL_CTX* ctx, const char* list) {
  SSL* ssl = api.ssl_new(ctx);
  long on_ctx = api.ctx_ctrl(ctx, SSL_CTRL_SET_GROUPS_LIST, 0, const_cast<char*>(list));
  long on_ssl = api.ssl_ctrl(ssl, SSL_CTRL_SET_GROUPS_LIST, 0, const_cast<char*>(list));
  api.ssl_free(ssl);
  ERR_clear_error();
  return std::to_string(on_ctx) + " " + std::to_string(on_ssl);
}

std::string GroupsScript(const Api& api, bool with_only_openssl) {
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.method());
  for (const char* list : kAccepted)
    log += std::string(list) + ": " + Answers(api, ctx, list) + "\n";
  for (const char* list : kRejected)
    log += std::string(list) + ": " + Answers(api, ctx, list) + "\n";
  if (with_only_openssl) {
    for (const char* list : kOnlyOpenSslGroups) {
      log += std::string(list) + ": " + Answers(api, ctx, list) + "\n";
    }
  }
  api.ctx_free(ctx);
  return log;
}

TEST(GroupLists, AnswerAsOpenSsl) {
  const std::string native = GroupsScript(RealApi(), false);
  for (const char* list : kAccepted) {
    ASSERT_NE(native.find(std::string(list) + ": 1 1\n"), std::string::npos) << native;
  }
  for (const char* list : kRejected) {
    ASSERT_NE(native.find(std::string(list) + ": 0 0\n"), std::string::npos) << native;
  }
  EXPECT_EQ(GroupsScript(ShimApi(), false), native);
}

TEST(GroupLists, OnlyGroupsBoringSslLacksFailOnTheShim) {
  const Api real = RealApi(), shim = ShimApi();
  SSL_CTX* real_ctx = real.ctx_new(real.method());
  SSL_CTX* shim_ctx = shim.ctx_new(shim.method());
  for (const char* list : kOnlyOpenSslGroups) {
    EXPECT_EQ(Answers(real, real_ctx, list), "1 1") << list;
    EXPECT_EQ(Answers(shim, shim_ctx, list), "0 0") << list;
  }
  real.ctx_free(real_ctx);
  shim.ctx_free(shim_ctx);
}

// Cipher lists (TLS <= 1.2), measured with Debian's OpenSSL 3.0 (SSL_CTX_set_cipher_list): both
// libraries skip names they do not know and fail only when nothing is selected...
const char* const kCipherListsBoth[] = {
    "HIGH:!aNULL:!SSLv2:!DH:!kDHEPSK",  // stunnel's default
    "ECDHE-RSA-AES128-GCM-SHA256:FOO",
    "FOO",
    "FOO:BAR",
    "",
    "DHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE+AESGCM",
    "DEFAULT",
    "!ALL",
    "PSK",
    "ECDHE-RSA-AES128-GCM-SHA256:@STRENGTH",
    "ECDHE-RSA-CAMELLIA128-SHA256:AES128-SHA",
};
// ...and these select only suites BoringSSL lacks (natively 1): the shim fails them and marks the
// object (docs/contract.md, security settings fail closed).
const char* const kCipherListsOnlyOpenSsl[] = {"DHE-RSA-AES128-GCM-SHA256", "aNULL", "kEDH",
                                               "CAMELLIA"};

std::string CipherAnswers(const Api& api, SSL_CTX* ctx, const char* list) {
  SSL* ssl = api.ssl_new(ctx);
  int on_ctx = api.ctx_set_cipher_list(ctx, list);
  int on_ssl = api.ssl_set_cipher_list(ssl, list);
  api.ssl_free(ssl);
  ERR_clear_error();
  return std::to_string(on_ctx) + " " + std::to_string(on_ssl);
}

std::string CipherScript(const Api& api) {
  std::string log;
  for (const char* list : kCipherListsBoth) {
    SSL_CTX* ctx = api.ctx_new(api.method());
    log += std::string(list) + ": " + CipherAnswers(api, ctx, list) + "\n";
    api.ctx_free(ctx);
  }
  return log;
}

TEST(CipherLists, AnswerAsOpenSsl) {
  const std::string native = CipherScript(RealApi());
  ASSERT_NE(native.find("FOO: 0 0\n"), std::string::npos) << native;
  ASSERT_NE(native.find("HIGH:!aNULL:!SSLv2:!DH:!kDHEPSK: 1 1\n"), std::string::npos) << native;
  EXPECT_EQ(CipherScript(ShimApi()), native);
}

TEST(CipherLists, OnlySuitesBoringSslLacksFailOnTheShim) {
  const Api real = RealApi(), shim = ShimApi();
  for (const char* list : kCipherListsOnlyOpenSsl) {
    SSL_CTX* real_ctx = real.ctx_new(real.method());
    SSL_CTX* shim_ctx = shim.ctx_new(shim.method());
    EXPECT_EQ(CipherAnswers(real, real_ctx, list), "1 1") << list;
    EXPECT_EQ(CipherAnswers(shim, shim_ctx, list), "0 0") << list;
    real.ctx_free(real_ctx);
    shim.ctx_free(shim_ctx);
  }
}

// "ctx" or "NULL lib:reason" for each query.
std::string PropqScript(const Api& api) {
  std::string log;
  for (const char* propq : {"provider!=fips", "fips=no", "-fips", "?fips=yes", "provider=default",
                            "", "fips=yes", "provider=legacy"}) {
    ERR_clear_error();
    SSL_CTX* ctx = api.ctx_new_ex(nullptr, propq, api.method());
    unsigned long e = ERR_peek_error();
    log += std::string(propq) + ": " +
           (ctx != nullptr ? std::string("ctx")
                           : "NULL " + std::to_string(ERR_GET_LIB(e)) + ":" +
                                 std::to_string(ERR_GET_REASON(e))) +
           "\n";
    api.ctx_free(ctx);
    ERR_clear_error();
  }
  return log;
}

TEST(PropertyQuery, AnswersAsOpenSsl) {
  const std::string native = PropqScript(RealApi());
  ASSERT_NE(native.find("provider!=fips: ctx\n"), std::string::npos) << native;
  ASSERT_NE(native.find("fips=yes: NULL " + std::to_string(ERR_LIB_SSL) + ":" +
                        std::to_string(SSL_R_LIBRARY_HAS_NO_CIPHERS)),
            std::string::npos)
      << native;
  EXPECT_EQ(PropqScript(ShimApi()), native);
}

}  // namespace
