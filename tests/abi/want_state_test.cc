// SSL_want answers what OpenSSL 3's rwstate says: what the last call that reached the transport
// stopped on. A call refused before it reaches the transport (a negative length, say) leaves the
// earlier wait in place, though its own SSL_get_error is SSL_ERROR_SSL; a call that does reach it
// clears or replaces the wait. Programs test SSL_want_read / SSL_want_write after a failure to
// choose what to poll for. The program's side is the shim or the real libssl, against a real
// OpenSSL peer over a BIO pair, after the handshake, in both roles and both versions.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)              \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X) \
  X(read, SSL_read)                        \
  X(peek, SSL_peek)                        \
  X(write, SSL_write)                      \
  X(want, SSL_want)                        \
  X(shutdown, SSL_shutdown)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Outcome;

// "name: ret err want lib:reason" for one call, the queue emptied.
std::string Step(const Api& api, SSL* ssl, const char* name, int ret) {
  const int err = api.get_error(ssl, ret);
  return std::string(name) + ": " + std::to_string(ret) + " err=" + std::to_string(err) +
         " want=" + std::to_string(api.want(ssl)) + " " + Outcome(ret) + "\n";
}

// Empties what the program sent into the peer, so the program's next write finds room.
void DrainPeer(SSL* peer) {
  std::vector<char> sink(1 << 16);
  while (SSL_read(peer, sink.data(), static_cast<int>(sink.size())) > 0) {
  }
  ERR_clear_error();
}

std::string Script(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool client : {true, false}) {
      std::string out = sslshim::side_by_side::RunAgainstPeer(
          api, RealApiOnce(), client, version, identity.key, identity.cert,
          [](SSL_CTX*, SSL_CTX*) {}, {},
          [&](SSL* ssl, SSL* peer) {
            std::vector<char> buf(16384, 'w');
            char in[64];
            std::string steps = "\n";
            // A TLS 1.3 client first reads the server's tickets: empty the wire of them.
            steps += Step(api, ssl, "read, nothing yet", api.read(ssl, in, sizeof in));
            steps += Step(api, ssl, "read, nothing yet", api.read(ssl, in, sizeof in));
            steps += Step(api, ssl, "write, negative length", api.write(ssl, buf.data(), -1));
            steps += Step(api, ssl, "write 100", api.write(ssl, buf.data(), 100));
            steps += Step(api, ssl, "write, negative length", api.write(ssl, buf.data(), -1));
            int ret = 1;
            for (int i = 0; i < 8 && ret > 0; i++) {  // fills the pair's 17 KiB
              ret = api.write(ssl, buf.data(), static_cast<int>(buf.size()));
            }
            steps += Step(api, ssl, "write until full", ret);
            steps += Step(api, ssl, "read, nothing sent", api.read(ssl, in, sizeof in));
            steps += Step(api, ssl, "write, negative length", api.write(ssl, buf.data(), -1));
            DrainPeer(peer);
            SSL_write(peer, "0123456789", 10);
            steps += Step(api, ssl, "write retried",
                          api.write(ssl, buf.data(), static_cast<int>(buf.size())));
            steps += Step(api, ssl, "peek", api.peek(ssl, in, 4));
            steps += Step(api, ssl, "read", api.read(ssl, in, sizeof in));
            steps += Step(api, ssl, "read, nothing more", api.read(ssl, in, sizeof in));
            DrainPeer(peer);
            steps += Step(api, ssl, "shutdown", api.shutdown(ssl));
            steps += Step(api, ssl, "write after shutdown", api.write(ssl, buf.data(), 100));
            return steps;
          });
      log += std::to_string(version) + (client ? " client " : " server ") + out;
    }
  }
  return log;
}

TEST(WantState, AnswersAsOpenSsl) {
  const std::string native = Script(RealApiOnce());
  // The script reaches both waits in OpenSSL, and a refused call keeps the wait before it.
  ASSERT_NE(native.find("write until full: -1 err=3 want=2"), std::string::npos) << native;
  ASSERT_NE(native.find("read, nothing sent: -1 err=2 want=3"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

// The same during the handshake: before it, while it waits for the peer, and after a call refused
// meanwhile. (Not after a failed handshake: OpenSSL 3 leaves rwstate SSL_READING after any failure
// to read a handshake message, the record layer's protocol errors included (statem_lib.c,
// tls_get_message_header), but not after one to process it; the shim says SSL_NOTHING after both.)
std::string HandshakeScript(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool client : {true, false}) {
      std::string fresh;
      const std::string calls = sslshim::side_by_side::WithPeer(
          api, client, version, identity.key, identity.cert, {},
          [&](SSL* ssl) { fresh = "fresh: want=" + std::to_string(api.want(ssl)) + "\n"; },
          [&](SSL* ssl, SSL* peer) {
            char buf[16] = {};
            std::string steps =
                Step(api, ssl, "handshake, nothing from the peer", api.do_handshake(ssl));
            steps += Step(api, ssl, "write, negative length", api.write(ssl, buf, -1));
            steps += Step(api, ssl, "read, negative length", api.read(ssl, buf, -1));
            // The peer's first flight (a server answers the program's ClientHello).
            SSL_do_handshake(peer);
            ERR_clear_error();
            steps += Step(api, ssl, "handshake, the peer's flight", api.do_handshake(ssl));
            steps += Step(api, ssl, "write, negative length", api.write(ssl, buf, -1));
            return steps;
          });
      log += std::to_string(version) + (client ? " client\n" : " server\n") + fresh + calls;
    }
  }
  return log;
}

TEST(WantState, DuringTheHandshakeAnswersAsOpenSsl) {
  const std::string native = HandshakeScript(RealApiOnce());
  ASSERT_NE(native.find("handshake, nothing from the peer: -1 err=2 want=3"), std::string::npos)
      << native;
  EXPECT_EQ(HandshakeScript(ShimApi()), native);
}

}  // namespace
