// A context's and a connection's method (SSL_CTX_get_ssl_method, SSL_CTX_set_ssl_version,
// SSL_get_ssl_method, SSL_set_ssl_method), sessions as PEM, and OpenSSL's facts about extensions
// and cipher suites, through the shim against OpenSSL 3's own. Handshakes are a client (the real
// libssl's or the stand-in's) against the real libssl's server, over a BIO pair.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                             \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                \
  X(tls_client_method, TLS_client_method)                 \
  X(tls_method, TLS_method)                               \
  X(tls12_method, TLSv1_2_method)                         \
  X(tls12_client_method, TLSv1_2_client_method)           \
  X(dtls_client_method, DTLS_client_method)               \
  X(ctx_set_cipher_list, SSL_CTX_set_cipher_list)         \
  X(ctx_get_method, SSL_CTX_get_ssl_method)               \
  X(ctx_set_version, SSL_CTX_set_ssl_version)             \
  X(ctx_get_ciphers, SSL_CTX_get_ciphers)                 \
  X(get_method, SSL_get_ssl_method)                       \
  X(set_method, SSL_set_ssl_method)                       \
  X(read, SSL_read)                                       \
  X(set_shutdown, SSL_set_shutdown)                       \
  X(version, SSL_version)                                 \
  X(get_version, SSL_get_version)                         \
  X(current_cipher, SSL_get_current_cipher)               \
  X(cipher_name, SSL_CIPHER_get_name)                     \
  X(handshake_digest, SSL_CIPHER_get_handshake_digest)    \
  X(get1_session, SSL_get1_session)                       \
  X(set_session, SSL_set_session)                         \
  X(session_reused, SSL_session_reused)                   \
  X(session_free, SSL_SESSION_free)                       \
  X(session_version, SSL_SESSION_get_protocol_version)    \
  X(compress_id, SSL_SESSION_get_compress_id)             \
  X(i2d_session, i2d_SSL_SESSION)                         \
  X(pem_write_bio, PEM_write_bio_SSL_SESSION)             \
  X(pem_read_bio, PEM_read_bio_SSL_SESSION)               \
  X(pem_write_fp, PEM_write_SSL_SESSION)                  \
  X(pem_read_fp, PEM_read_SSL_SESSION)                    \
  X(extension_supported, SSL_extension_supported)         \
  X(tls_server_method, TLS_server_method)                 \
  X(client_version, SSL_client_version)                   \
  X(openssl_cipher_name, OPENSSL_cipher_name)             \
  X(session_new, SSL_SESSION_new)                         \
  X(session_time, SSL_SESSION_get_time)                   \
  X(session_timeout, SSL_SESSION_get_timeout)             \
  X(session_resumable, SSL_SESSION_is_resumable)          \
  X(session_id, SSL_SESSION_get_id)                       \
  X(session_id_context, SSL_SESSION_get0_id_context)      \
  X(session_set1_id_context, SSL_SESSION_set1_id_context) \
  X(session_has_ticket, SSL_SESSION_has_ticket)           \
  X(session_hostname, SSL_SESSION_get0_hostname)          \
  X(session_cipher, SSL_SESSION_get0_cipher)              \
  X(session_master_key, SSL_SESSION_get_master_key)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Outcome;

// The real libssl's server, TLS 1.2 and 1.3 allowed, with a P-256 certificate; session
// resumption by ticket.
class Server {
 public:
  Server() : ctx_(SSL_CTX_new(TLS_server_method())) {
    SSL_CTX_use_certificate(ctx_, credential_.cert);
    SSL_CTX_use_PrivateKey(ctx_, credential_.key);
    SSL_CTX_set_cipher_list(ctx_, "ALL");
  }
  ~Server() { SSL_CTX_free(ctx_); }
  SSL_CTX* ctx() const { return ctx_; }

 private:
  sslshim::side_by_side::Credential credential_{"server"};
  SSL_CTX* ctx_ = nullptr;
};

