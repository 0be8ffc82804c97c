// Certificates and keys handed over as DER in memory or in their RSA-only forms load through the
// shim as through OpenSSL 3: the same answers, the same error reasons, and a key that matches the
// certificate afterwards (SSL_CTX_check_private_key / SSL_check_private_key), for good, malformed
// and missing input, on a context and on a connection. One script, run on OpenSSL's libssl and on
// the stand-in beside it (side_by_side.h).
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

using sslshim::side_by_side::Outcome;

// An X-macro list, one entry per line: clang-format would join the entries.
// clang-format off
#define SSLSHIM_API_FIELDS(X)                                                                      \
  X(server_method, TLS_server_method)                                                              \
  X(ctx_new, SSL_CTX_new)                                                                          \
  X(ctx_free, SSL_CTX_free)                                                                        \
  X(ssl_new, SSL_new)                                                                              \
  X(ssl_free, SSL_free)                                                                            \
  X(ctx_cert_der, SSL_CTX_use_certificate_ASN1) X(ssl_cert_der, SSL_use_certificate_ASN1)          \
      X(ctx_key_der, SSL_CTX_use_PrivateKey_ASN1) X(ssl_key_der, SSL_use_PrivateKey_ASN1)          \
          X(ctx_rsa, SSL_CTX_use_RSAPrivateKey) X(ssl_rsa, SSL_use_RSAPrivateKey)                  \
              X(ctx_rsa_der, SSL_CTX_use_RSAPrivateKey_ASN1)                                       \
                  X(ssl_rsa_der, SSL_use_RSAPrivateKey_ASN1)                                       \
                      X(ctx_rsa_file, SSL_CTX_use_RSAPrivateKey_file)                              \
                          X(ssl_rsa_file, SSL_use_RSAPrivateKey_file)                              \
                              X(ctx_check, SSL_CTX_check_private_key)                              \
                                  X(ssl_check, SSL_check_private_key)
// clang-format on

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

std::vector<unsigned char> Der(int (*encode)(const void*, unsigned char**), const void* object) {
  unsigned char* der = nullptr;
  int len = encode(object, &der);
  std::vector<unsigned char> out(der, der + (len > 0 ? len : 0));
  OPENSSL_free(der);
  return out;
}

struct Material {
  RSA* rsa;
  std::vector<unsigned char> cert_der, key_der, rsa_der, garbage;
  std::string rsa_pem_file, rsa_der_file, missing_file;
};

