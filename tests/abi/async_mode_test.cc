// SSL_MODE_ASYNC answers through the shim as through OpenSSL 3 with no engine that pauses a job:
// the callbacks are taken, no job is ever waiting, and the wait context the first I/O call makes
// under the mode (and only then) has no descriptors and the status ASYNC_STATUS_UNSUPPORTED. In a
// handshake with a real OpenSSL server in this process, over a BIO pair, then a write and a read.
#include <gtest/gtest.h>
#include <openssl/async.h>
#include <openssl/ssl.h>

#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                   \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                      \
  X(ctx_set_async_callback, SSL_CTX_set_async_callback)         \
  X(ctx_set_async_callback_arg, SSL_CTX_set_async_callback_arg) \
  X(set_async_callback, SSL_set_async_callback)                 \
  X(set_async_callback_arg, SSL_set_async_callback_arg)         \
  X(waiting_for_async, SSL_waiting_for_async)                   \
  X(get_all_async_fds, SSL_get_all_async_fds)                   \
  X(get_changed_async_fds, SSL_get_changed_async_fds)           \
  X(get_async_status, SSL_get_async_status)                     \
  X(ssl_ctrl, SSL_ctrl)                                         \
  X(write, SSL_write)                                           \
  X(read, SSL_read)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Outcome;
using sslshim::side_by_side::RunAgainstPeer;
using sslshim::side_by_side::ServerIdentity;

int AsyncCallback(SSL*, void*) { return 1; }

// What the async calls say about `ssl` now.
std::string AsyncState(const Api& api, SSL* ssl) {
  size_t fds = 99, added = 99, deleted = 99;
  int status = 99;
  // Each call before its counts are read.
  std::string out = "waiting " + Outcome(api.waiting_for_async(ssl));
  const std::string all = Outcome(api.get_all_async_fds(ssl, nullptr, &fds));
  out += ", all fds " + all + " n" + std::to_string(fds);
  const std::string changed =
      Outcome(api.get_changed_async_fds(ssl, nullptr, &added, nullptr, &deleted));
  out += ", changed " + changed + " n" + std::to_string(added) + "/" + std::to_string(deleted);
  const std::string got_status = Outcome(api.get_async_status(ssl, &status));
  out += ", status " + got_status + " s" + std::to_string(status);
  return out;
}

std::string AsyncScript(const Api& api, bool async_mode, int version) {
  const auto& identity = ServerIdentity();
  std::string before;
  auto configure = [&](SSL_CTX* ctx, SSL_CTX*) {
    before += "ctx callback " + Outcome(api.ctx_set_async_callback(ctx, AsyncCallback));
    static int arg = 0;
    before += ", arg " + Outcome(api.ctx_set_async_callback_arg(ctx, &arg));
    if (async_mode) api.ctx_ctrl(ctx, SSL_CTRL_MODE, SSL_MODE_ASYNC, nullptr);
  };
  auto configure_ssl = [&](SSL* ssl) {
    before += ", ssl callback " + Outcome(api.set_async_callback(ssl, AsyncCallback));
    before += ", arg " + Outcome(api.set_async_callback_arg(ssl, nullptr));
    before += "\nbefore the handshake: " + AsyncState(api, ssl);
  };
  auto after = [&](SSL* ssl, SSL* peer) {
    std::string out = "\nafter the handshake: " + AsyncState(api, ssl);
    out += "\nwrite " + Outcome(api.write(ssl, "ping", 4));
    char buf[8];
    out += ", peer read " + std::to_string(SSL_read(peer, buf, sizeof buf));
    SSL_write(peer, "pong", 4);
    out += ", read " + Outcome(api.read(ssl, buf, sizeof buf));
    out += "\nafter I/O: " + AsyncState(api, ssl);
    return out;
  };
  std::string run = RunAgainstPeer(api, RealApiOnce(), true, version, identity.key, identity.cert,
                                   configure, configure_ssl, after);
  return before + "\n" + run;
}

TEST(AsyncMode, AnswersAsOpenSslWithNoPausingEngine) {
  for (bool async_mode : {false, true}) {
    for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
      SCOPED_TRACE(std::string(async_mode ? "SSL_MODE_ASYNC" : "no async mode") +
                   (version == TLS1_3_VERSION ? ", TLS 1.3" : ", TLS 1.2"));
      const std::string native = AsyncScript(RealApiOnce(), async_mode, version);
      // The script must reach the handshake's end and see the wait context natively.
      ASSERT_NE(native.find("done / done"), std::string::npos) << native;
      if (async_mode) {
        ASSERT_NE(native.find("after the handshake: waiting 0 -, all fds 1 - n0"),
                  std::string::npos)
            << native;
      }
      EXPECT_EQ(AsyncScript(ShimApi(), async_mode, version), native);
    }
  }
}

}  // namespace
