// A server's session cache answers through the shim as through OpenSSL 3: SSL_CTX_sess_number and
// the table SSL_CTX_sessions hands out hold the sessions of the handshakes the server cached (TLS
// 1.2; TLS 1.3 with stateful tickets; none with the cache off), the table's entries are the
// sessions of those connections and can be looked up in it, the same handles come back from one
// call to the next, and a flush empties it. Handshakes with a real OpenSSL client in this process,
// over a BIO pair.
#include <gtest/gtest.h>
#include <openssl/lhash.h>
#include <openssl/ssl.h>

#include <set>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                   \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)      \
  X(ctx_sessions, SSL_CTX_sessions)             \
  X(ctx_flush_sessions, SSL_CTX_flush_sessions) \
  X(get_session, SSL_get_session)               \
  X(session_get_id, SSL_SESSION_get_id)         \
  X(ctx_set_options, SSL_CTX_set_options)       \
  X(shutdown, SSL_shutdown)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::RunAgainstPeer;
using sslshim::side_by_side::ServerIdentity;

std::string IdOf(const Api& api, const SSL_SESSION* session) {
  unsigned int len = 0;
  const unsigned char* id = api.session_get_id(session, &len);
  return sslshim::side_by_side::Hex(id, len);
}

// OpenSSL 3's ssl.h declares the table's type but none of its typed lh_SSL_SESSION_* functions:
// the untyped ones, as a program calls them.
OPENSSL_LHASH* Untyped(LHASH_OF(SSL_SESSION) * table) {
  return reinterpret_cast<OPENSSL_LHASH*>(table);
}

std::vector<SSL_SESSION*> Entries(LHASH_OF(SSL_SESSION) * table) {
  std::vector<SSL_SESSION*> out;
  OPENSSL_LH_doall_arg(
      Untyped(table),
      [](void* s, void* arg) {
        static_cast<std::vector<SSL_SESSION*>*>(arg)->push_back(static_cast<SSL_SESSION*>(s));
      },
      &out);
  return out;
}

struct Setting {
  const char* name;
  int version;
  long cache_mode;
  uint64_t options;
  bool shut_down;  // each connection closed with close_notify before it is freed
};

std::string CacheScript(const Api& api, const Setting& setting) {
  const auto& identity = ServerIdentity();
  SSL_CTX* server_ctx = nullptr;
  std::set<std::string> connection_ids;
  std::string log;
  // Three handshakes on one server context, each with a new client.
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  api.ctx_use_certificate(ctx, identity.cert);
  api.ctx_use_key(ctx, identity.key);
  api.ctx_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, setting.cache_mode, nullptr);
  api.ctx_set_options(ctx, setting.options);
  api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, setting.version, nullptr);
  server_ctx = ctx;
  for (int i = 0; i < 3; i++) {
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(client_ctx, setting.version);
    SSL* server = api.ssl_new(server_ctx);
    SSL* client = SSL_new(client_ctx);
    sslshim::side_by_side::ConnectOverBioPair(api, server, client, false);
    const std::string result =
        sslshim::side_by_side::Handshake(sslshim::side_by_side::Side<Api>{&api, server},
                                         sslshim::side_by_side::Side<Api>{&RealApiOnce(), client});
    // TLS 1.3 tickets go out with the server's first write after the handshake; read them.
    char byte;
    SSL_read(client, &byte, 0);
    log += "handshake " + std::to_string(i) + ": " + result + "\n";
    if (SSL_SESSION* s = api.get_session(server)) connection_ids.insert(IdOf(api, s));
    if (setting.shut_down) {
      api.shutdown(server);
      SSL_shutdown(client);
    }
    api.ssl_free(server);
    SSL_free(client);
    SSL_CTX_free(client_ctx);
  }
  LHASH_OF(SSL_SESSION)* table = api.ctx_sessions(server_ctx);
  const std::vector<SSL_SESSION*> first = Entries(table);
  log += "sess_number " +
         std::to_string(api.ctx_ctrl(server_ctx, SSL_CTRL_SESS_NUMBER, 0, nullptr)) +
         ", table items " + std::to_string(OPENSSL_LH_num_items(Untyped(table))) + "\n";
  bool of_connections = true, found = true;
  for (SSL_SESSION* s : first) {
    of_connections = of_connections && connection_ids.count(IdOf(api, s)) == 1;
    found = found && OPENSSL_LH_retrieve(Untyped(table), s) == s;
  }
  log += std::string("entries are the connections' sessions: ") + (of_connections ? "yes" : "no") +
         ", each found by lookup: " + (found ? "yes" : "no") + "\n";
  const std::vector<SSL_SESSION*> second = Entries(api.ctx_sessions(server_ctx));
  log += std::string("the same handles again: ") +
         (std::set<SSL_SESSION*>(first.begin(), first.end()) ==
                  std::set<SSL_SESSION*>(second.begin(), second.end())
              ? "yes"
              : "no") +
         "\n";
  api.ctx_flush_sessions(server_ctx, 0);
  log += "after a flush: sess_number " +
         std::to_string(api.ctx_ctrl(server_ctx, SSL_CTRL_SESS_NUMBER, 0, nullptr)) +
         ", table items " +
         std::to_string(OPENSSL_LH_num_items(Untyped(api.ctx_sessions(server_ctx)))) + "\n";
  api.ctx_free(server_ctx);
  return log;
}

TEST(SessionCache, TableAndNumberAnswerAsOpenSsl) {
  const Setting settings[] = {
      {"TLS 1.2, no tickets", TLS1_2_VERSION, SSL_SESS_CACHE_SERVER, SSL_OP_NO_TICKET, true},
      {"TLS 1.2", TLS1_2_VERSION, SSL_SESS_CACHE_SERVER, 0, true},
      {"TLS 1.2, cache off", TLS1_2_VERSION, SSL_SESS_CACHE_OFF, SSL_OP_NO_TICKET, true},
      {"TLS 1.2, freed without shutdown", TLS1_2_VERSION, SSL_SESS_CACHE_SERVER, SSL_OP_NO_TICKET,
       false},
      {"TLS 1.3", TLS1_3_VERSION, SSL_SESS_CACHE_SERVER, 0, true},
  };
  for (const Setting& setting : settings) {
    SCOPED_TRACE(setting.name);
    const std::string native = CacheScript(RealApiOnce(), setting);
    ASSERT_NE(native.find("handshake 2: done / done"), std::string::npos) << native;
    EXPECT_EQ(CacheScript(ShimApi(), setting), native);
  }
  // The settings must tell cached from not cached natively.
  EXPECT_NE(CacheScript(RealApiOnce(), settings[0]).find("sess_number 3, table items 3"),
            std::string::npos);
}

}  // namespace