std::string Script(const Api& api, const Material& m) {
  std::string log;
  auto line = [&](const std::string& what, const std::string& outcome) {
    log += what + ": " + outcome + "\n";
  };
  const long cert_len = static_cast<long>(m.cert_der.size());
  const long garbage_len = static_cast<long>(m.garbage.size());
  for (bool on_ssl : {false, true}) {
    const std::string where = on_ssl ? "SSL " : "CTX ";
    // Each step on fresh objects, so one step's certificate does not carry into the next check.
    auto step = [&](const std::string& what, auto call) {
      SSL_CTX* ctx = api.ctx_new(api.server_method());
      SSL* ssl = api.ssl_new(ctx);
      std::string outcome = Outcome(call(ctx, ssl));
      outcome += ", check " + Outcome(on_ssl ? api.ssl_check(ssl) : api.ctx_check(ctx));
      line(where + what, outcome);
      api.ssl_free(ssl);
      api.ctx_free(ctx);
    };
    auto cert = [&](SSL_CTX* ctx, SSL* ssl) {
      return on_ssl ? api.ssl_cert_der(ssl, m.cert_der.data(), static_cast<int>(cert_len))
                    : api.ctx_cert_der(ctx, static_cast<int>(cert_len), m.cert_der.data());
    };
    step("certificate DER", cert);
    step("certificate garbage", [&](SSL_CTX* ctx, SSL* ssl) {
      return on_ssl ? api.ssl_cert_der(ssl, m.garbage.data(), static_cast<int>(garbage_len))
                    : api.ctx_cert_der(ctx, static_cast<int>(garbage_len), m.garbage.data());
    });
    step("key DER", [&](SSL_CTX* ctx, SSL* ssl) {
      cert(ctx, ssl);
      const long len = static_cast<long>(m.key_der.size());
      return on_ssl ? api.ssl_key_der(EVP_PKEY_RSA, ssl, m.key_der.data(), len)
                    : api.ctx_key_der(EVP_PKEY_RSA, ctx, m.key_der.data(), len);
    });
    step("key garbage", [&](SSL_CTX* ctx, SSL* ssl) {
      return on_ssl ? api.ssl_key_der(EVP_PKEY_RSA, ssl, m.garbage.data(), garbage_len)
                    : api.ctx_key_der(EVP_PKEY_RSA, ctx, m.garbage.data(), garbage_len);
    });
    step("RSA object", [&](SSL_CTX* ctx, SSL* ssl) {
      cert(ctx, ssl);
      return on_ssl ? api.ssl_rsa(ssl, m.rsa) : api.ctx_rsa(ctx, m.rsa);
    });
    step("RSA null", [&](SSL_CTX* ctx, SSL* ssl) {
      return on_ssl ? api.ssl_rsa(ssl, nullptr) : api.ctx_rsa(ctx, nullptr);
    });
    step("RSA DER", [&](SSL_CTX* ctx, SSL* ssl) {
      cert(ctx, ssl);
      const long len = static_cast<long>(m.rsa_der.size());
      return on_ssl ? api.ssl_rsa_der(ssl, m.rsa_der.data(), len)
                    : api.ctx_rsa_der(ctx, m.rsa_der.data(), len);
    });
    step("RSA DER garbage", [&](SSL_CTX* ctx, SSL* ssl) {
      return on_ssl ? api.ssl_rsa_der(ssl, m.garbage.data(), garbage_len)
                    : api.ctx_rsa_der(ctx, m.garbage.data(), garbage_len);
    });
    const struct {
      const char* what;
      const std::string* file;
      int type;
    } files[] = {{"RSA file PEM", &m.rsa_pem_file, SSL_FILETYPE_PEM},
                 {"RSA file DER", &m.rsa_der_file, SSL_FILETYPE_ASN1},
                 {"RSA file PEM read as DER", &m.rsa_pem_file, SSL_FILETYPE_ASN1},
                 {"RSA file of another type", &m.rsa_pem_file, 7},
                 {"RSA file missing", &m.missing_file, SSL_FILETYPE_PEM}};
    for (const auto& f : files) {
      step(f.what, [&](SSL_CTX* ctx, SSL* ssl) {
        cert(ctx, ssl);
        return on_ssl ? api.ssl_rsa_file(ssl, f.file->c_str(), f.type)
                      : api.ctx_rsa_file(ctx, f.file->c_str(), f.type);
      });
    }
  }
  return log;
}

TEST(CertEncodings, LoadAsOpenSsl) {
  char dir_template[] = "/tmp/sslshim-certenc-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  X509* cert = sslshim::side_by_side::SelfSignedCertificate(key, "cert-encodings");
  ASSERT_NE(cert, nullptr);

  Material m;
  m.rsa = EVP_PKEY_get1_RSA(key);
  m.cert_der = Der(reinterpret_cast<int (*)(const void*, unsigned char**)>(i2d_X509), cert);
  m.key_der = Der(reinterpret_cast<int (*)(const void*, unsigned char**)>(i2d_PrivateKey), key);
  m.rsa_der =
      Der(reinterpret_cast<int (*)(const void*, unsigned char**)>(i2d_RSAPrivateKey), m.rsa);
  m.garbage = {0x30, 0x03, 0x02, 0x01};
  m.rsa_pem_file = dir + "/rsa.pem";
  m.rsa_der_file = dir + "/rsa.der";
  m.missing_file = dir + "/missing.pem";
  FILE* out = fopen(m.rsa_pem_file.c_str(), "w");
  ASSERT_NE(out, nullptr);
  PEM_write_RSAPrivateKey(out, m.rsa, nullptr, nullptr, 0, nullptr, nullptr);
  fclose(out);
  out = fopen(m.rsa_der_file.c_str(), "w");
  ASSERT_NE(out, nullptr);
  fwrite(m.rsa_der.data(), 1, m.rsa_der.size(), out);
  fclose(out);

  const std::string native = Script(RealApi(), m);
  ASSERT_NE(native.find("CTX RSA file DER: 1 -, check 1 -"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi(), m), native);

  RSA_free(m.rsa);
  X509_free(cert);
  EVP_PKEY_free(key);
  unlink(m.rsa_pem_file.c_str());
  unlink(m.rsa_der_file.c_str());
  rmdir(dir.c_str());
}

}  // namespace
