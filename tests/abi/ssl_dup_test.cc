// SSL_dup and SSL_has_matching_session_id answer through the shim as through OpenSSL 3: the same
// script runs on the real libssl and on the stand-in in this process, against a real OpenSSL peer
// over a BIO pair. SSL_dup copies a connection not yet started (settings read back, then the copy
// handshakes and resumes with them) and hands back the same connection once its handshake has
// begun; SSL_has_matching_session_id finds a server's session in its context's cache by ID and
// negotiated version.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                   \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                      \
  X(ctx_set_options, SSL_CTX_set_options)                       \
  X(ctx_set_session_id_context, SSL_CTX_set_session_id_context) \
  X(ctrl, SSL_ctrl)                                             \
  X(set_options, SSL_set_options)                               \
  X(get_options, SSL_get_options)                               \
  X(set_verify, SSL_set_verify)                                 \
  X(get_verify_mode, SSL_get_verify_mode)                       \
  X(get_verify_callback, SSL_get_verify_callback)               \
  X(set_verify_depth, SSL_set_verify_depth)                     \
  X(get_verify_depth, SSL_get_verify_depth)                     \
  X(set_info_callback, SSL_set_info_callback)                   \
  X(get_info_callback, SSL_get_info_callback)                   \
  X(set_msg_callback, SSL_set_msg_callback)                     \
  X(set_read_ahead, SSL_set_read_ahead)                         \
  X(get_read_ahead, SSL_get_read_ahead)                         \
  X(set_ex_data, SSL_set_ex_data)                               \
  X(get_ex_data, SSL_get_ex_data)                               \
  X(set_cipher_list, SSL_set_cipher_list)                       \
  X(get_cipher_list, SSL_get_cipher_list)                       \
  X(set_security_level, SSL_set_security_level)                 \
  X(get_security_level, SSL_get_security_level)                 \
  X(set_security_callback, SSL_set_security_callback)           \
  X(get_security_callback, SSL_get_security_callback)           \
  X(set_passwd_userdata, SSL_set_default_passwd_cb_userdata)    \
  X(get_passwd_userdata, SSL_get_default_passwd_cb_userdata)    \
  X(set1_host, SSL_set1_host)                                   \
  X(get0_param, SSL_get0_param)                                 \
  X(set0_ca_list, SSL_set0_CA_list)                             \
  X(get0_ca_list, SSL_get0_CA_list)                             \
  X(set_session_id_context, SSL_set_session_id_context)         \
  X(get_ssl_ctx, SSL_get_SSL_CTX)                               \
  X(is_server, SSL_is_server)                                   \
  X(get_session, SSL_get_session)                               \
  X(get1_session, SSL_get1_session)                             \
  X(set_session, SSL_set_session)                               \
  X(session_reused, SSL_session_reused)                         \
  X(session_free, SSL_SESSION_free)                             \
  X(session_get_id, SSL_SESSION_get_id)                         \
  X(version, SSL_version)                                       \
  X(dup, SSL_dup)                                               \
  X(has_matching_session_id, SSL_has_matching_session_id)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

int verify_calls = 0;
int info_calls = 0;
int msg_calls = 0;

int AcceptAnyCertificate(int, X509_STORE_CTX*) {
  verify_calls++;
  return 1;
}
void CountInfo(const SSL*, int, int) { info_calls++; }
void CountMessages(int, int, int, const void*, size_t, SSL*, void*) { msg_calls++; }

int ExIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Handshakes the program's `ssl` (a client) with a new connection of the real `peer_ctx`.
std::string HandshakeWithPeer(const Api& api, SSL* ssl, SSL_CTX* peer_ctx) {
  SSL* peer = SSL_new(peer_ctx);
  BIO *program_bio = nullptr, *peer_bio = nullptr;
  BIO_new_bio_pair(&program_bio, 0, &peer_bio, 0);
  api.set_bio(ssl, program_bio, program_bio);
  SSL_set_bio(peer, peer_bio, peer_bio);
  SSL_set_accept_state(peer);
  std::string out =
      sslshim::side_by_side::Handshake(sslshim::side_by_side::Side<Api>{&api, ssl},
                                       sslshim::side_by_side::Side<Api>{&RealApiOnce(), peer});
  // Shut down, so the peer keeps the session in its cache for the next connection.
  SSL_shutdown(peer);
  SSL_free(peer);
  return out;
}

// The settings SSL_dup copies, as the getters read them (the cipher list in full).
// A security callback that allows what the level allows: the copy must keep it.
int SecurityAsLevelOne(const SSL*, const SSL_CTX*, int op, int bits, int, void*, void*) {
  return op == SSL_SECOP_TICKET || bits >= 80 || (op & SSL_SECOP_OTHER_TYPE) == 0;
}

std::string Settings(const Api& api, SSL* ssl) {
  std::string out =
      "options " + std::to_string(api.get_options(ssl) & SSL_OP_NO_TICKET) + ", mode " +
      std::to_string(api.ctrl(ssl, SSL_CTRL_MODE, 0, nullptr)) + ", versions " +
      std::to_string(api.ctrl(ssl, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr)) + "-" +
      std::to_string(api.ctrl(ssl, SSL_CTRL_GET_MAX_PROTO_VERSION, 0, nullptr)) + ", verify " +
      std::to_string(api.get_verify_mode(ssl)) +
      (api.get_verify_callback(ssl) == AcceptAnyCertificate ? " cb" : " no cb") + " depth " +
      std::to_string(api.get_verify_depth(ssl)) + ", info " +
      (api.get_info_callback(ssl) == CountInfo ? "cb" : "none") + ", read ahead " +
      std::to_string(api.get_read_ahead(ssl)) + ", max cert list " +
      std::to_string(api.ctrl(ssl, SSL_CTRL_GET_MAX_CERT_LIST, 0, nullptr)) + ", ex_data " +
      (api.get_ex_data(ssl, ExIndex()) != nullptr
           ? static_cast<const char*>(api.get_ex_data(ssl, ExIndex()))
           : "none") +
      ", security level " + std::to_string(api.get_security_level(ssl)) +
      (api.get_security_callback(ssl) == SecurityAsLevelOne ? " cb" : " default cb") +
      ", passwd userdata " +
      (api.get_passwd_userdata(ssl) != nullptr
           ? static_cast<const char*>(api.get_passwd_userdata(ssl))
           : "none");
  const char* host = X509_VERIFY_PARAM_get0_host(api.get0_param(ssl), 0);
  out += std::string(", host ") + (host != nullptr ? host : "none");
  const STACK_OF(X509_NAME)* names = api.get0_ca_list(ssl);
  out += ", CA list " + std::to_string(sk_X509_NAME_num(names));
  if (sk_X509_NAME_num(names) > 0) {
    char name[128];
    X509_NAME_oneline(sk_X509_NAME_value(names, 0), name, sizeof name);
    out += std::string(" ") + name;
  }
  out += ", ciphers";
  // TLS 1.2 suites only: the BoringSSL backend keeps its own order of the TLS 1.3 ones.
  for (int i = 0; const char* cipher = api.get_cipher_list(ssl, i); i++) {
    if (std::strncmp(cipher, "TLS_", 4) != 0) out += " " + std::string(cipher);
  }
  out += ", server " + std::to_string(api.is_server(ssl));
  return out;
}

