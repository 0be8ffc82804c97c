// The program's security callback (SSL_CTX_set_security_callback, SSL_set_security_callback)
// decides, through the shim as through OpenSSL 3, which versions, suites, groups, signature
// algorithms and tickets a client uses against a real OpenSSL server (a BIO pair in this
// process): each case refuses one thing and the handshake shows it left out, or fails when
// nothing is left. The calls themselves differ in number and order between the libraries; what
// they decide is compared.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>
#include <set>
#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                 \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                    \
  X(version, SSL_version)                                     \
  X(read, SSL_read)                                           \
  X(get1_session, SSL_get1_session)                           \
  X(session_free, SSL_SESSION_free)                           \
  X(session_has_ticket, SSL_SESSION_has_ticket)               \
  X(cipher_name, SSL_CIPHER_get_name)                         \
  X(ctx_set_security_callback, SSL_CTX_set_security_callback) \
  X(set_security_callback, SSL_set_security_callback)         \
  X(ctx_get_security_callback, SSL_CTX_get_security_callback) \
  X(get_security_callback, SSL_get_security_callback)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

// What the callback refuses in the running case, and the kinds of check it was asked about.
struct Policy {
  enum Refuse { kNothing, kTls13, kX25519, kSuite, kP256Signature, kTickets, kEveryVersion };
  Refuse refuse = kNothing;
  const char* suite = "";
  const Api* api = nullptr;
  std::set<int> asked;
};
Policy policy;

int Callback(const SSL*, const SSL_CTX*, int op, int, int nid, void* other, void*) {
  const int check = op & ~SSL_SECOP_PEER;
  policy.asked.insert(check);
  switch (policy.refuse) {
    case Policy::kNothing:
      return 1;
    case Policy::kTls13:
      return !(check == SSL_SECOP_VERSION && nid == TLS1_3_VERSION);
    case Policy::kEveryVersion:
      return check != SSL_SECOP_VERSION;
    case Policy::kX25519:
      return !((check & SSL_SECOP_OTHER_TYPE) == SSL_SECOP_OTHER_CURVE && nid == NID_X25519);
    case Policy::kSuite:
      return !((check & SSL_SECOP_OTHER_TYPE) == SSL_SECOP_OTHER_CIPHER &&
               std::strcmp(policy.api->cipher_name(static_cast<const SSL_CIPHER*>(other)),
                           policy.suite) == 0);
    case Policy::kP256Signature: {
      const auto* code = static_cast<const unsigned char*>(other);
      return !((check & SSL_SECOP_OTHER_TYPE) == SSL_SECOP_OTHER_SIGALG && code[0] == 0x04 &&
               code[1] == 0x03);
    }
    case Policy::kTickets:
      return check != SSL_SECOP_TICKET;
  }
  return 1;
}

std::string Script(const Api& api, bool on_connection) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  policy.api = &api;
  std::string log;
  struct Case {
    const char* name;
    Policy::Refuse refuse;
    int version;
  };
  for (const Case& c : {Case{"nothing", Policy::kNothing, TLS1_3_VERSION},
                        Case{"TLS 1.3", Policy::kTls13, TLS1_3_VERSION},
                        Case{"X25519", Policy::kX25519, TLS1_3_VERSION},
                        Case{"the server's suite", Policy::kSuite, TLS1_2_VERSION},
                        Case{"ecdsa_secp256r1_sha256, 1.2", Policy::kP256Signature, TLS1_2_VERSION},
                        Case{"ecdsa_secp256r1_sha256, 1.3", Policy::kP256Signature, TLS1_3_VERSION},
                        Case{"tickets", Policy::kTickets, TLS1_2_VERSION},
                        Case{"every version", Policy::kEveryVersion, TLS1_3_VERSION}}) {
    policy.refuse = c.refuse;
    // The server's first TLS 1.2 suite: refused, the server takes its second.
    policy.suite = "ECDHE-ECDSA-AES128-GCM-SHA256";
    std::string callbacks;
    std::string out = sslshim::side_by_side::RunAgainstPeer(
        api, RealApiOnce(), true, c.version, identity.key, identity.cert,
        [&](SSL_CTX* ctx, SSL_CTX* server) {
          SSL_CTX_set_cipher_list(server,
                                  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384");
          SSL_CTX_set_ciphersuites(server, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384");
          // The server's order decides, not the libraries' different defaults.
          SSL_CTX_set_options(server, SSL_OP_CIPHER_SERVER_PREFERENCE);
          if (!on_connection) api.ctx_set_security_callback(ctx, Callback);
          callbacks = api.ctx_get_security_callback(ctx) == Callback ? "ctx ours" : "ctx default";
        },
        [&](SSL* ssl) {
          if (on_connection) api.set_security_callback(ssl, Callback);
          callbacks += api.get_security_callback(ssl) == Callback ? ", ssl ours" : ", ssl default";
        },
        [&](SSL* ssl, SSL* peer) {
          if (!SSL_is_init_finished(peer)) return std::string("no connection");
          const SSL_CIPHER* cipher = SSL_get_current_cipher(peer);
          std::string ticket = "-";
          if (c.refuse == Policy::kTickets || c.refuse == Policy::kNothing) {
            SSL_SESSION* session = api.get1_session(ssl);
            ticket = std::to_string(session != nullptr && api.session_has_ticket(session));
            if (session != nullptr) api.session_free(session);
          }
          return "version " + std::to_string(api.version(ssl)) + ", group " +
                 std::to_string(SSL_get_negotiated_group(peer)) + ", suite " +
                 (cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "(none)") + ", ticket " +
                 ticket;
        });
    log += std::string("refusing ") + c.name + " (" + callbacks + "): " + out + "\n";
  }
  return log;
}

TEST(SecurityCallback, DecidesAsOpenSsl) {
  for (bool on_connection : {false, true}) {
    const std::string native = Script(RealApiOnce(), on_connection);
    ASSERT_NE(native.find("refusing TLS 1.3 (ctx"), std::string::npos) << native;
    ASSERT_NE(native.find("version 771, group"), std::string::npos) << native;
    policy.asked.clear();
    EXPECT_EQ(Script(ShimApi(), on_connection), native) << "on the connection: " << on_connection;
    // The shim asked about every kind of thing it left out.
    for (int check : {SSL_SECOP_VERSION, SSL_SECOP_CIPHER_SUPPORTED, SSL_SECOP_CURVE_SUPPORTED,
                      SSL_SECOP_SIGALG_SUPPORTED, SSL_SECOP_TICKET}) {
      EXPECT_EQ(policy.asked.count(check), 1u) << "never asked about check " << check;
    }
  }
}

}  // namespace