// Runs `client` (made with `api`) against a new connection of `server`; " done" or the errors,
// then the version and cipher.
std::string Handshake(const Api& api, SSL* client, const Server& server) {
  SSL* peer = SSL_new(server.ctx());
  SSL_set_accept_state(peer);
  BIO *client_bio = nullptr, *server_bio = nullptr;
  BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
  api.set_bio(client, client_bio, client_bio);
  SSL_set_bio(peer, server_bio, server_bio);
  api.set_connect_state(client);
  std::string out;
  bool client_done = false, server_done = false;
  for (int step = 0; step < 20 && !(client_done && server_done); step++) {
    if (!client_done) {
      int ret = api.do_handshake(client);
      int err = api.get_error(client, ret);
      if (ret == 1 || err != SSL_ERROR_WANT_READ) {
        client_done = true;
        out += " client " + std::to_string(err) + " " + Outcome(ret);
      }
    }
    if (!server_done) {
      int ret = SSL_do_handshake(peer);
      int err = SSL_get_error(peer, ret);
      if (ret == 1 || err != SSL_ERROR_WANT_READ) server_done = true;
    }
  }
  // A TLS 1.3 ticket arrives after the handshake: the client reads it before a byte of data.
  if (client_done && server_done) {
    char byte = 0;
    SSL_write(peer, "x", 1);
    api.read(client, &byte, 1);
  }
  // Which suite is negotiated follows each library's default order; that the one suite set before
  // SSL_CTX_set_ssl_version is not, is the same in both.
  const SSL_CIPHER* cipher = api.current_cipher(client);
  out += " version=" + std::to_string(api.version(client)) + " cipher=" +
         (cipher == nullptr                                                  ? "(none)"
          : std::string(api.cipher_name(cipher)) == "ECDHE-ECDSA-AES128-SHA" ? "the one set"
                                                                             : "a default");
  SSL_free(peer);
  return out;
}

std::string MethodsScript(const Api& api) {
  Server server;
  std::string log;
  // The context's method, as given, and after SSL_CTX_set_ssl_version.
  SSL_CTX* ctx = api.ctx_new(api.tls_client_method());
  log += "get=" + std::to_string(api.ctx_get_method(ctx) == api.tls_client_method());
  log += " cipher_list=" + Outcome(api.ctx_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-SHA"));
  log += " set_version=" + Outcome(api.ctx_set_version(ctx, api.tls12_method()));
  log += " get=" + std::to_string(api.ctx_get_method(ctx) == api.tls12_method());
  // A bound the program sets does not move a version-specific method's version.
  log +=
      " max=" + Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, TLS1_3_VERSION, nullptr));
  SSL* ssl = api.ssl_new(ctx);
  log += " ssl_get=" + std::to_string(api.get_method(ssl) == api.tls12_method());
  // The cipher list went back to the default: not the one suite set above.
  log += "\n pinned:" + Handshake(api, ssl, server);
  api.ssl_free(ssl);
  log += "\n back=" + Outcome(api.ctx_set_version(ctx, api.tls_client_method()));
  ssl = api.ssl_new(ctx);
  log += " flexible:" + Handshake(api, ssl, server);
  api.ssl_free(ssl);

  // One connection's method.
  ssl = api.ssl_new(ctx);
  log += "\n set_method=" + Outcome(api.set_method(ssl, api.tls12_client_method()));
  log += " get=" + std::to_string(api.get_method(ssl) == api.tls12_client_method());
  log += " ctx unchanged=" + std::to_string(api.ctx_get_method(ctx) == api.tls_client_method());
  log += " same=" + Outcome(api.set_method(ssl, api.tls12_client_method()));
  log += Handshake(api, ssl, server);
  api.ssl_free(ssl);
  ssl = api.ssl_new(ctx);
  log += "\n to_tls12_then_back=" + Outcome(api.set_method(ssl, api.tls12_method()));
  log += Outcome(api.set_method(ssl, api.tls_method()));
  log += Handshake(api, ssl, server);
  api.ssl_free(ssl);
  api.ctx_free(ctx);

  // A version-specific context: the bound set afterwards does not move it either.
  ctx = api.ctx_new(api.tls12_method());
  api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, TLS1_3_VERSION, nullptr);
  ssl = api.ssl_new(ctx);
  log += "\n tls12_ctx:" + Handshake(api, ssl, server);
  api.ssl_free(ssl);
  // Nor does SSL_set_ssl_method move the version SSL_new gave the connection.
  ssl = api.ssl_new(ctx);
  log += "\n tls12_ssl_to_flexible=" + Outcome(api.set_method(ssl, api.tls_client_method()));
  log += Handshake(api, ssl, server);
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(Methods, AnswerAsOpenSsl) {
  const std::string native = MethodsScript(RealApi());
  ASSERT_NE(native.find("pinned: client 0 1 - version=771"), std::string::npos) << native;
  ASSERT_NE(native.find("flexible: client 0 1 - version=772"), std::string::npos) << native;
  ASSERT_EQ(native.find("cipher=the one set"), std::string::npos) << native;
  ASSERT_NE(native.find("same=1 - client 0 1 - version=772"), std::string::npos) << native;
  ASSERT_NE(native.find("tls12_ssl_to_flexible=1 - client 0 1 - version=771"), std::string::npos)
      << native;
  EXPECT_EQ(MethodsScript(ShimApi()), native);
}

