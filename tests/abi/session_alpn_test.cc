// A session's ALPN protocol answers through the shim as through OpenSSL 3: the session of a
// handshake that selected one holds it (client and server, TLS 1.2 and 1.3), SSL_SESSION_dup
// and the session's encoding keep it, SSL_SESSION_set1_alpn_selected replaces or clears it, and a
// session the program builds with SSL_SESSION_new holds what it set. Handshakes with a real OpenSSL
// peer in this process, over a BIO pair.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                   \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                      \
  X(ctx_set_alpn_protos, SSL_CTX_set_alpn_protos)               \
  X(ctx_set_alpn_select_cb, SSL_CTX_set_alpn_select_cb)         \
  X(get_session, SSL_get_session)                               \
  X(session_new, SSL_SESSION_new)                               \
  X(session_dup, SSL_SESSION_dup)                               \
  X(session_free, SSL_SESSION_free)                             \
  X(session_get0_alpn_selected, SSL_SESSION_get0_alpn_selected) \
  X(session_set1_alpn_selected, SSL_SESSION_set1_alpn_selected) \
  X(i2d_session, i2d_SSL_SESSION)                               \
  X(d2i_session, d2i_SSL_SESSION)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::RunAgainstPeer;
using sslshim::side_by_side::ServerIdentity;

// ALPN lists in wire format: the client offers two, the server prefers the second.
constexpr unsigned char kClientProtocols[] = "\x02h2\x08http/1.1";
constexpr unsigned char kServerProtocols[] = "\x08http/1.1";

int SelectFromServerList(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_len,
                         const unsigned char* in, unsigned int in_len, void* /*arg*/) {
  return SSL_select_next_proto(const_cast<unsigned char**>(out), out_len, kServerProtocols,
                               sizeof kServerProtocols - 1, in, in_len) == OPENSSL_NPN_NEGOTIATED
             ? SSL_TLSEXT_ERR_OK
             : SSL_TLSEXT_ERR_NOACK;
}

std::string AlpnOf(const Api& api, const SSL_SESSION* session) {
  const unsigned char* alpn = reinterpret_cast<const unsigned char*>("x");
  size_t len = 99;
  api.session_get0_alpn_selected(session, &alpn, &len);
  if (alpn == nullptr) return "NULL/" + std::to_string(len);
  return "\"" + std::string(reinterpret_cast<const char*>(alpn), len) + "\"";
}

// The session of a handshake, its copy, and the same after set1 with another protocol and with
// none.
std::string HandshakeScript(const Api& api, bool program_is_client, int version, bool offer) {
  const auto& identity = ServerIdentity();
  return RunAgainstPeer(
      api, RealApiOnce(), program_is_client, version, identity.key, identity.cert,
      [&](SSL_CTX* ctx, SSL_CTX* peer_ctx) {
        SSL_CTX* client_ctx = program_is_client ? ctx : peer_ctx;
        SSL_CTX* server_ctx = program_is_client ? peer_ctx : ctx;
        if (offer) {
          if (program_is_client) {
            api.ctx_set_alpn_protos(client_ctx, kClientProtocols, sizeof kClientProtocols - 1);
          } else {
            SSL_CTX_set_alpn_protos(client_ctx, kClientProtocols, sizeof kClientProtocols - 1);
          }
        }
        if (program_is_client) {
          SSL_CTX_set_alpn_select_cb(server_ctx, SelectFromServerList, nullptr);
        } else {
          api.ctx_set_alpn_select_cb(server_ctx, SelectFromServerList, nullptr);
        }
      },
      nullptr,
      [&](SSL* ssl, SSL* /*peer*/) {
        SSL_SESSION* session = api.get_session(ssl);
        if (session == nullptr) return std::string("no session");
        std::string log = "session " + AlpnOf(api, session);
        SSL_SESSION* copy = api.session_dup(session);
        log += ", its copy " + AlpnOf(api, copy);
        static const unsigned char kOther[] = "spdy/3";
        // One call per statement: the operands of a + chain are evaluated in no fixed order.
        const int replaced = api.session_set1_alpn_selected(copy, kOther, 6);
        log += ", set1 " + std::to_string(replaced) + " " + AlpnOf(api, copy);
        const int cleared = api.session_set1_alpn_selected(copy, nullptr, 0);
        log += ", set1 NULL " + std::to_string(cleared) + " " + AlpnOf(api, copy);
        log += ", session still " + AlpnOf(api, session);
        std::vector<unsigned char> encoded(std::max(api.i2d_session(session, nullptr), 0));
        unsigned char* end = encoded.data();
        const int encoded_len = encoded.empty() ? 0 : api.i2d_session(session, &end);
        const unsigned char* read = encoded.data();
        SSL_SESSION* parsed =
            encoded_len > 0 ? api.d2i_session(nullptr, &read, encoded_len) : nullptr;
        log += "; read back from its encoding " +
               (parsed != nullptr ? AlpnOf(api, parsed) : std::string("(none)"));
        api.session_free(parsed);
        api.session_free(copy);
        return log;
      });
}

TEST(SessionAlpn, HandshakeSessionsAnswerAsOpenSsl) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool program_is_client : {true, false}) {
      for (bool offer : {true, false}) {
        SCOPED_TRACE(std::string(version == TLS1_3_VERSION ? "TLS 1.3" : "TLS 1.2") +
                     (program_is_client ? ", program client" : ", program server") +
                     (offer ? ", ALPN offered" : ", none offered"));
        const std::string native =
            HandshakeScript(RealApiOnce(), program_is_client, version, offer);
        ASSERT_EQ(native.rfind("done / done", 0), 0u) << native;
        EXPECT_EQ(HandshakeScript(ShimApi(), program_is_client, version, offer), native);
      }
    }
  }
  // The script must tell a selected protocol from none natively.
  EXPECT_NE(HandshakeScript(RealApiOnce(), true, TLS1_2_VERSION, true).find("session \"http/1.1\""),
            std::string::npos);
}

std::string BuiltSessionScript(const Api& api) {
  SSL_SESSION* session = api.session_new();
  std::string log = "new " + AlpnOf(api, session);
  static const unsigned char kProtocol[] = "h2";
  const int set = api.session_set1_alpn_selected(session, kProtocol, 2);
  log += ", set1 " + std::to_string(set) + " " + AlpnOf(api, session);
  const int cleared = api.session_set1_alpn_selected(session, kProtocol, 0);
  log += ", set1 0 bytes " + std::to_string(cleared) + " " + AlpnOf(api, session);
  api.session_free(session);
  return log;
}

TEST(SessionAlpn, BuiltSessionAnswersAsOpenSsl) {
  EXPECT_EQ(BuiltSessionScript(ShimApi()), BuiltSessionScript(RealApiOnce()));
}

}  // namespace
