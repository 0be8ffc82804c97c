// Trust anchors through the shim load as through OpenSSL 3: SSL_CTX_load_verify_file/_dir/_store,
// SSL_CTX_load_verify_locations and SSL_CTX_set_default_verify_dir/_file/_store/_paths give the
// same answers, the same error queue and the same objects in the context's X509_STORE, for
// readable, missing and malformed inputs. (openssl s_client -CAfile once stopped at the first.)
// This process links the real libssl; the shim's functions are reached on the stand-in beside it.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "side_by_side.h"

namespace {

// An X-macro list, one entry per line: clang-format would join the entries.
// clang-format off
#define SSLSHIM_API_FIELDS(X)                                                                      \
  X(client_method, TLS_client_method)                                                              \
  X(ctx_new, SSL_CTX_new)                                                                          \
  X(ctx_free, SSL_CTX_free)                                                                        \
  X(get_cert_store, SSL_CTX_get_cert_store)                                                        \
  X(load_file, SSL_CTX_load_verify_file)                                                           \
  X(load_dir, SSL_CTX_load_verify_dir)                                                             \
  X(load_store, SSL_CTX_load_verify_store) X(load_locations, SSL_CTX_load_verify_locations)        \
      X(default_dir, SSL_CTX_set_default_verify_dir)                                               \
          X(default_file, SSL_CTX_set_default_verify_file)                                         \
              X(default_store, SSL_CTX_set_default_verify_store)                                   \
                  X(default_paths, SSL_CTX_set_default_verify_paths)
// clang-format on

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

// "answer, first queued reason, objects in the store", the queue emptied.
std::string Outcome(const Api& api, SSL_CTX* ctx, int ret) {
  unsigned long error = ERR_get_error();
  ERR_clear_error();
  X509_STORE* store = api.get_cert_store(ctx);
  return std::to_string(ret) + ", " + (error != 0 ? std::to_string(ERR_GET_REASON(error)) : "-") +
         ", " + std::to_string(sk_X509_OBJECT_num(X509_STORE_get0_objects(store)));
}

// Each call on a fresh context, so one call's objects do not hide another's.
template <typename Call>
std::string OnFreshContext(const Api& api, Call call) {
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  std::string out = Outcome(api, ctx, call(ctx));
  api.ctx_free(ctx);
  return out;
}

struct Files {
  std::string dir, ca, garbage, missing;
};

std::string Script(const Api& api, const Files& f) {
  std::string log;
  auto line = [&](const std::string& what, const std::string& outcome) {
    log += what + ": " + outcome + "\n";
  };
  for (const std::string& file : {f.ca, f.garbage, f.missing}) {
    const std::string name = file.substr(file.rfind('/') + 1);
    line("load_verify_file " + name,
         OnFreshContext(api, [&](SSL_CTX* c) { return api.load_file(c, file.c_str()); }));
    line("load_verify_store file:" + name,
         OnFreshContext(api, [&](SSL_CTX* c) { return api.load_store(c, file.c_str()); }));
    line("load_verify_locations " + name, OnFreshContext(api, [&](SSL_CTX* c) {
           return api.load_locations(c, file.c_str(), nullptr);
         }));
  }
  line("load_verify_dir",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.load_dir(c, f.dir.c_str()); }));
  line("load_verify_dir missing",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.load_dir(c, f.missing.c_str()); }));
  line("load_verify_locations neither",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.load_locations(c, nullptr, nullptr); }));
  line("set_default_verify_dir",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.default_dir(c); }));
  line("set_default_verify_file",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.default_file(c); }));
  line("set_default_verify_store",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.default_store(c); }));
  line("set_default_verify_paths",
       OnFreshContext(api, [&](SSL_CTX* c) { return api.default_paths(c); }));
  return log;
}

TEST(VerifyLocations, LoadAsOpenSsl) {
  char dir_template[] = "/tmp/sslshim-verify-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  Files f{dir_template, std::string(dir_template) + "/ca.pem",
          std::string(dir_template) + "/garbage.pem", std::string(dir_template) + "/missing.pem"};
  // A self-signed CA from the program's libcrypto, and a file that is not PEM at all.
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = sslshim::side_by_side::SelfSignedCertificate(key, "verify-locations");
  ASSERT_NE(cert, nullptr);
  FILE* out = fopen(f.ca.c_str(), "w");
  ASSERT_NE(out, nullptr);
  PEM_write_X509(out, cert);
  fclose(out);
  std::ofstream(f.garbage) << "not a certificate\n";
  X509_free(cert);
  EVP_PKEY_free(key);

  const std::string native = Script(RealApi(), f);
  ASSERT_NE(native.find("load_verify_file ca.pem: 1, -, 1"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi(), f), native);
  unlink(f.ca.c_str());
  unlink(f.garbage.c_str());
  rmdir(f.dir.c_str());
}

}  // namespace
