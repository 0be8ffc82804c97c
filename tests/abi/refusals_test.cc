// Functions the shim serves with OpenSSL 3's answers for what it cannot do, refuses by design, or
// refuses while failing closed: record padding, async fds, custom extensions, named configuration
// sections (SSL_CTX_config, SSL_config), the early exporter, SSL_stateless and the guarded
// refusals. What both libraries can answer is compared with the real libssl in this process; a
// refusal must fail cleanly with its reason on the queue, and a refused security setting must
// leave its object refusing to handshake.
#include <dlfcn.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                     \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                        \
  X(ctx_get_options, SSL_CTX_get_options)                         \
  X(ssl_ctrl, SSL_ctrl)                                           \
  X(set_fd, SSL_set_fd)                                           \
  X(ctx_set_block_padding, SSL_CTX_set_block_padding)             \
  X(set_block_padding, SSL_set_block_padding)                     \
  X(ctx_set_padding_cb, SSL_CTX_set_record_padding_callback)      \
  X(set_padding_cb, SSL_set_record_padding_callback)              \
  X(ctx_set_padding_arg, SSL_CTX_set_record_padding_callback_arg) \
  X(ctx_get_padding_arg, SSL_CTX_get_record_padding_callback_arg) \
  X(set_padding_arg, SSL_set_record_padding_callback_arg)         \
  X(get_padding_arg, SSL_get_record_padding_callback_arg)         \
  X(get_changed_async_fds, SSL_get_changed_async_fds)             \
  X(has_client_custom_ext, SSL_CTX_has_client_custom_ext)         \
  X(ctx_config, SSL_CTX_config)                                   \
  X(ssl_config, SSL_config)                                       \
  X(export_early, SSL_export_keying_material_early)               \
  X(renegotiate, SSL_renegotiate)                                 \
  X(renegotiate_abbreviated, SSL_renegotiate_abbreviated)         \
  X(stateless, SSL_stateless)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::OnOpenSslBackend;
using sslshim::side_by_side::Outcome;
using sslshim::side_by_side::ServerIdentity;

// The first queued error's reason and text data, the queue emptied.
std::string ReasonAndData() {
  const char* data = nullptr;
  int flags = 0;
  const unsigned long error = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
  std::string out =
      std::to_string(ERR_GET_LIB(error)) + ":" + std::to_string(ERR_GET_REASON(error));
  if (data != nullptr && (flags & ERR_TXT_STRING) != 0) out += std::string(" ") + data;
  ERR_clear_error();
  return out;
}

// `ssl` (a client of `api`'s) against a real OpenSSL server at `version`, over a stream
// socketpair: "done", or the client's SSL_get_error and first reason. `after` runs on both
// connections once done.
template <typename After>
std::string HandshakeWithOpenSsl(const Api& api, SSL* ssl, int version, After after) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return "socketpair failed";
  for (int fd : fds) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  SSL_CTX* peer_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(peer_ctx, ServerIdentity().cert);
  SSL_CTX_use_PrivateKey(peer_ctx, ServerIdentity().key);
  SSL_CTX_set_max_proto_version(peer_ctx, version);
  SSL* peer = SSL_new(peer_ctx);
  SSL_set_fd(peer, fds[1]);
  SSL_set_accept_state(peer);
  api.set_fd(ssl, fds[0]);
  api.set_connect_state(ssl);
  std::string result;
  bool done[2] = {false, false};
  for (int step = 0; step < 100 && result.empty() && !(done[0] && done[1]); ++step) {
    if (!done[0]) {
      const int ret = api.do_handshake(ssl);
      const int err = api.get_error(ssl, ret);
      if (ret == 1) {
        done[0] = true;
      } else if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
        result = "error " + std::to_string(err) + " " + ReasonAndData();
      }
    }
    if (!done[1] && result.empty()) {
      const int ret = SSL_do_handshake(peer);
      const int err = SSL_get_error(peer, ret);
      if (ret == 1) {
        done[1] = true;
      } else if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
        result = "peer error " + std::to_string(err) + " " + ReasonAndData();
      }
    }
  }
  if (result.empty()) {
    result = done[0] && done[1] ? "done" : "stuck";
    if (done[0] && done[1]) after(ssl, peer);
  }
  SSL_free(peer);
  SSL_CTX_free(peer_ctx);
  close(fds[0]);
  close(fds[1]);
  ERR_clear_error();
  return result;
}

