// SSL_CONF_* through the shim must configure the shim's SSL_CTX as the same commands configure an
// OpenSSL SSL_CTX: the same return values, and the same options, bounds and modes read back. This
// process links the real libssl; the shim's functions are reached through dlopen/dlsym on the
// stand-in, and every read-back of the shim's context goes through the stand-in as well.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace {

// One libssl's SSL_CONF_* and the read-back functions: the real one, or the stand-in's.
struct Api {
  decltype(&TLS_server_method) server_method;
  decltype(&SSL_CTX_new) ctx_new;
  decltype(&SSL_CTX_free) ctx_free;
  decltype(&SSL_CTX_get_options) get_options;
  decltype(&SSL_CTX_ctrl) ctx_ctrl;
  decltype(&SSL_CTX_get_verify_mode) get_verify_mode;
  decltype(&SSL_CTX_get_num_tickets) get_num_tickets;
  decltype(&SSL_CONF_CTX_new) conf_new;
  decltype(&SSL_CONF_CTX_free) conf_free;
  decltype(&SSL_CONF_CTX_set_flags) set_flags;
  decltype(&SSL_CONF_CTX_set1_prefix) set1_prefix;
  decltype(&SSL_CONF_CTX_set_ssl_ctx) set_ssl_ctx;
  decltype(&SSL_CONF_cmd) cmd;
  decltype(&SSL_CONF_cmd_argv) cmd_argv;
  decltype(&SSL_CONF_cmd_value_type) value_type;
  decltype(&SSL_CONF_CTX_finish) finish;
};

Api RealApi() {
  return {&TLS_server_method,
          &SSL_CTX_new,
          &SSL_CTX_free,
          &SSL_CTX_get_options,
          &SSL_CTX_ctrl,
          &SSL_CTX_get_verify_mode,
          &SSL_CTX_get_num_tickets,
          &SSL_CONF_CTX_new,
          &SSL_CONF_CTX_free,
          &SSL_CONF_CTX_set_flags,
          &SSL_CONF_CTX_set1_prefix,
          &SSL_CONF_CTX_set_ssl_ctx,
          &SSL_CONF_cmd,
          &SSL_CONF_cmd_argv,
          &SSL_CONF_cmd_value_type,
          &SSL_CONF_CTX_finish};
}

template <typename Fn>
void Bind(void* lib, const char* name, Fn real, Fn* out) {
  *out = reinterpret_cast<Fn>(dlsym(lib, name));
  ASSERT_NE(*out, nullptr) << name;
  ASSERT_NE(reinterpret_cast<void*>(*out), reinterpret_cast<void*>(real))
      << name << " resolved to the real libssl: the comparison would prove nothing";
}

// Everything a test reads back from one SSL_CTX.
struct CtxState {
  uint64_t options;
  long min_version;
  long max_version;
  int verify_mode;
  size_t num_tickets;
};

// One SSL_CTX and an SSL_CONF_CTX on it, from one libssl.
class Configured {
 public:
  Configured(const Api& api, unsigned flags) : api_(api) {
    ctx_ = api_.ctx_new(api_.server_method());
    conf_ = api_.conf_new();
    api_.set_flags(conf_, flags);
    api_.set_ssl_ctx(conf_, ctx_);
  }
  ~Configured() {
    api_.conf_free(conf_);
    api_.ctx_free(ctx_);
  }
  bool ok() const { return ctx_ != nullptr && conf_ != nullptr; }
  int Cmd(const char* cmd, const char* value) { return api_.cmd(conf_, cmd, value); }
  SSL_CONF_CTX* conf() const { return conf_; }
  CtxState State() const {
    return {api_.get_options(ctx_), api_.ctx_ctrl(ctx_, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr),
            api_.ctx_ctrl(ctx_, SSL_CTRL_GET_MAX_PROTO_VERSION, 0, nullptr),
            api_.get_verify_mode(ctx_), api_.get_num_tickets(ctx_)};
  }

 private:
  const Api& api_;
  SSL_CTX* ctx_ = nullptr;
  SSL_CONF_CTX* conf_ = nullptr;
};