// A connection cannot change between TLS and DTLS under the shim (OpenSSL would run the other
// protocol on the same object): the call fails with an error and the method stays.
TEST(Methods, ShimRefusesSwitchingTransport) {
  const Api api = ShimApi();
  SSL_CTX* ctx = api.ctx_new(api.tls_client_method());
  SSL* ssl = api.ssl_new(ctx);
  EXPECT_EQ(Outcome(api.set_method(ssl, api.dtls_client_method())),
            "0 " + std::to_string(ERR_LIB_SSL) + ":" + std::to_string(SSL_R_WRONG_SSL_VERSION));
  EXPECT_EQ(api.get_method(ssl), api.tls_client_method());
  EXPECT_EQ(Outcome(api.ctx_set_version(ctx, api.dtls_client_method())),
            "0 " + std::to_string(ERR_LIB_SSL) + ":" + std::to_string(SSL_R_WRONG_SSL_VERSION));
  EXPECT_EQ(api.ctx_get_method(ctx), api.tls_client_method());
  api.ssl_free(ssl);
  api.ctx_free(ctx);
}

// A session written as PEM and read back (BIO and FILE) resumes, for sessions of the library
// that wrote it; the compression method is none.
std::string PemScript(const Api& api) {
  Server server;
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SSL_CTX* ctx = api.ctx_new(api.tls_client_method());
    api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, version, nullptr);
    SSL* ssl = api.ssl_new(ctx);
    log += std::to_string(version) + ":" + Handshake(api, ssl, server);
    SSL_SESSION* session = api.get1_session(ssl);
    // Freed without a shutdown, OpenSSL's connection would make its session unresumable.
    api.set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    api.ssl_free(ssl);
    log += " compress_id=" + std::to_string(api.compress_id(session));
    BIO* mem = BIO_new(BIO_s_mem());
    log += " write=" + Outcome(api.pem_write_bio(mem, session));
    char* text = nullptr;
    long len = BIO_get_mem_data(mem, &text);
    std::string pem(text, static_cast<size_t>(len));
    log += " header=" + pem.substr(0, pem.find('\n'));
    SSL_SESSION* out = nullptr;
    SSL_SESSION* read = api.pem_read_bio(mem, &out, nullptr, nullptr);
    log += " read=" + std::to_string(read != nullptr && read == out);
    log += Outcome(0);
    log += " same_der=" +
           std::to_string(api.i2d_session(read, nullptr) == api.i2d_session(session, nullptr));
    log += " again=" + std::to_string(api.pem_read_bio(mem, nullptr, nullptr, nullptr) != nullptr);
    log += ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE ? " no_start_line" : "";
    ERR_clear_error();
    BIO_free(mem);
    ssl = api.ssl_new(ctx);
    log += " set_session=" + Outcome(api.set_session(ssl, read));
    log += " resumed:" + Handshake(api, ssl, server);
    log += " reused=" + std::to_string(api.session_reused(ssl));
    api.ssl_free(ssl);
    api.session_free(read);

    FILE* file = tmpfile();
    log += " fp_write=" + Outcome(api.pem_write_fp(file, session));
    rewind(file);
    read = api.pem_read_fp(file, nullptr, nullptr, nullptr);
    log += " fp_read=" + std::to_string(read != nullptr);
    log += " version=" + std::to_string(read != nullptr ? api.session_version(read) : 0) + "\n";
    fclose(file);
    api.session_free(read);
    api.session_free(session);
    api.ctx_free(ctx);
  }
  return log;
}