// A configuration file with two ssl_conf sections, loaded into libcrypto (which both libraries
// read them from) once.
void LoadConfiguration() {
  static const bool loaded = [] {
    char path[] = "/tmp/sslshim-refusals-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return false;
    const std::string text =
        "sslshim_conf = sslshim_conf_section\n"
        "[sslshim_conf_section]\n"
        "ssl_conf = ssl_sections\n"
        "[ssl_sections]\n"
        "sslshim_good = sslshim_good_section\n"
        "sslshim_bad = sslshim_bad_section\n"
        "[sslshim_good_section]\n"
        "MinProtocol = TLSv1.3\n"
        "Options = -SessionTicket\n"
        "[sslshim_bad_section]\n"
        "CipherString = sslshim-no-such-cipher\n"
        "MinProtocol = TLSv1.2\n";
    const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    const bool ok = written && CONF_modules_load_file(path, "sslshim_conf", 0) == 1;
    unlink(path);
    return ok;
  }();
  ASSERT_TRUE(loaded) << ReasonAndData();
}

std::string ServedScript(const Api& api) {
  std::string log;
  auto line = [&](const std::string& what, long ret) { log += what + ": " + Outcome(ret) + "\n"; };
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  for (size_t size : {size_t{0}, size_t{1}, size_t{16385}, size_t{1} << 20}) {
    line("ctx block padding " + std::to_string(size), api.ctx_set_block_padding(ctx, size));
  }
  int marker = 0;
  api.ctx_set_padding_arg(ctx, &marker);
  log += std::string("ctx padding arg kept: ") +
         (api.ctx_get_padding_arg(ctx) == &marker ? "yes" : "no") + "\n";
  api.ctx_set_padding_cb(ctx, nullptr);
  line("ctx padding callback null", 0);
  SSL* ssl = api.ssl_new(ctx);
  log += std::string("SSL_new copies the arg: ") +
         (api.get_padding_arg(ssl) == &marker ? "yes" : "no") + "\n";
  api.set_padding_arg(ssl, nullptr);
  log += std::string("ssl padding arg cleared: ") +
         (api.get_padding_arg(ssl) == nullptr ? "yes" : "no") + "\n";
  for (size_t size : {size_t{0}, size_t{1}, size_t{16385}}) {
    line("ssl block padding " + std::to_string(size), api.set_block_padding(ssl, size));
  }
  line("ssl padding callback null", api.set_padding_cb(ssl, nullptr));
  size_t added = 7, deleted = 7;
  line("changed async fds", api.get_changed_async_fds(ssl, nullptr, &added, nullptr, &deleted));
  log += "counts untouched: " + std::to_string(added) + " " + std::to_string(deleted) + "\n";
  line("has client custom ext", api.has_client_custom_ext(ctx, 1000));
  unsigned char out[32];
  line("early exporter before the handshake",
       api.export_early(ssl, out, sizeof out, "a", 1, nullptr, 0));
  // Named configuration sections.
  line("SSL_CTX_config unknown", api.ctx_config(ctx, "sslshim_unknown"));
  line("SSL_config unknown", api.ssl_config(ssl, "sslshim_unknown"));
  line("SSL_CTX_config good", api.ctx_config(ctx, "sslshim_good"));
  log += "after good: min " +
         std::to_string(api.ctx_ctrl(ctx, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr)) +
         " no_ticket " + std::to_string((api.ctx_get_options(ctx) & SSL_OP_NO_TICKET) != 0) + "\n";
  line("SSL_CTX_config bad", api.ctx_config(ctx, "sslshim_bad"));
  log += "after bad: min " +
         std::to_string(api.ctx_ctrl(ctx, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr)) + "\n";
  line("SSL_config good", api.ssl_config(ssl, "sslshim_good"));
  log += "ssl after good: min " +
         std::to_string(api.ssl_ctrl(ssl, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr)) + "\n";
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  // The early exporter after handshakes without early data, TLS 1.2 and 1.3.
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SSL_CTX* client_ctx = api.ctx_new(api.client_method());
    SSL* client = api.ssl_new(client_ctx);
    std::string early;
    const std::string result = HandshakeWithOpenSsl(api, client, version, [&](SSL* c, SSL* s) {
      early = Outcome(api.export_early(c, out, sizeof out, "a", 1, nullptr, 0)) + " / server " +
              Outcome(SSL_export_keying_material_early(s, out, sizeof out, "a", 1, nullptr, 0));
    });
    log += "early exporter after " + std::to_string(version) + " " + result + ": " + early + "\n";
    api.ssl_free(client);
    api.ctx_free(client_ctx);
  }
  return log;
}

