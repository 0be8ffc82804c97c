// What a connection learnt from the peer's hello messages, through the shim, answers as OpenSSL 3's
// own: SSL_get_peer_tmp_key (the peer's key share, checked against the key the peer really used),
// SSL_get_shared_group, SSL_get0_certificate_types, SSL_get_tlsext_status_exts and the TLS
// extension debug callback (SSL_set_tlsext_debug_callback / _arg). The connection under test is
// the real libssl's or the stand-in's; its peer is always the real libssl's, over a BIO pair, at
// TLS 1.2, TLS 1.3 and DTLS 1.2, in either role, in full and resumed handshakes.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)               \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)  \
  X(dtls_client_method, DTLS_client_method) \
  X(dtls_server_method, DTLS_server_method) \
  X(ctx_set_options, SSL_CTX_set_options)   \
  X(read, SSL_read)                         \
  X(set_shutdown, SSL_set_shutdown)         \
  X(get1_session, SSL_get1_session)         \
  X(set_session, SSL_set_session)           \
  X(session_reused, SSL_session_reused)     \
  X(session_free, SSL_SESSION_free)         \
  X(ctrl, SSL_ctrl)                         \
  X(callback_ctrl, SSL_callback_ctrl)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Hex;

// The public key's encoding, "" when there is none.
std::string PublicHex(EVP_PKEY* key) {
  unsigned char* encoded = nullptr;
  size_t len = key != nullptr ? EVP_PKEY_get1_encoded_public_key(key, &encoded) : 0;
  std::string out = Hex(encoded, len);
  OPENSSL_free(encoded);
  return out;
}

// One connection set-up: the connection under test (`api`'s) in `server` role or not, at
// `version`, with these group lists ("" for the default) and options.
struct Conn {
  bool server = false;
  int version = TLS1_3_VERSION;
  const char* tested_groups = "";
  const char* peer_groups = "";
  bool server_preference = false;
  bool request_client_certificate = false;
  bool status_request_extensions = false;  // the client asks for OCSP status with a nonce
  bool resume = false;                     // a second connection resumes the first one's session
};

// What the debug callback saw. The extensions whose contents differ from run to run (key shares,
// padding) are logged by type and length only; those carrying a session ticket by type only, as
// a ticket's length is its issuer's (the tested server's differ from library to library).
void DebugCallback(SSL* /*ssl*/, int client_server, int type, const unsigned char* data, int len,
                   void* arg) {
  auto* log = static_cast<std::string*>(arg);
  *log += " " + std::to_string(client_server) + ":" + std::to_string(type);
  if (type != TLSEXT_TYPE_session_ticket && type != TLSEXT_TYPE_psk) {
    *log += ":" + std::to_string(len);
  }
  const bool fixed =
      type == TLSEXT_TYPE_supported_groups || type == TLSEXT_TYPE_signature_algorithms ||
      type == TLSEXT_TYPE_supported_versions || type == TLSEXT_TYPE_ec_point_formats ||
      type == TLSEXT_TYPE_renegotiate || type == TLSEXT_TYPE_status_request;
  if (fixed && data != nullptr) *log += "=" + Hex(data, static_cast<size_t>(len));
}

// The OCSP nonce request extension the client sends (fixed bytes, so both runs see the same).
STACK_OF(X509_EXTENSION) * NonceExtensions() {
  STACK_OF(X509_EXTENSION)* exts = sk_X509_EXTENSION_new_null();
  ASN1_OCTET_STRING* nonce = ASN1_OCTET_STRING_new();
  const unsigned char bytes[] = {0x04, 0x04, 1, 2, 3, 4};
  ASN1_OCTET_STRING_set(nonce, bytes, sizeof bytes);
  X509_EXTENSION* ext = X509_EXTENSION_create_by_NID(nullptr, NID_id_pkix_OCSP_Nonce, 0, nonce);
  ASN1_OCTET_STRING_free(nonce);
  sk_X509_EXTENSION_push(exts, ext);
  return exts;
}