void ExpectSameState(const CtxState& shim, const CtxState& real, const std::string& after) {
  EXPECT_EQ(shim.options, real.options) << "options after " << after;
  EXPECT_EQ(shim.min_version, real.min_version) << "min version after " << after;
  EXPECT_EQ(shim.max_version, real.max_version) << "max version after " << after;
  EXPECT_EQ(shim.verify_mode, real.verify_mode) << "verify mode after " << after;
  EXPECT_EQ(shim.num_tickets, real.num_tickets) << "num tickets after " << after;
}

// The reason of the last error on the queue (0: none), and an empty queue after.
int TakeLastReason() {
  unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  return e == 0 ? 0 : ERR_GET_REASON(e);
}

constexpr unsigned kNginxFlags = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER |
                                 SSL_CONF_FLAG_CERTIFICATE | SSL_CONF_FLAG_SHOW_ERRORS;

class ConfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lib_ = dlopen(SSLSHIM_STANDIN_LIB, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib_, nullptr) << dlerror();
    Api real = RealApi();
    Bind(lib_, "TLS_server_method", real.server_method, &shim_.server_method);
    Bind(lib_, "SSL_CTX_new", real.ctx_new, &shim_.ctx_new);
    Bind(lib_, "SSL_CTX_free", real.ctx_free, &shim_.ctx_free);
    Bind(lib_, "SSL_CTX_get_options", real.get_options, &shim_.get_options);
    Bind(lib_, "SSL_CTX_ctrl", real.ctx_ctrl, &shim_.ctx_ctrl);
    Bind(lib_, "SSL_CTX_get_verify_mode", real.get_verify_mode, &shim_.get_verify_mode);
    Bind(lib_, "SSL_CTX_get_num_tickets", real.get_num_tickets, &shim_.get_num_tickets);
    Bind(lib_, "SSL_CONF_CTX_new", real.conf_new, &shim_.conf_new);
    Bind(lib_, "SSL_CONF_CTX_free", real.conf_free, &shim_.conf_free);
    Bind(lib_, "SSL_CONF_CTX_set_flags", real.set_flags, &shim_.set_flags);
    Bind(lib_, "SSL_CONF_CTX_set1_prefix", real.set1_prefix, &shim_.set1_prefix);
    Bind(lib_, "SSL_CONF_CTX_set_ssl_ctx", real.set_ssl_ctx, &shim_.set_ssl_ctx);
    Bind(lib_, "SSL_CONF_cmd", real.cmd, &shim_.cmd);
    Bind(lib_, "SSL_CONF_cmd_argv", real.cmd_argv, &shim_.cmd_argv);
    Bind(lib_, "SSL_CONF_cmd_value_type", real.value_type, &shim_.value_type);
    Bind(lib_, "SSL_CONF_CTX_finish", real.finish, &shim_.finish);
  }
  static void* lib_;
  static Api shim_;
};
void* ConfTest::lib_ = nullptr;
Api ConfTest::shim_{};