TEST(SessionPem, RoundTripsAsOpenSsl) {
  const std::string native = PemScript(RealApi());
  ASSERT_NE(native.find("header=-----BEGIN SSL SESSION PARAMETERS-----"), std::string::npos)
      << native;
  ASSERT_NE(native.find("reused=1"), std::string::npos) << native;
  EXPECT_EQ(PemScript(ShimApi()), native);
}

// A PEM session OpenSSL wrote holds OpenSSL's DER, which the shim reads only where the backend's
// session encoding is OpenSSL's (the OpenSSL backend); elsewhere the read fails cleanly: nullptr,
// an error on the queue, *x untouched.
TEST(SessionPem, OpenSslsPemIsReadOrRefusedCleanly) {
  const Api real = RealApi();
  const Api shim = ShimApi();
  Server server;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  Handshake(real, ssl, server);
  SSL_SESSION* session = SSL_get1_session(ssl);
  SSL_free(ssl);
  BIO* mem = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_SSL_SESSION(mem, session), 1);
  SSL_SESSION* sentinel = nullptr;
  SSL_SESSION* read = shim.pem_read_bio(mem, &sentinel, nullptr, nullptr);
  const char* backend = getenv("SSLSHIM_BACKEND");
  if (backend != nullptr && std::string(backend) == "openssl") {
    ASSERT_NE(read, nullptr);
    EXPECT_EQ(shim.session_version(read), SSL_SESSION_get_protocol_version(session));
    shim.session_free(read);
  } else {
    EXPECT_EQ(read, nullptr);
    EXPECT_EQ(sentinel, nullptr);
    EXPECT_NE(ERR_peek_error(), 0UL);
  }
  ERR_clear_error();
  BIO_free(mem);
  SSL_SESSION_free(session);
  SSL_CTX_free(ctx);
}

// SSL_version and SSL_get_version: before a version is negotiated OpenSSL 3 answers the method's
// (TLS 1.3 for a flexible one, whatever the bounds), then the negotiated one.
std::string VersionNow(const Api& api, SSL* ssl) {
  return " version=" + std::to_string(api.version(ssl)) + "/" + api.get_version(ssl);
}

// SSL_client_version (and SSL_version) on a client (against the real server) and on a server
// (against the real client): the method's version before the ClientHello, then the hello's
// legacy_version.
std::string ClientVersionScript(const Api& api) {
  std::string log;
  Server server;
  struct Client {
    const char* label;
    bool pinned;
    int max;
  };
  for (const Client& c : {Client{"flexible", false, 0}, Client{"max12", false, TLS1_2_VERSION},
                          Client{"tls12_method", true, 0}}) {
    SSL_CTX* ctx = api.ctx_new(c.pinned ? api.tls12_client_method() : api.tls_client_method());
    if (c.max != 0) api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, c.max, nullptr);
    SSL* ssl = api.ssl_new(ctx);
    log += std::string(c.label) + ": before=" + std::to_string(api.client_version(ssl)) +
           VersionNow(api, ssl);
    log += Handshake(api, ssl, server);
    log += " after=" + std::to_string(api.client_version(ssl)) + VersionNow(api, ssl) + "\n";
    api.ssl_free(ssl);
    api.ctx_free(ctx);
  }
  // The server's side: the real client's hello, at TLS 1.3 and capped at TLS 1.2.
  sslshim::side_by_side::Credential credential("server");
  SSL_CTX* server_ctx = api.ctx_new(api.tls_server_method());
  api.ctx_use_certificate(server_ctx, credential.cert);
  api.ctx_use_key(server_ctx, credential.key);
  for (int max : {0, TLS1_2_VERSION, TLS1_1_VERSION}) {
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_security_level(client_ctx, 0);
    SSL_CTX_set_max_proto_version(client_ctx, max);
    SSL* client = SSL_new(client_ctx);
    SSL* peer = api.ssl_new(server_ctx);
    log += "server, client max " + std::to_string(max) +
           ": before=" + std::to_string(api.client_version(peer)) + VersionNow(api, peer);
    BIO *client_bio = nullptr, *server_bio = nullptr;
    BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
    SSL_set_bio(client, client_bio, client_bio);
    api.set_bio(peer, server_bio, server_bio);
    SSL_set_connect_state(client);
    api.set_accept_state(peer);
    SSL_do_handshake(client);
    api.do_handshake(peer);  // reads the ClientHello, whatever it then decides
    log += " after=" + std::to_string(api.client_version(peer));
    // (Not after a TLS 1.1 hello, which the BoringSSL backend refuses before choosing a version:
    // docs/contract.md, SSL_version.)
    if (max != TLS1_1_VERSION) log += VersionNow(api, peer);
    log += "\n";
    ERR_clear_error();
    api.ssl_free(peer);
    SSL_free(client);
    SSL_CTX_free(client_ctx);
  }
  api.ctx_free(server_ctx);
  return log;
}

