// The client hello callback through the shim answers as OpenSSL 3's own: what the getters show
// of the ClientHello (a real libssl client's, the same on both runs), nothing outside the
// callback, a retry (SSL_ERROR_WANT_CLIENT_HELLO_CB), a refusal with the callback's alert, and a
// switch to another context's certificate made inside the callback (haproxy's way of choosing
// a certificate). The server is the real libssl's or the stand-in's, over a BIO pair.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                     \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                        \
  X(set_client_hello_cb, SSL_CTX_set_client_hello_cb)             \
  X(set_ssl_ctx, SSL_set_SSL_CTX)                                 \
  X(set_verify, SSL_set_verify)                                   \
  X(get_verify_mode, SSL_get_verify_mode)                         \
  X(isv2, SSL_client_hello_isv2)                                  \
  X(legacy_version, SSL_client_hello_get0_legacy_version)         \
  X(random, SSL_client_hello_get0_random)                         \
  X(session_id, SSL_client_hello_get0_session_id)                 \
  X(ciphers, SSL_client_hello_get0_ciphers)                       \
  X(compression, SSL_client_hello_get0_compression_methods)       \
  X(extensions_present, SSL_client_hello_get1_extensions_present) \
  X(get0_ext, SSL_client_hello_get0_ext)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Hex;

using sslshim::side_by_side::Credential;

// What one run of the script does in the callback, and what it saw there.
struct Run {
  const Api* api = nullptr;
  SSL_CTX* other_ctx = nullptr;
  std::string mode;  // "observe", "retry", "refuse", "switch"
  int calls = 0;
  std::string seen;
  const unsigned char* client_random = nullptr;  // what the client sent, to compare with
};

