// The client's certificate callbacks through the shim answer as OpenSSL 3's own: the client
// certificate callback (SSL_CTX_set_client_cert_cb) asked when a server requests a certificate and
// the connection has none, its certificate used, its 0 or bad answers sending none, its retry
// (SSL_ERROR_WANT_X509_LOOKUP); the certificate callback before it, per connection
// (SSL_set_cert_cb) or copied from the context at SSL_new. The client is the real libssl's or the
// stand-in's, the server always the real libssl's, over a BIO pair, at TLS 1.2 and TLS 1.3.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                       \
  X(client_method, TLS_client_method)               \
  X(ctx_new, SSL_CTX_new)                           \
  X(ctx_free, SSL_CTX_free)                         \
  X(set_client_cert_cb, SSL_CTX_set_client_cert_cb) \
  X(get_client_cert_cb, SSL_CTX_get_client_cert_cb) \
  X(ctx_set_cert_cb, SSL_CTX_set_cert_cb)           \
  X(set_cert_cb, SSL_set_cert_cb)                   \
  X(use_certificate, SSL_use_certificate)           \
  X(use_key, SSL_use_PrivateKey)                    \
  X(get_certificate, SSL_get_certificate)           \
  X(ssl_new, SSL_new)                               \
  X(ssl_free, SSL_free)                             \
  X(set_bio, SSL_set_bio)                           \
  X(set_connect_state, SSL_set_connect_state)       \
  X(do_handshake, SSL_do_handshake)                 \
  X(get_error, SSL_get_error)                       \
  X(version, SSL_version)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Credential;

std::string CommonName(X509* x) {
  if (x == nullptr) return "(none)";
  char cn[64] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
  return cn;
}

// Every error on the queue as " lib:reason", and the queue emptied.
std::string Errors() {
  std::string out;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    out += " " + std::to_string(ERR_GET_LIB(e)) + ":" + std::to_string(ERR_GET_REASON(e));
  }
  return out.empty() ? " none" : out;
}

// What one run does in the callbacks, and the calls they saw.
struct Run {
  std::string client_cert_mode;  // "give", "none", "null", "retry", "mismatch"
  std::string cert_cb_mode;      // "pass", "retry", "fail"
  const Credential* mine = nullptr;
  const Credential* other = nullptr;
  X509* kept = nullptr;  // retry-written: a certificate the program keeps
  int client_cert_calls = 0;
  int cert_cb_calls = 0;
  std::string seen;
};

Run* g_run = nullptr;  // the client certificate callback has no argument

// Whether the library freed the certificate a callback wrote but kept (an ex_data free function
// on the program's libcrypto tells, whoever frees it).
int g_kept_marker = 0;
bool g_kept_freed = false;
void NoteKeptFreed(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/, long /*argl*/,
                   void* /*argp*/) {
  if (ptr == &g_kept_marker) g_kept_freed = true;
}

int ClientCertCallback(SSL* /*ssl*/, X509** x509, EVP_PKEY** pkey) {
  Run& run = *g_run;
  run.client_cert_calls++;
  run.seen += " client_cert_cb";
  const std::string& mode = run.client_cert_mode;
  if (mode == "none") return 0;
  if (mode == "null") return 1;
  if (mode == "retry" && run.client_cert_calls == 1) return -1;
  if (mode == "retry-written" && run.client_cert_calls == 1) {
    // Written, then "call me again": OpenSSL takes nothing (tls_prepare_client_certificate), so
    // the certificate is still this program's.
    *x509 = run.kept;
    return -1;
  }
  // The library takes these references, as OpenSSL's documents.
  X509_up_ref(run.mine->cert);
  *x509 = run.mine->cert;
  EVP_PKEY* key = mode == "mismatch" ? run.other->key : run.mine->key;
  EVP_PKEY_up_ref(key);
  *pkey = key;
  return 1;
}

int CertCallback(SSL* /*ssl*/, void* arg) {
  Run& run = *static_cast<Run*>(arg);
  run.cert_cb_calls++;
  run.seen += " cert_cb";
  if (run.cert_cb_mode == "retry" && run.cert_cb_calls == 1) return -1;
  if (run.cert_cb_mode == "fail") return 0;
  return 1;
}

int LateCertCallback(SSL* /*ssl*/, void* arg) {
  static_cast<Run*>(arg)->seen += " late_cert_cb";
  return 1;
}

int AcceptAny(int /*ok*/, X509_STORE_CTX* /*store*/) { return 1; }