TEST(ClientVersion, AnswersAsOpenSsl) {
  const std::string native = ClientVersionScript(RealApi());
  ASSERT_NE(native.find("flexible: before=65536"), std::string::npos) << native;
  ASSERT_NE(native.find("after=770"), std::string::npos) << native;
  ASSERT_NE(native.find("flexible: before=65536 version=772/TLSv1.3"), std::string::npos) << native;
  EXPECT_EQ(ClientVersionScript(ShimApi()), native);
}

// Every standard name of a suite OpenSSL's table has (its SSL_CIPHER_find over all codes), and
// names it does not answer for, the same as OpenSSL's OPENSSL_cipher_name.
TEST(Ciphers, OpenSslNameAsOpenSsl) {
  const Api shim = ShimApi();
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  SSL* ssl = SSL_new(ctx);
  int named = 0;
  for (unsigned code = 0; code <= 0xffff; code++) {
    const unsigned char bytes[2] = {static_cast<unsigned char>(code >> 8),
                                    static_cast<unsigned char>(code)};
    const SSL_CIPHER* cipher = SSL_CIPHER_find(ssl, bytes);
    if (cipher == nullptr) continue;
    const char* standard = SSL_CIPHER_standard_name(cipher);
    EXPECT_STREQ(shim.openssl_cipher_name(standard), OPENSSL_cipher_name(standard)) << standard;
    if (std::string(OPENSSL_cipher_name(standard)) != "(NONE)") named++;
  }
  EXPECT_GT(named, 150);
  for (const char* other : {"", "tls_aes_128_gcm_sha256", "TLS_AES_128_GCM_SHA256 ",
                            "ECDHE-RSA-AES128-GCM-SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"}) {
    EXPECT_STREQ(shim.openssl_cipher_name(other), OPENSSL_cipher_name(other)) << other;
  }
  EXPECT_STREQ(shim.openssl_cipher_name(nullptr), OPENSSL_cipher_name(nullptr));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
}