TEST(ServedAnswers, AsOpenSsl) {
  LoadConfiguration();
  const std::string native = ServedScript(RealApi());
  ASSERT_NE(native.find("SSL_CTX_config unknown: 0 20:113"), std::string::npos) << native;
  ASSERT_NE(native.find("after good: min 772 no_ticket 1"), std::string::npos) << native;
  ASSERT_NE(native.find("early exporter after 772 done: 0 - / server 0 -"), std::string::npos)
      << native;
  EXPECT_EQ(ServedScript(ShimApi()), native);
}

// A client context of the shim's after `configure`: the outcome of its handshake with OpenSSL.
template <typename Configure>
std::string ShimHandshakeAfter(Configure configure) {
  const Api& api = ShimApi();
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  configure(api, ctx);
  ERR_clear_error();  // the setter's own answer; what follows is the handshake's
  SSL* ssl = api.ssl_new(ctx);
  const std::string result = HandshakeWithOpenSsl(api, ssl, TLS1_3_VERSION, [](SSL*, SSL*) {});
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return result;
}

size_t PadTo16(SSL*, int, size_t, void*) { return 16; }

// Record padding hides lengths: where it cannot be applied, the connection refuses to handshake.
TEST(RecordPadding, FailsClosedWhereNotApplied) {
  std::string set;
  const std::string padded = ShimHandshakeAfter(
      [&](const Api& api, SSL_CTX* ctx) { set = Outcome(api.ctx_set_block_padding(ctx, 16)); });
  if (OnOpenSslBackend()) {
    EXPECT_EQ(set, "1 -");
    EXPECT_EQ(padded, "done");
  } else {
    EXPECT_EQ(set, "0 20:" + std::to_string(ERR_GET_REASON(ERR_R_UNSUPPORTED)));
    EXPECT_NE(padded.find("error 1 20:" + std::to_string(SSL_R_SSL_HANDSHAKE_FAILURE)),
              std::string::npos)
        << padded;
  }
  const std::string with_callback = ShimHandshakeAfter(
      [](const Api& api, SSL_CTX* ctx) { api.ctx_set_padding_cb(ctx, PadTo16); });
  EXPECT_NE(with_callback.find("error 1 20:" + std::to_string(SSL_R_SSL_HANDSHAKE_FAILURE)),
            std::string::npos)
      << with_callback;
  EXPECT_NE(with_callback.find("record padding"), std::string::npos) << with_callback;
  // Asking for no padding is honoured, and the handshake goes on.
  EXPECT_EQ(ShimHandshakeAfter([](const Api& api, SSL_CTX* ctx) {
              api.ctx_set_block_padding(ctx, 1);
              api.ctx_set_padding_cb(ctx, nullptr);
            }),
            "done");
}

int UsePsk(SSL*, const EVP_MD*, const unsigned char**, size_t*, SSL_SESSION**) { return 1; }
int NotResumable(SSL*, int) { return 1; }

// Refused security settings: the setter fails with the reason, and the object refuses to handshake.
TEST(RefusedSecuritySettings, FailClosed) {
  using sslshim::side_by_side::Shim;
  auto psk = Shim("SSL_CTX_set_psk_use_session_callback", &SSL_CTX_set_psk_use_session_callback);
  auto not_resumable = Shim("SSL_CTX_set_not_resumable_session_callback",
                            &SSL_CTX_set_not_resumable_session_callback);
  ASSERT_NE(psk, nullptr);
  ASSERT_NE(not_resumable, nullptr);
  std::string reason;
  const std::string with_psk = ShimHandshakeAfter([&](const Api&, SSL_CTX* ctx) {
    psk(ctx, UsePsk);
    reason = ReasonAndData();
  });
  EXPECT_NE(reason.find("refused by design"), std::string::npos) << reason;
  EXPECT_NE(reason.find("TLS 1.3 external PSK"), std::string::npos) << reason;
  EXPECT_NE(with_psk.find("error 1 20:" + std::to_string(SSL_R_SSL_HANDSHAKE_FAILURE)),
            std::string::npos)
      << with_psk;
  const std::string with_callback = ShimHandshakeAfter(
      [not_resumable](const Api&, SSL_CTX* ctx) { not_resumable(ctx, NotResumable); });
  EXPECT_NE(with_callback.find("error 1 20:" + std::to_string(SSL_R_SSL_HANDSHAKE_FAILURE)),
            std::string::npos)
      << with_callback;
}