// One connection between `ctx` (the tested side's) and `peer_ctx`, and what the tested side
// answers; the client resumes *session when there is one, and leaves its new one there.
std::string Connect(const Api& api, const Conn& setup, SSL_CTX* ctx, SSL_CTX* peer_ctx,
                    SSL_SESSION** session) {
  std::string log;
  SSL* tested = api.ssl_new(ctx);
  SSL* peer = SSL_new(peer_ctx);
  std::string debug_log;
  api.callback_ctrl(tested, SSL_CTRL_SET_TLSEXT_DEBUG_CB,
                    reinterpret_cast<void (*)(void)>(DebugCallback));
  api.ctrl(tested, SSL_CTRL_SET_TLSEXT_DEBUG_ARG, 0, &debug_log);
  if (setup.server && setup.status_request_extensions) {
    SSL_set_tlsext_status_type(peer, TLSEXT_STATUSTYPE_ocsp);
    SSL_set_tlsext_status_exts(peer, NonceExtensions());
  }
  // The client's session: the stand-in's own objects when the client is the tested side.
  SSL* client = setup.server ? peer : tested;
  auto set_session = setup.server ? SSL_set_session : api.set_session;
  if (*session != nullptr) set_session(client, *session);
  BIO *tested_bio = nullptr, *peer_bio = nullptr;
  BIO_new_bio_pair(&tested_bio, 0, &peer_bio, 0);
  api.set_bio(tested, tested_bio, tested_bio);
  SSL_set_bio(peer, peer_bio, peer_bio);
  if (setup.server) {
    api.set_accept_state(tested);
    SSL_set_connect_state(peer);
  } else {
    api.set_connect_state(tested);
    SSL_set_accept_state(peer);
  }

  // Before the handshake.
  EVP_PKEY* peer_key = nullptr;
  log += "before: tmp_key=" +
         sslshim::side_by_side::Outcome(api.ctrl(tested, SSL_CTRL_GET_PEER_TMP_KEY, 0, &peer_key));
  log += " shared=" +
         sslshim::side_by_side::Outcome(api.ctrl(tested, SSL_CTRL_GET_SHARED_GROUP, -1, nullptr));
  const unsigned char* types = nullptr;
  log += " cert_types=" + sslshim::side_by_side::Outcome(
                              api.ctrl(tested, SSL_CTRL_GET_CLIENT_CERT_TYPES, 0, &types));

  bool tested_done = false, peer_done = false;
  for (int step = 0; step < 20 && !(tested_done && peer_done); step++) {
    if (!tested_done) tested_done = api.do_handshake(tested) == 1;
    if (!peer_done) peer_done = SSL_do_handshake(peer) == 1;
  }
  // The client takes the TLS 1.3 tickets the server sent after its Finished.
  char byte = 0;
  if (setup.server) {
    SSL_read(peer, &byte, 1);
  } else {
    api.read(tested, &byte, 1);
  }
  ERR_clear_error();
  log += "\nhandshake=" + std::to_string(tested_done) + std::to_string(peer_done) +
         " reused=" + std::to_string(api.session_reused(tested));
  log += "\ndebug:" + debug_log;

  // The peer's key share. Whether it is the key the peer used: the peer's own ephemeral key.
  peer_key = nullptr;
  long ret = api.ctrl(tested, SSL_CTRL_GET_PEER_TMP_KEY, 0, &peer_key);
  log += "\ntmp_key=" + sslshim::side_by_side::Outcome(ret);
  if (ret == 1 && peer_key != nullptr) {
    char group[64] = "-";
    size_t group_len = 0;
    EVP_PKEY_get_group_name(peer_key, group, sizeof group, &group_len);
    EVP_PKEY* own = nullptr;
    SSL_get_tmp_key(peer, &own);
    BIGNUM* priv = nullptr;
    log += std::string(" type=") + EVP_PKEY_get0_type_name(peer_key) +
           " id=" + std::to_string(EVP_PKEY_get_id(peer_key)) +
           " bits=" + std::to_string(EVP_PKEY_get_bits(peer_key)) + " group=" + group +
           " public=" + std::to_string(PublicHex(peer_key).size() / 2) + " bytes" +
           " peer's own key=" +
           (own == nullptr                          ? "gone"
            : PublicHex(own) == PublicHex(peer_key) ? "same"
                                                    : "differs") +
           " private=" +
           std::to_string(EVP_PKEY_get_bn_param(peer_key, OSSL_PKEY_PARAM_PRIV_KEY, &priv));
    BN_free(priv);
    EVP_PKEY_free(own);
    EVP_PKEY_free(peer_key);
  }
  ERR_clear_error();

  // SSL_get1_groups counts the client's groups that SSL_get_shared_group works from.
  log += "\ngroups=" +
         sslshim::side_by_side::Outcome(api.ctrl(tested, SSL_CTRL_GET_GROUPS, 0, nullptr));
  log += "\nshared:";
  for (long n : {-1L, 0L, 1L, 2L, 3L, -2L, -3L}) {
    log += " " + std::to_string(n) + "=" +
           sslshim::side_by_side::Outcome(api.ctrl(tested, SSL_CTRL_GET_SHARED_GROUP, n, nullptr));
  }

  // Whether the call set the pointer (to NULL after a TLS 1.3 request) or left it alone.
  static const unsigned char kUntouched[] = {0};
  types = kUntouched;
  ret = api.ctrl(tested, SSL_CTRL_GET_CLIENT_CERT_TYPES, 0, &types);
  log += "\ncert_types=" + sslshim::side_by_side::Outcome(ret) + " " +
         (types == kUntouched ? "untouched"
          : types == nullptr  ? "NULL"
                              : Hex(types, ret > 0 ? static_cast<size_t>(ret) : 0));
  log += " (NULL)=" + sslshim::side_by_side::Outcome(
                          api.ctrl(tested, SSL_CTRL_GET_CLIENT_CERT_TYPES, 0, nullptr));

  STACK_OF(X509_EXTENSION)* exts = reinterpret_cast<STACK_OF(X509_EXTENSION)*>(1);
  ret = api.ctrl(tested, SSL_CTRL_GET_TLSEXT_STATUS_REQ_EXTS, 0, &exts);
  log += "\nstatus_exts=" + sslshim::side_by_side::Outcome(ret);
  if (exts == nullptr) {
    log += " NULL";
  } else if (exts != reinterpret_cast<STACK_OF(X509_EXTENSION)*>(1)) {
    log += " " + std::to_string(sk_X509_EXTENSION_num(exts)) + ":";
    for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
      X509_EXTENSION* ext = sk_X509_EXTENSION_value(exts, i);
      const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(ext);
      log += " " + std::to_string(OBJ_obj2nid(X509_EXTENSION_get_object(ext))) + "=" +
             Hex(ASN1_STRING_get0_data(value), static_cast<size_t>(ASN1_STRING_length(value)));
    }
  }
  log += "\n";

  if (*session != nullptr) (setup.server ? SSL_SESSION_free : api.session_free)(*session);
  *session = (setup.server ? SSL_get1_session : api.get1_session)(client);
  // Closed cleanly: OpenSSL drops the session of a connection freed without a shutdown.
  api.set_shutdown(tested, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_set_shutdown(peer, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  api.ssl_free(tested);
  SSL_free(peer);
  return log;
}

std::string Script(const Api& api, const Conn& setup) {
  std::string log;
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = sslshim::side_by_side::SelfSignedCertificate(key, "server");
  // The connection under test, and its peer (always the real libssl's).
  const bool dtls = setup.version == DTLS1_2_VERSION;
  SSL_CTX* ctx =
      api.ctx_new(setup.server ? (dtls ? api.dtls_server_method() : api.server_method())
                               : (dtls ? api.dtls_client_method() : api.client_method()));
  SSL_CTX* peer_ctx =
      SSL_CTX_new(setup.server ? (dtls ? DTLS_client_method() : TLS_client_method())
                               : (dtls ? DTLS_server_method() : TLS_server_method()));
  if (setup.server) {
    api.ctx_use_certificate(ctx, cert);
    api.ctx_use_key(ctx, key);
    if (setup.server_preference) api.ctx_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  } else {
    SSL_CTX_use_certificate(peer_ctx, cert);
    SSL_CTX_use_PrivateKey(peer_ctx, key);
    if (setup.request_client_certificate) {
      SSL_CTX_set_verify(peer_ctx, SSL_VERIFY_PEER, nullptr);
    }
  }
  for (SSL_CTX* c : {ctx, peer_ctx}) {
    auto ctx_ctrl = c == ctx ? api.ctx_ctrl : SSL_CTX_ctrl;
    ctx_ctrl(c, SSL_CTRL_SET_MAX_PROTO_VERSION, setup.version, nullptr);
    const char* groups = c == ctx ? setup.tested_groups : setup.peer_groups;
    if (*groups != '\0') {
      ctx_ctrl(c, SSL_CTRL_SET_GROUPS_LIST, 0, const_cast<char*>(groups));
    }
  }
  SSL_SESSION* session = nullptr;
  log += Connect(api, setup, ctx, peer_ctx, &session);
  if (setup.resume) log += "resumed: " + Connect(api, setup, ctx, peer_ctx, &session);
  if (session != nullptr) (setup.server ? SSL_SESSION_free : api.session_free)(session);
  api.ctx_free(ctx);
  SSL_CTX_free(peer_ctx);
  X509_free(cert);
  EVP_PKEY_free(key);
  return log;
}

std::string Label(const Conn& s) {
  return std::string(s.server ? "server" : "client") +
         (s.version == TLS1_3_VERSION   ? " TLS 1.3"
          : s.version == TLS1_2_VERSION ? " TLS 1.2"
                                        : " DTLS 1.2") +
         " groups=" + s.tested_groups + "/" + s.peer_groups +
         (s.server_preference ? " server-preference" : "") +
         (s.request_client_certificate ? " certificate-requested" : "") +
         (s.status_request_extensions ? " status-exts" : "") + (s.resume ? " resumed" : "");
}

std::vector<Conn> Conns() {
  std::vector<Conn> setups;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION, DTLS1_2_VERSION}) {
    for (bool server : {false, true}) {
      Conn s;
      s.server = server;
      s.version = version;
      // The tested connection's default groups. A server's are OpenSSL's default list on the real
      // libssl, but BoringSSL's (X25519, P-256, P-384, in that order too) on the shim: it cannot
      // share X448, FFDHE or (unless set) P-521 with a client, so the client offers none of them.
      s.peer_groups = server ? "X25519:P-256:P-384" : "";
      setups.push_back(s);
      // P-384 first on both sides' lists, so both libraries choose it without a retry (P-256
      // stays for the server's certificate at TLS 1.2).
      s.tested_groups = "P-384:P-256";
      s.peer_groups = "P-384:P-256";
      setups.push_back(s);
      s.tested_groups = "P-256";
      s.peer_groups = "P-256";
      setups.push_back(s);
      // At TLS 1.3 the client's first share (P-256) is not the server's group: a
      // HelloRetryRequest, and the key share of the second ClientHello.
      s.tested_groups = server ? "X25519" : "P-256:X25519";
      s.peer_groups = server ? "P-256:X25519" : "X25519";
      setups.push_back(s);
      // The shared groups in the client's order, or with server preference in the server's;
      // X25519 comes first in both, so both libraries choose it.
      s.tested_groups = server ? "X25519:P-384:P-256" : "X25519:P-521:P-256:P-384";
      s.peer_groups = server ? "X25519:P-521:P-256:P-384" : "X25519:P-384:P-256";
      setups.push_back(s);
      s.server_preference = server;
      s.request_client_certificate = !server;
      s.status_request_extensions = server;
      setups.push_back(s);
      // Resumed: a server ignores the status request's extensions, and at TLS 1.2 the client's
      // groups too; a TLS 1.2 client gets no key share, a TLS 1.3 one the server's (PSK with
      // (EC)DHE).
      // (A server asking for a certificate without a session ID context would refuse it.)
      s.request_client_certificate = false;
      s.resume = true;
      setups.push_back(s);
    }
  }
  return setups;
}

TEST(HelloCtrls, AnswerAsOpenSsl) {
  std::string native, shim;
  for (const Conn& setup : Conns()) {
    native += Label(setup) + ": " + Script(RealApi(), setup);
  }
  // The script reaches what it compares: a peer key that is the peer's own, shared groups on a
  // server, certificate types after a TLS 1.2 CertificateRequest, the client's status request
  // extensions, and the debug callback's reports.
  ASSERT_NE(native.find("peer's own key=same"), std::string::npos) << native;
  ASSERT_NE(native.find("-1=3 -"), std::string::npos) << native;
  ASSERT_NE(native.find("status_exts=1 - 1:"), std::string::npos) << native;
  ASSERT_NE(native.find("debug: 0:"), std::string::npos) << native;
  ASSERT_NE(native.find("debug: 1:"), std::string::npos) << native;
  ASSERT_NE(native.find("reused=1"), std::string::npos) << native;
  for (const Conn& setup : Conns()) {
    shim += Label(setup) + ": " + Script(ShimApi(), setup);
  }
  EXPECT_EQ(shim, native);
}

}  // namespace