// SSL_SESSION_new's empty session: OpenSSL's defaults, encoded to nothing, and accepted by
// SSL_set_session for a full handshake (it resumes nothing).
std::string EmptySessionScript(const Api& api) {
  Server server;
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SSL_SESSION* session = api.session_new();
    const long age = static_cast<long>(time(nullptr)) - api.session_time(session);
    log += std::to_string(version) + ": made now=" + std::to_string(age >= 0 && age <= 2);
    log += " timeout=" + std::to_string(api.session_timeout(session));
    log += " version=" + std::to_string(api.session_version(session));
    log += " resumable=" + std::to_string(api.session_resumable(session));
    unsigned int len = 99;
    api.session_id(session, &len);
    log += " id=" + std::to_string(len);
    len = 99;
    api.session_id_context(session, &len);
    log += " id_context=" + std::to_string(len);
    log += " ticket=" + std::to_string(api.session_has_ticket(session));
    log += " hostname=" + std::to_string(api.session_hostname(session) != nullptr);
    log += " cipher=" + std::to_string(api.session_cipher(session) != nullptr);
    log += " master_key=" + std::to_string(api.session_master_key(session, nullptr, 0));
    log += " compress_id=" + std::to_string(api.compress_id(session));
    log += " i2d=" + Outcome(api.i2d_session(session, nullptr));
    const unsigned char sid_ctx[] = "ctx";
    log += " set1_id_context=" + Outcome(api.session_set1_id_context(session, sid_ctx, 3));
    const unsigned char* now_ctx = api.session_id_context(session, &len);
    log += " id_context=" + std::string(reinterpret_cast<const char*>(now_ctx), len);
    SSL_CTX* ctx = api.ctx_new(api.tls_client_method());
    api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, version, nullptr);
    SSL* ssl = api.ssl_new(ctx);
    log += " set_session=" + Outcome(api.set_session(ssl, session));
    log += Handshake(api, ssl, server);
    log += " reused=" + std::to_string(api.session_reused(ssl)) + "\n";
    api.ssl_free(ssl);
    api.ctx_free(ctx);
    api.session_free(session);
  }
  return log;
}

TEST(EmptySession, AnswersAsOpenSsl) {
  const std::string native = EmptySessionScript(RealApi());
  ASSERT_NE(native.find("timeout=304"), std::string::npos) << native;
  ASSERT_NE(native.find("i2d=0 -"), std::string::npos) << native;
  EXPECT_EQ(EmptySessionScript(ShimApi()), native);
}

TEST(Extensions, SupportedAsOpenSsl) {
  const Api shim = ShimApi();
  for (unsigned type = 0; type <= 0xffff; type++) {
    ASSERT_EQ(shim.extension_supported(type), SSL_extension_supported(type)) << type;
  }
  EXPECT_EQ(shim.extension_supported(0x10000), SSL_extension_supported(0x10000));
}

// Each suite the shim lists has OpenSSL's handshake digest for the suite of that name.
TEST(Ciphers, HandshakeDigestAsOpenSsl) {
  const Api shim = ShimApi();
  std::map<std::string, int> native;
  SSL_CTX* real_ctx = SSL_CTX_new(TLS_method());
  SSL_CTX_set_cipher_list(real_ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  STACK_OF(SSL_CIPHER)* real_ciphers = SSL_CTX_get_ciphers(real_ctx);
  for (int i = 0; i < sk_SSL_CIPHER_num(real_ciphers); i++) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(real_ciphers, i);
    const EVP_MD* md = SSL_CIPHER_get_handshake_digest(c);
    native[SSL_CIPHER_get_name(c)] = md != nullptr ? EVP_MD_get_type(md) : NID_undef;
  }
  SSL_CTX* ctx = shim.ctx_new(shim.tls_method());
  shim.ctx_set_cipher_list(ctx, "ALL");
  STACK_OF(SSL_CIPHER)* ciphers = shim.ctx_get_ciphers(ctx);
  std::map<int, int> compared;  // by digest
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); i++) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
    auto it = native.find(shim.cipher_name(c));
    ASSERT_NE(it, native.end()) << shim.cipher_name(c);
    const EVP_MD* md = shim.handshake_digest(c);
    ASSERT_NE(md, nullptr) << shim.cipher_name(c);
    EXPECT_EQ(EVP_MD_get_type(md), it->second) << shim.cipher_name(c);
    compared[it->second]++;
  }
  // The three kinds of answer were compared: SHA-256, SHA-384 and MD5+SHA-1.
  EXPECT_GT(compared[NID_sha256], 0);
  EXPECT_GT(compared[NID_sha384], 0);
  EXPECT_GT(compared[NID_md5_sha1], 0);
  EXPECT_EQ(shim.handshake_digest(nullptr), nullptr);
  shim.ctx_free(ctx);
  SSL_CTX_free(real_ctx);
}

}  // namespace