// Refused by design: each fails as OpenSSL fails a call it cannot do (0), with the reason queued.
TEST(RefusedByDesign, FailCleanlyWithTheReason) {
  using sslshim::side_by_side::Shim;
  const Api& api = ShimApi();
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  SSL* ssl = api.ssl_new(ctx);
  auto expect_refused = [](const char* name, long ret, const char* reason_part) {
    const std::string reason = ReasonAndData();
    EXPECT_EQ(ret, 0) << name;
    EXPECT_NE(reason.find("refused by design"), std::string::npos) << name << ": " << reason;
    EXPECT_NE(reason.find(reason_part), std::string::npos) << name << ": " << reason;
  };
  unsigned char ticket[2] = {1, 2};
  expect_refused("SSL_set_session_ticket_ext",
                 Shim("SSL_set_session_ticket_ext", &SSL_set_session_ticket_ext)(ssl, ticket, 2),
                 "EAP-FAST");
  expect_refused(
      "SSL_set_session_secret_cb",
      Shim("SSL_set_session_secret_cb", &SSL_set_session_secret_cb)(ssl, nullptr, nullptr),
      "EAP-FAST");
  expect_refused("SSL_CTX_add_custom_ext",
                 Shim("SSL_CTX_add_custom_ext", &SSL_CTX_add_custom_ext)(
                     ctx, 1000, SSL_EXT_CLIENT_HELLO, nullptr, nullptr, nullptr, nullptr, nullptr),
                 "custom extensions");
  expect_refused("SSL_CTX_set_tlsext_max_fragment_length",
                 Shim("SSL_CTX_set_tlsext_max_fragment_length",
                      &SSL_CTX_set_tlsext_max_fragment_length)(ctx, TLSEXT_max_fragment_length_512),
                 "max_fragment_length");
  expect_refused("SSL_CTX_use_serverinfo",
                 Shim("SSL_CTX_use_serverinfo", &SSL_CTX_use_serverinfo)(ctx, ticket, 2),
                 "serverinfo");
  expect_refused(
      "SSL_CTX_set_generate_session_id",
      Shim("SSL_CTX_set_generate_session_id", &SSL_CTX_set_generate_session_id)(ctx, nullptr),
      "session IDs");
  expect_refused("SSL_new_session_ticket",
                 Shim("SSL_new_session_ticket", &SSL_new_session_ticket)(ssl), "tickets");
  expect_refused(
      "SSL_CTX_set_client_cert_engine",
      Shim("SSL_CTX_set_client_cert_engine", &SSL_CTX_set_client_cert_engine)(ctx, nullptr),
      "ENGINE");
  // SSL_stateless: -1, since 0 would ask the program to call again.
  const int stateless = api.stateless(ssl);
  const std::string reason = ReasonAndData();
  EXPECT_EQ(stateless, -1);
  EXPECT_NE(reason.find("stateless"), std::string::npos) << reason;
  // None of these marks the objects: the handshake goes on.
  EXPECT_EQ(HandshakeWithOpenSsl(api, ssl, TLS1_3_VERSION, [](SSL*, SSL*) {}), "done");
  api.ssl_free(ssl);
  api.ctx_free(ctx);
}

// SSL_renegotiate_abbreviated answers as SSL_renegotiate does on the same connection.
TEST(RenegotiateAbbreviated, AnswersAsRenegotiate) {
  const Api& api = ShimApi();
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SSL_CTX* ctx = api.ctx_new(api.client_method());
    SSL* ssl = api.ssl_new(ctx);
    std::string full, abbreviated;
    HandshakeWithOpenSsl(api, ssl, version, [&](SSL* c, SSL*) {
      abbreviated = Outcome(api.renegotiate_abbreviated(c));
      full = Outcome(api.renegotiate(c));
    });
    EXPECT_FALSE(full.empty());
    EXPECT_EQ(abbreviated, full) << version;
    api.ssl_free(ssl);
    api.ctx_free(ctx);
  }
}

}  // namespace