int Callback(SSL* ssl, int* al, void* arg) {
  auto* run = static_cast<Run*>(arg);
  const Api& api = *run->api;
  run->calls++;
  if (run->mode == "retry" && run->calls == 1) return SSL_CLIENT_HELLO_RETRY;
  if (run->mode == "refuse") {
    *al = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_CLIENT_HELLO_ERROR;
  }
  std::string& s = run->seen;
  s += "isv2=" + std::to_string(api.isv2(ssl));
  s += " legacy_version=" + std::to_string(api.legacy_version(ssl));
  const unsigned char* p = nullptr;
  size_t len = api.random(ssl, &p);
  s += " random=" + std::to_string(len) +
       (len == 32 && run->client_random != nullptr && Hex(p, 32) == Hex(run->client_random, 32)
            ? " (the client's)"
            : " (not the client's)");
  s += " random(NULL)=" + std::to_string(api.random(ssl, nullptr));
  len = api.session_id(ssl, &p);
  s += " session_id=" + std::to_string(len);
  len = api.ciphers(ssl, &p);
  s += " ciphers=" + Hex(p, len);
  len = api.compression(ssl, &p);
  s += " compression=" + Hex(p, len);
  int* present = nullptr;
  size_t count = 0;
  s += " present:" + std::to_string(api.extensions_present(ssl, &present, &count));
  for (size_t i = 0; i < count; i++) s += " " + std::to_string(present[i]);
  OPENSSL_free(present);
  s += " present(NULL)=" + std::to_string(api.extensions_present(ssl, nullptr, &count));
  // Contents that do not change from run to run: the name, the groups, the signature
  // algorithms, the versions; and an extension a client never sends.
  for (unsigned type : {0u, 10u, 13u, 43u, 16u, 0xfafau}) {
    const unsigned char* data = nullptr;
    size_t data_len = 0;
    int found = api.get0_ext(ssl, type, &data, &data_len);
    s += " ext" + std::to_string(type) + "=" + std::to_string(found);
    if (found) s += ":" + Hex(data, data_len);
  }
  s += " get0_ext(NULLs)=" + std::to_string(api.get0_ext(ssl, 0, nullptr, nullptr));
  if (run->mode == "switch") {
    api.set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    s += " switched=" + std::to_string(api.set_ssl_ctx(ssl, run->other_ctx) == run->other_ctx);
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

// The first error on the queue as "lib:reason", and the queue emptied.
std::string Reason() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "none";
  return std::to_string(ERR_GET_LIB(e)) + ":" + std::to_string(ERR_GET_REASON(e));
}

std::string Script(const Api& api) {
  std::string log;
  Credential main_cred("main");
  Credential other_cred("other");
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  SSL_CTX* other = api.ctx_new(api.server_method());
  api.ctx_use_certificate(ctx, main_cred.cert);
  api.ctx_use_key(ctx, main_cred.key);
  api.ctx_use_certificate(other, other_cred.cert);
  api.ctx_use_key(other, other_cred.key);
  for (const char* mode : {"observe", "retry", "refuse", "switch"}) {
    Run run;
    run.api = &api;
    run.other_ctx = other;
    run.mode = mode;
    api.set_client_hello_cb(ctx, Callback, &run);
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());  // the real libssl's, both runs
    SSL* client = SSL_new(client_ctx);
    SSL_set_tlsext_host_name(client, "example.test");
    SSL_set_connect_state(client);
    SSL* server = api.ssl_new(ctx);
    BIO *client_bio = nullptr, *server_bio = nullptr;
    BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
    SSL_set_bio(client, client_bio, client_bio);
    api.set_bio(server, server_bio, server_bio);
    api.set_accept_state(server);
    log += std::string(mode) + ":";
    // Outside the callback the getters answer nothing, as OpenSSL's.
    log += " before=" + std::to_string(api.legacy_version(server)) +
           std::to_string(api.get0_ext(server, 0, nullptr, nullptr));
    std::string server_answers, client_answers;
    bool client_done = false, server_done = false;
    for (int step = 0; step < 20 && !(client_done && server_done); step++) {
      if (!client_done) {
        int ret = SSL_do_handshake(client);
        int err = SSL_get_error(client, ret);
        if (ret == 1) {
          client_done = true;
          client_answers += " done";
        } else if (err != SSL_ERROR_WANT_READ) {
          client_answers += " error " + std::to_string(err) + " " + Reason();
          client_done = true;
        }
        run.client_random = nullptr;
        static unsigned char random[32];
        if (SSL_get_client_random(client, random, sizeof random) == 32) run.client_random = random;
      }
      if (!server_done) {
        int ret = api.do_handshake(server);
        int err = api.get_error(server, ret);
        if (ret == 1) {
          server_done = true;
          server_answers += " done";
        } else if (err != SSL_ERROR_WANT_READ) {
          server_answers += " error " + std::to_string(err) + " " + Reason();
          if (err != SSL_ERROR_WANT_CLIENT_HELLO_CB) server_done = true;
        }
      }
    }
    X509* peer = SSL_get1_peer_certificate(client);
    char cn[64] = "";
    if (peer != nullptr) {
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
    }
    X509_free(peer);
    log += " calls=" + std::to_string(run.calls) + " server" + server_answers + "; client" +
           client_answers + "; certificate=" + cn +
           "; verify_mode=" + std::to_string(api.get_verify_mode(server)) + "\n  " + run.seen +
           "\n";
    log += "  after=" + std::to_string(api.legacy_version(server)) +
           std::to_string(api.get0_ext(server, 0, nullptr, nullptr)) + "\n";
    api.ssl_free(server);
    SSL_free(client);
    SSL_CTX_free(client_ctx);
  }
  api.ctx_free(ctx);
  api.ctx_free(other);
  return log;
}

TEST(ClientHelloCallback, AnswersAsOpenSsl) {
  const std::string native = Script(RealApi());
  // The script reaches every path: the getters' answers, a retry, a refusal with the
  // callback's alert (the client reads unrecognized_name), and the switched certificate.
  ASSERT_NE(native.find("ext0=1:"), std::string::npos) << native;
  ASSERT_NE(native.find("error " + std::to_string(SSL_ERROR_WANT_CLIENT_HELLO_CB)),
            std::string::npos)
      << native;
  ASSERT_NE(native.find(std::to_string(ERR_LIB_SSL) + ":" +
                        std::to_string(SSL_R_TLSV1_UNRECOGNIZED_NAME)),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("certificate=other"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

}  // namespace