std::string DupScript(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  SSL_CTX* peer_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(peer_ctx, identity.cert);
  SSL_CTX_use_PrivateKey(peer_ctx, identity.key);
  SSL_CTX_set_options(peer_ctx, SSL_OP_NO_TICKET);
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  std::string log;
  verify_calls = info_calls = msg_calls = 0;

  SSL* ssl = api.ssl_new(ctx);
  api.set_options(ssl, SSL_OP_NO_TICKET);
  api.ctrl(ssl, SSL_CTRL_MODE, SSL_MODE_RELEASE_BUFFERS, nullptr);
  api.ctrl(ssl, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, nullptr);
  api.ctrl(ssl, SSL_CTRL_SET_MAX_PROTO_VERSION, TLS1_2_VERSION, nullptr);
  api.set_verify(ssl, SSL_VERIFY_PEER, AcceptAnyCertificate);
  api.set_verify_depth(ssl, 3);
  api.set_info_callback(ssl, CountInfo);
  api.set_msg_callback(ssl, CountMessages);
  api.set_read_ahead(ssl, 1);
  api.ctrl(ssl, SSL_CTRL_SET_MAX_CERT_LIST, 50000, nullptr);
  static char ex_value[] = "kept";
  api.set_ex_data(ssl, ExIndex(), ex_value);
  api.set_cipher_list(ssl, "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256");
  api.set_security_level(ssl, 1);
  api.set_security_callback(ssl, SecurityAsLevelOne);
  static char userdata[] = "password data";
  api.set_passwd_userdata(ssl, userdata);
  api.set1_host(ssl, "side-by-side.test");
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(identity.cert)));
  api.set0_ca_list(ssl, names);
  api.set_connect_state(ssl);
  log += "original: " + Settings(api, ssl) + "\n";

  SSL* copy = api.dup(ssl);
  log += std::string("dup before the handshake: ") +
         (copy == nullptr ? "none"
          : copy == ssl   ? "same"
                          : "new") +
         (copy != nullptr && api.get_ssl_ctx(copy) == ctx ? ", same context" : ", other context") +
         "\n";
  if (copy != nullptr && copy != ssl) {
    log += "copy: " + Settings(api, copy) + "\n";
    const std::string handshake = HandshakeWithPeer(api, copy, peer_ctx);
    log += "copy handshakes: " + handshake +
           (verify_calls > 0 ? ", verify cb called" : ", verify cb not called") +
           (info_calls > 0 ? ", info cb called" : ", info cb not called") +
           (msg_calls > 0 ? ", msg cb called" : ", msg cb not called") + ", version " +
           std::to_string(api.version(copy)) + "\n";
    SSL* again = api.dup(copy);
    log += std::string("dup after the handshake: ") + (again == copy ? "same" : "other") + "\n";
    if (again != nullptr) api.ssl_free(again);

    // A session set before SSL_dup goes with the copy, which resumes it.
    SSL_SESSION* session = api.get1_session(copy);
    SSL* next = api.ssl_new(ctx);
    api.set_connect_state(next);
    api.ctrl(next, SSL_CTRL_SET_MAX_PROTO_VERSION, TLS1_2_VERSION, nullptr);
    api.set_session(next, session);
    SSL* next_copy = api.dup(next);
    const bool shared =
        next_copy != nullptr && next_copy != next && api.get_session(next_copy) == session;
    const long max_version = api.ctrl(next_copy, SSL_CTRL_GET_MAX_PROTO_VERSION, 0, nullptr);
    const std::string resumed = HandshakeWithPeer(api, next_copy, peer_ctx);
    log += std::string("copy with a session: ") + (shared ? "shares it" : "does not share it") +
           ", versions " + std::to_string(max_version) + ", handshake " + resumed + ", reused " +
           std::to_string(api.session_reused(next_copy)) + "\n";
    api.ssl_free(next_copy);
    api.ssl_free(next);
    api.session_free(session);
    api.ssl_free(copy);
  }
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  SSL_CTX_free(peer_ctx);
  ERR_clear_error();
  return log;
}