// `setup`: "ctx" (the client certificate callback only), "own" (the connection already has a
// certificate: not asked), "ssl_cert_cb" (SSL_set_cert_cb too), "ctx_cert_cb" (the context's,
// copied at SSL_new), "late_ctx_cert_cb" (the context's set after SSL_new: not this connection's).
std::string Handshake(const Api& api, int version, const std::string& setup, Run* run) {
  std::string log;
  g_run = run;
  Credential server_cred("server");
  SSL_CTX* server_ctx = SSL_CTX_new(TLS_server_method());  // the real libssl's, both runs
  SSL_CTX_use_certificate(server_ctx, server_cred.cert);
  SSL_CTX_use_PrivateKey(server_ctx, server_cred.key);
  SSL_CTX_set_max_proto_version(server_ctx, version);
  SSL_CTX_set_verify(server_ctx, SSL_VERIFY_PEER, AcceptAny);
  SSL* server = SSL_new(server_ctx);
  SSL_set_accept_state(server);

  SSL_CTX* ctx = api.ctx_new(api.client_method());
  api.set_client_cert_cb(ctx, ClientCertCallback);
  log += std::string(" get_client_cert_cb=") +
         (api.get_client_cert_cb(ctx) == &ClientCertCallback ? "set" : "other");
  if (setup == "ctx_cert_cb") api.ctx_set_cert_cb(ctx, CertCallback, run);
  SSL* client = api.ssl_new(ctx);
  if (setup == "late_ctx_cert_cb") api.ctx_set_cert_cb(ctx, LateCertCallback, run);
  if (setup == "ssl_cert_cb") api.set_cert_cb(client, CertCallback, run);
  if (setup == "own") {
    log += " own=" + std::to_string(api.use_certificate(client, run->other->cert));
    log += std::to_string(api.use_key(client, run->other->key));
  }
  BIO *client_bio = nullptr, *server_bio = nullptr;
  BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
  api.set_bio(client, client_bio, client_bio);
  SSL_set_bio(server, server_bio, server_bio);
  api.set_connect_state(client);
  ERR_clear_error();
  std::string client_answers, server_answers;
  bool client_done = false, server_done = false;
  for (int step = 0; step < 30 && !(client_done && server_done); step++) {
    if (!client_done) {
      int ret = api.do_handshake(client);
      int err = api.get_error(client, ret);
      if (ret == 1) {
        client_done = true;
        client_answers += " done" + Errors();
      } else if (err != SSL_ERROR_WANT_READ) {
        client_answers += " error " + std::to_string(err) + Errors();
        if (err != SSL_ERROR_WANT_X509_LOOKUP) client_done = true;
      }
    }
    if (!server_done) {
      int ret = SSL_do_handshake(server);
      int err = SSL_get_error(server, ret);
      if (ret == 1) {
        server_done = true;
        server_answers += " done";
      } else if (err != SSL_ERROR_WANT_READ) {
        server_answers += " error " + std::to_string(err) + Errors();
        server_done = true;
      }
    }
  }
  log += " version=" + std::to_string(api.version(client)) + "; client" + client_answers +
         "; server" + server_answers + "; calls:" + run->seen +
         "; server got=" + CommonName(SSL_get0_peer_certificate(server)) +
         "; client has=" + CommonName(api.get_certificate(client));
  api.ssl_free(client);
  api.ctx_free(ctx);
  SSL_free(server);
  SSL_CTX_free(server_ctx);
  g_run = nullptr;
  return log;
}

std::string Script(const Api& api) {
  std::string log;
  Credential mine("mine");
  Credential other("other");
  static const int kept_index = X509_get_ex_new_index(0, nullptr, nullptr, nullptr, NoteKeptFreed);
  struct Case {
    const char* setup;
    const char* client_cert_mode;
    const char* cert_cb_mode;
  };
  const Case cases[] = {
      {"ctx", "give", ""},
      {"ctx", "none", ""},
      {"ctx", "null", ""},
      {"ctx", "retry", ""},
      {"ctx", "retry-written", ""},
      {"ctx", "mismatch", ""},
      {"own", "give", ""},
      {"ssl_cert_cb", "give", "pass"},
      {"ssl_cert_cb", "retry", "retry"},
      {"ssl_cert_cb", "give", "fail"},
      {"ctx_cert_cb", "give", "pass"},
      {"late_ctx_cert_cb", "give", ""},
  };
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const Case& c : cases) {
      Run run;
      run.client_cert_mode = c.client_cert_mode;
      run.cert_cb_mode = c.cert_cb_mode;
      run.mine = &mine;
      run.other = &other;
      Credential kept("kept");
      X509_set_ex_data(kept.cert, kept_index, &g_kept_marker);
      run.kept = kept.cert;
      g_kept_freed = false;
      log += std::to_string(version) + " " + c.setup + "/" + c.client_cert_mode + "/" +
             c.cert_cb_mode + ":" + Handshake(api, version, c.setup, &run);
      log += std::string("; kept certificate freed by the library: ") +
             (g_kept_freed ? "yes" : "no") + "\n";
      X509_set_ex_data(kept.cert, kept_index, nullptr);
    }
  }
  return log;
}

TEST(ClientCertCallback, AnswersAsOpenSsl) {
  const std::string native = Script(RealApi());
  // The script reaches the paths that decide: a certificate the server receives, a retry, the
  // error a bad answer leaves, a failing certificate callback.
  ASSERT_NE(native.find("server got=mine"), std::string::npos) << native;
  ASSERT_NE(native.find("error " + std::to_string(SSL_ERROR_WANT_X509_LOOKUP)), std::string::npos)
      << native;
  ASSERT_NE(native.find(std::to_string(ERR_LIB_SSL) + ":" +
                        std::to_string(SSL_R_BAD_DATA_RETURNED_BY_CALLBACK)),
            std::string::npos)
      << native;
  ASSERT_EQ(native.find("freed by the library: yes"), std::string::npos) << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

}  // namespace
