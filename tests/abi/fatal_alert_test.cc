// A fatal alert from the peer after the handshake ends the read as OpenSSL 3's does: SSL_read
// answers 0 with SSL_ERROR_SSL and the alert's reason, once (ssl3_read_bytes), then -1. Found with
// ncat, which takes 0 as the end of the stream and -1 as an I/O error. The peer is the real
// libssl in this process, over a BIO pair; it sends the alert because the program's side puts a
// record it cannot decrypt on the wire.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)              \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X) \
  X(get_wbio, SSL_get_wbio)                \
  X(read, SSL_read)                        \
  X(peek, SSL_peek)                        \
  X(get_shutdown, SSL_get_shutdown)        \
  X(ctx_set_verify, SSL_CTX_set_verify)    \
  X(state_string, SSL_state_string)        \
  X(state_string_long, SSL_state_string_long)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Outcome;

std::string Script(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool client : {true, false}) {
      for (bool peek : {false, true}) {
        std::string out = sslshim::side_by_side::RunAgainstPeer(
            api, RealApiOnce(), client, version, identity.key, identity.cert,
            [](SSL_CTX*, SSL_CTX*) {}, {},
            [&](SSL* ssl, SSL* peer) {
              // An application-data record the peer cannot decrypt: it answers with a fatal
              // bad_record_mac alert.
              unsigned char record[5 + 32] = {0x17, 0x03, 0x03, 0x00, 0x20};
              for (size_t i = 5; i < sizeof record; i++) record[i] = static_cast<unsigned char>(i);
              BIO_write(api.get_wbio(ssl), record, sizeof record);
              char buf[64];
              SSL_read(peer, buf, sizeof buf);
              ERR_clear_error();
              std::string answers;
              for (int call = 0; call < 2; call++) {
                int ret = peek ? api.peek(ssl, buf, sizeof buf) : api.read(ssl, buf, sizeof buf);
                int err = api.get_error(ssl, ret);
                answers += (call != 0 ? "; " : "") + std::to_string(err) + " " + Outcome(ret) +
                           " shutdown=" + std::to_string(api.get_shutdown(ssl));
              }
              return answers;
            });
        log += std::to_string(version) + (client ? " client" : " server") +
               (peek ? " peek: " : " read: ") + out + "\n";
      }
    }
  }
  return log;
}

TEST(FatalAlert, ReadAnswersAsOpenSsl) {
  const std::string native = Script(RealApiOnce());
  // The script reaches the alert: OpenSSL's first read answers 0, SSL_ERROR_SSL, the alert.
  ASSERT_NE(native.find("772 client read: done / done 1 0 20:" +
                        std::to_string(SSL_R_SSLV3_ALERT_BAD_RECORD_MAC)),
            std::string::npos)
      << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

// After a failed handshake (the client cannot verify the server) and after the peer's alert,
// the state strings say "error" / "SSLERR", as OpenSSL's in its error state.
std::string StateScript(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    std::string out = sslshim::side_by_side::RunAgainstPeer(
        api, RealApiOnce(), true, version, identity.key, identity.cert,
        [&](SSL_CTX* ctx, SSL_CTX*) { api.ctx_set_verify(ctx, SSL_VERIFY_PEER, nullptr); }, {},
        [&](SSL* ssl, SSL*) {
          return std::string(api.state_string(ssl)) + " / " + api.state_string_long(ssl);
        });
    log += std::to_string(version) + ": " + out + "\n";
  }
  return log;
}

TEST(FatalAlert, StateStringsAfterAFailureAsOpenSsl) {
  const std::string native = StateScript(RealApiOnce());
  ASSERT_NE(native.find("SSLERR / error"), std::string::npos) << native;
  EXPECT_EQ(StateScript(ShimApi()), native);
}

}  // namespace
