// SSL_CTX_config / SSL_config: apply a named section of the program's configuration file (the
// `ssl_conf` module's sections, which libcrypto loads with openssl.cnf or CONF_modules_load_file)
// as OpenSSL 3 does (ssl/ssl_mcnf.c): each command of the section through SSL_CONF_cmd with the
// file's flags, then SSL_CONF_CTX_finish. The commands run through the shim's own SSL_CONF_*
// (exports/conf.cc), so a command the shim cannot honour fails here as it does there. libcrypto
// keeps the sections and hands them to libssl through three functions it exports for that.
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstddef>
#include <string>

#include "core/errors.h"
#include "core/unique_ptr.h"
#include "exports/entry_point.h"

extern "C" {
// libcrypto.so.3's, at OPENSSL_3.0.0 (crypto/conf/conf_ssl.c); in no public header.
struct ssl_conf_cmd_st;
int conf_ssl_name_find(const char* name, size_t* idx);
const ssl_conf_cmd_st* conf_ssl_get(size_t idx, const char** name, size_t* cnt);
void conf_ssl_get_cmd(const ssl_conf_cmd_st* cmd, size_t idx, char** cmdstr, char** arg);
}

namespace {

// `set_target` points the SSL_CONF_CTX at the program's object. 1 when every command applied.
template <typename SetTarget>
int RunSection(const char* name, const sslshim::Method* method, const char* func,
               SetTarget set_target) {
  size_t idx = 0;
  if (conf_ssl_name_find(name, &idx) == 0) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_INVALID_CONFIGURATION_NAME, func,
                       ("name=" + std::string(name != nullptr ? name : "(null)")).c_str());
    return 0;
  }
  const char* section = nullptr;
  size_t count = 0;
  const ssl_conf_cmd_st* commands = conf_ssl_get(idx, &section, &count);
  sslshim::UniquePtr<SSL_CONF_CTX> conf(SSL_CONF_CTX_new());
  if (conf == nullptr) return 0;
  unsigned int flags =
      SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_CERTIFICATE | SSL_CONF_FLAG_REQUIRE_PRIVATE;
  // The sides the method can take, as OpenSSL reads them from the method's accept/connect.
  const sslshim::Endpoint endpoint =
      method != nullptr ? method->spec.endpoint : sslshim::Endpoint::kEither;
  if (endpoint != sslshim::Endpoint::kClient) flags |= SSL_CONF_FLAG_SERVER;
  if (endpoint != sslshim::Endpoint::kServer) flags |= SSL_CONF_FLAG_CLIENT;
  set_target(conf.get());
  SSL_CONF_CTX_set_flags(conf.get(), flags);
  int failed = 0;
  for (size_t i = 0; i < count; ++i) {
    char* command = nullptr;
    char* arg = nullptr;
    conf_ssl_get_cmd(commands, i, &command, &arg);
    if (SSL_CONF_cmd(conf.get(), command, arg) <= 0) ++failed;
  }
  if (SSL_CONF_CTX_finish(conf.get()) == 0) ++failed;
  return failed == 0 ? 1 : 0;
}

}  // namespace

SSLSHIM_CTX_ENTRY(SSL_CTX_config, 0, name) {
  return RunSection(name, ctx->method, "SSL_CTX_config",
                    [ctx](SSL_CONF_CTX* conf) { SSL_CONF_CTX_set_ssl_ctx(conf, ctx->api()); });
}

SSLSHIM_SSL_ENTRY(SSL_config, 0, name) {
  return RunSection(name, ssl->ctx() != nullptr ? ssl->ctx()->method : nullptr, "SSL_config",
                    [ssl](SSL_CONF_CTX* conf) { SSL_CONF_CTX_set_ssl(conf, ssl->api()); });
}

// OpenSSL 3's does nothing: libcrypto adds the ssl_conf module itself.
SSLSHIM_FUNCTION_ENTRY(SSL_add_ssl_module) {}