// nginx's ssl_conf_command flags, and the commands its users write: each one's return value, the
// error it leaves, and the context it leaves behind, as OpenSSL's.
TEST_F(ConfTest, FileCommandsConfigureTheContextAsOpenSsl) {
  const Api real_api = RealApi();
  Configured shim(shim_, kNginxFlags), real(real_api, kNginxFlags);
  ASSERT_TRUE(shim.ok());
  ASSERT_TRUE(real.ok());
  ExpectSameState(shim.State(), real.State(), "SSL_CTX_new");

  const std::vector<std::pair<const char*, const char*>> commands = {
      {"Options", "-SessionTicket"},
      {"Options", "ServerPreference,NoRenegotiation"},
      {"options", " PrioritizeChaCha , -MiddleboxCompat"},  // names are case-insensitive
      {"Options", "+SessionTicket,-Compression"},
      {"Options", "NoSuchOption"},
      {"Options", "UnsafeLegacyServerConnect,,Bugs"},  // an empty element fails the list
      {"Protocol", "-TLSv1.1,-SSLv3"},
      {"Protocol", "TLSv1.1"},
      {"MinProtocol", "TLSv1.2"},
      {"MaxProtocol", "TLSv1.3"},
      {"MaxProtocol", "TLSv9"},
      {"MaxProtocol", "None"},
      // All three: BoringSSL refuses a list that leaves one out (a restriction it cannot apply).
      {"Ciphersuites",
       "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"},
      {"CipherString", "ECDHE+AESGCM"},
      {"CipherString", "NO-SUCH-CIPHER"},
      {"Groups", "X25519:P-256"},
      {"Curves", "P-384"},
      {"ECDHParameters", "automatic"},
      {"ECDHParameters", "P-256:P-384"},
      {"NumTickets", "3"},
      {"NumTickets", "-1"},
      {"VerifyMode", "Request"},
      {"VerifyMode", "Require,Once"},
      {"VerifyMode", "Peer"},  // a client-only name in a server context
      {"NoSuchCommand", "x"},
      {"no_ticket", nullptr},  // a command-line switch: unknown in a file context
      {"Options", nullptr},
      {nullptr, "x"},
  };
  for (const auto& [cmd, value] : commands) {
    std::string what = std::string(cmd ? cmd : "(null)") + " " + (value ? value : "(null)");
    int shim_rv = shim.Cmd(cmd, value);
    int shim_reason = TakeLastReason();
    int real_rv = real.Cmd(cmd, value);
    int real_reason = TakeLastReason();
    EXPECT_EQ(shim_rv, real_rv) << what;
    EXPECT_EQ(shim_reason, real_reason) << what;
    ExpectSameState(shim.State(), real.State(), what);
  }
  EXPECT_EQ(shim_.finish(shim.conf()), real_api.finish(real.conf()));
}

// Command-line names (with '-'), switches and SSL_CONF_cmd_argv, on a server and a client.
TEST_F(ConfTest, CommandLineSwitchesAndArgvAsOpenSsl) {
  const Api real_api = RealApi();
  for (unsigned side : {SSL_CONF_FLAG_SERVER, SSL_CONF_FLAG_CLIENT}) {
    unsigned flags = SSL_CONF_FLAG_CMDLINE | side;
    Configured shim(shim_, flags), real(real_api, flags);
    ASSERT_TRUE(shim.ok());
    ASSERT_TRUE(real.ok());
    for (const char* sw : {"-no_ticket", "-serverpref", "-no_middlebox", "-legacy_server_connect",
                           "-no_legacy_server_connect", "-prioritize_chacha", "-comp", "-no_tls1_1",
                           "-anti_replay", "no_ticket", "-", "-Options"}) {
      EXPECT_EQ(shim.Cmd(sw, nullptr), real.Cmd(sw, nullptr)) << sw << " side " << side;
      ExpectSameState(shim.State(), real.State(), sw);
    }
    const char* argv[] = {"-min_protocol", "TLSv1.2", "-cipher", "HIGH", "-unknown", "x"};
    char** shim_argv = const_cast<char**>(argv);
    char** real_argv = const_cast<char**>(argv);
    int shim_argc = 6, real_argc = 6;
    for (int step = 0; step < 3; step++) {
      int shim_rv = shim_.cmd_argv(shim.conf(), &shim_argc, &shim_argv);
      int real_rv = real_api.cmd_argv(real.conf(), &real_argc, &real_argv);
      EXPECT_EQ(shim_rv, real_rv) << "step " << step;
      EXPECT_EQ(shim_argc, real_argc) << "step " << step;
      EXPECT_EQ(shim_argv - const_cast<char**>(argv), real_argv - const_cast<char**>(argv));
    }
    ExpectSameState(shim.State(), real.State(), "argv");
  }
}