TEST(SslDup, CopiesAConnectionNotStartedAsOpenSsl) {
  const std::string native = DupScript(RealApiOnce());
  ASSERT_NE(native.find("dup before the handshake: new, same context"), std::string::npos)
      << native;
  ASSERT_NE(native.find("dup after the handshake: same"), std::string::npos) << native;
  ASSERT_NE(native.find("copy with a session: shares it, versions 771, handshake done / done, "
                        "reused 1"),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("verify cb called, info cb called, msg cb called, version 771"),
            std::string::npos)
      << native;
  EXPECT_EQ(DupScript(ShimApi()), native);
}

// A server (the program) at `version` after a handshake with a real client: whether its context's
// cache matches the session's ID, another ID, a prefix, an ID too long, and a connection of the
// same context that has negotiated nothing.
std::string MatchingScript(const Api& api, int version, bool tickets) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  api.ctx_use_certificate(ctx, identity.cert);
  api.ctx_use_key(ctx, identity.key);
  api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, version, nullptr);
  if (!tickets) api.ctx_set_options(ctx, SSL_OP_NO_TICKET);
  static const unsigned char kContext[] = "matching";
  api.ctx_set_session_id_context(ctx, kContext, sizeof kContext - 1);
  SSL_CTX* peer_ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = api.ssl_new(ctx);
  SSL* peer = SSL_new(peer_ctx);
  sslshim::side_by_side::ConnectOverBioPair(api, ssl, peer, false);
  std::string log =
      sslshim::side_by_side::Handshake(sslshim::side_by_side::Side<Api>{&api, ssl},
                                       sslshim::side_by_side::Side<Api>{&RealApiOnce(), peer});
  SSL_SESSION* session = api.get_session(ssl);
  unsigned int len = 0;
  const unsigned char* id = session != nullptr ? api.session_get_id(session, &len) : nullptr;
  std::vector<unsigned char> mine(id, id + len);
  log += " id " + std::to_string(len) + ": " +
         std::to_string(api.has_matching_session_id(ssl, mine.data(), len));
  if (len > 0) {
    std::vector<unsigned char> other = mine;
    other[0] ^= 1;
    log += ", other " + std::to_string(api.has_matching_session_id(ssl, other.data(), len)) +
           ", prefix " + std::to_string(api.has_matching_session_id(ssl, mine.data(), len - 1));
  }
  unsigned char longer[SSL_MAX_SSL_SESSION_ID_LENGTH + 1] = {0};
  if (len > 0) std::memcpy(longer, mine.data(), std::min<size_t>(len, sizeof longer));
  log += ", too long " + std::to_string(api.has_matching_session_id(ssl, longer, sizeof longer));
  SSL* fresh = api.ssl_new(ctx);
  log +=
      ", fresh connection " + std::to_string(api.has_matching_session_id(fresh, mine.data(), len));
  api.ssl_free(fresh);
  api.ssl_free(ssl);
  SSL_free(peer);
  api.ctx_free(ctx);
  SSL_CTX_free(peer_ctx);
  ERR_clear_error();
  return log;
}

TEST(MatchingSessionId, AsOpenSsl) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool tickets : {false, true}) {
      SCOPED_TRACE(std::to_string(version) + (tickets ? " tickets" : " no tickets"));
      const std::string native = MatchingScript(RealApiOnce(), version, tickets);
      if (version == TLS1_2_VERSION && !tickets) {
        ASSERT_EQ(native,
                  "done / done id 32: 1, other 0, prefix 0, too long 0, fresh connection 0");
      }
      if (version == TLS1_3_VERSION && !sslshim::side_by_side::OnOpenSslBackend()) {
        // BoringSSL resumes TLS 1.3 by tickets only: its server caches no TLS 1.3 session, whose
        // ID reads empty (docs/contract.md).
        EXPECT_EQ(MatchingScript(ShimApi(), version, tickets),
                  "done / done id 0: 0, too long 0, fresh connection 0");
        continue;
      }
      EXPECT_EQ(MatchingScript(ShimApi(), version, tickets), native);
    }
  }
}

}  // namespace