// SSL_CONF_cmd_value_type answers from OpenSSL's table under every flag combination and prefix.
TEST_F(ConfTest, ValueTypesAreOpenSsls) {
  const Api real_api = RealApi();
  const char* names[] = {
      "Options",        "options",       "Certificate",   "cert",         "-cert",    "PrivateKey",
      "ChainCAPath",    "VerifyCAStore", "ClientCAFile",  "DHParameters", "-dhparam", "NumTickets",
      "-num_tickets",   "-no_ticket",    "no_ticket",     "Curves",       "-curves",  "Protocol",
      "RecordPadding",  "NoSuchCommand", "ssl_Options",   "SSL_Options",  "ssl_",     "-ssl_cert",
      "ServerInfoFile", "-chainCAfile",  "RequestCAFile", "-Options",     "",         "-"};
  const unsigned side_flags[] = {0, SSL_CONF_FLAG_SERVER, SSL_CONF_FLAG_CLIENT,
                                 SSL_CONF_FLAG_SERVER | SSL_CONF_FLAG_CERTIFICATE,
                                 SSL_CONF_FLAG_CLIENT | SSL_CONF_FLAG_CERTIFICATE};
  for (unsigned syntax :
       {SSL_CONF_FLAG_FILE, SSL_CONF_FLAG_CMDLINE, SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_CMDLINE}) {
    for (unsigned side : side_flags) {
      for (const char* prefix : {static_cast<const char*>(nullptr), "ssl_", "-ssl_"}) {
        SSL_CONF_CTX* shim = shim_.conf_new();
        SSL_CONF_CTX* real = real_api.conf_new();
        ASSERT_NE(shim, nullptr);
        shim_.set_flags(shim, syntax | side);
        real_api.set_flags(real, syntax | side);
        EXPECT_EQ(shim_.set1_prefix(shim, prefix), real_api.set1_prefix(real, prefix));
        for (const char* name : names) {
          EXPECT_EQ(shim_.value_type(shim, name), real_api.value_type(real, name))
              << name << " flags " << (syntax | side) << " prefix " << (prefix ? prefix : "none");
        }
        shim_.conf_free(shim);
        real_api.conf_free(real);
      }
    }
  }
}

// Settings BoringSSL cannot honour fail, with an error, where OpenSSL would have applied them.
TEST_F(ConfTest, CommandsTheShimCannotHonourFailWithAnError) {
  Configured shim(shim_, kNginxFlags);
  ASSERT_TRUE(shim.ok());
  ERR_clear_error();
  for (const auto& [cmd, value] : std::vector<std::pair<const char*, const char*>>{
           {"DHParameters", "/dev/null"}, {"RecordPadding", "16"}, {"ClientCAFile", "/dev/null"}}) {
    EXPECT_EQ(shim.Cmd(cmd, value), 0) << cmd;
    EXPECT_NE(ERR_peek_error(), 0u) << cmd << " failed without an error";
    ERR_clear_error();
  }
}

// SignatureAlgorithms and ClientSignatureAlgorithms are applied (SSL_CTX_set1_sigalgs_list,
// SSL_CTX_set1_client_sigalgs_list), as OpenSSL applies them.
TEST_F(ConfTest, SignatureAlgorithmsApply) {
  Configured shim(shim_, kNginxFlags);
  ASSERT_TRUE(shim.ok());
  for (const char* cmd : {"SignatureAlgorithms", "ClientSignatureAlgorithms"}) {
    ERR_clear_error();
    EXPECT_EQ(shim.Cmd(cmd, "ECDSA+SHA256:rsa_pss_rsae_sha256"), 2) << cmd;
    EXPECT_EQ(ERR_peek_error(), 0u) << cmd;
    EXPECT_LE(shim.Cmd(cmd, "nonsense"), 0) << cmd;
  }
  ERR_clear_error();
}

// An SSL_CONF_CTX of the shim given the real libssl's SSL_CTX refuses every command instead of
// configuring nothing and reporting success.
TEST_F(ConfTest, MixingWithARealContextFailsClearly) {
  SSL_CTX* real_ctx = SSL_CTX_new(TLS_server_method());
  ASSERT_NE(real_ctx, nullptr);
  SSL_CONF_CTX* conf = shim_.conf_new();
  ASSERT_NE(conf, nullptr);
  shim_.set_flags(conf, kNginxFlags);
  ERR_clear_error();
  shim_.set_ssl_ctx(conf, real_ctx);
  EXPECT_NE(ERR_peek_error(), 0u);
  ERR_clear_error();
  uint64_t before = SSL_CTX_get_options(real_ctx);
  EXPECT_EQ(shim_.cmd(conf, "Options", "-SessionTicket"), 0);
  EXPECT_NE(ERR_peek_error(), 0u);
  ERR_clear_error();
  EXPECT_EQ(SSL_CTX_get_options(real_ctx), before);
  shim_.conf_free(conf);
  SSL_CTX_free(real_ctx);
}

}  // namespace
