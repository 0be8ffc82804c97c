// The CA lists, a connection's password callback and the small getters answer through the shim as
// through OpenSSL 3: the same script runs on the real libssl and on the stand-in in this process,
// and what reaches the wire (the CA names a server sends, this side's signature type) is checked
// against a real OpenSSL peer over a BIO pair.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                             \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                                \
  X(ctx_set_verify, SSL_CTX_set_verify)                                   \
  X(ctx_set_client_ca_list, SSL_CTX_set_client_CA_list)                   \
  X(ctx_set_passwd_cb, SSL_CTX_set_default_passwd_cb)                     \
  X(ctx_set_passwd_userdata, SSL_CTX_set_default_passwd_cb_userdata)      \
  X(ctx_set_info_callback, SSL_CTX_set_info_callback)                     \
  X(ctx_set_num_tickets, SSL_CTX_set_num_tickets)                         \
  X(ctx_set_security_level, SSL_CTX_set_security_level)                   \
  X(get_certificate, SSL_get_certificate)                                 \
  X(get_privatekey, SSL_get_privatekey)                                   \
  X(use_key_file, SSL_use_PrivateKey_file)                                \
  X(set_info_callback, SSL_set_info_callback)                             \
  X(set_security_level, SSL_set_security_level)                           \
  X(cipher_find, SSL_CIPHER_find)                                         \
  X(cipher_name, SSL_CIPHER_get_name)                                     \
  X(current_cipher, SSL_get_current_cipher)                               \
  X(ctx_set0_ca_list, SSL_CTX_set0_CA_list)                               \
  X(set0_ca_list, SSL_set0_CA_list)                                       \
  X(ctx_get0_ca_list, SSL_CTX_get0_CA_list)                               \
  X(get0_ca_list, SSL_get0_CA_list)                                       \
  X(ctx_add1_to_ca_list, SSL_CTX_add1_to_CA_list)                         \
  X(add1_to_ca_list, SSL_add1_to_CA_list)                                 \
  X(add_store_subjects, SSL_add_store_cert_subjects_to_stack)             \
  X(load_client_ca_file_ex, SSL_load_client_CA_file_ex)                   \
  X(set_passwd_cb, SSL_set_default_passwd_cb)                             \
  X(set_passwd_userdata, SSL_set_default_passwd_cb_userdata)              \
  X(get_passwd_cb, SSL_get_default_passwd_cb)                             \
  X(get_passwd_userdata, SSL_get_default_passwd_cb_userdata)              \
  X(get_info_callback, SSL_get_info_callback)                             \
  X(get_num_tickets, SSL_get_num_tickets)                                 \
  X(set_num_tickets, SSL_set_num_tickets)                                 \
  X(get_security_callback, SSL_get_security_callback)                     \
  X(ctx_get_security_callback, SSL_CTX_get_security_callback)             \
  X(ctx_get0_security_ex, SSL_CTX_get0_security_ex_data)                  \
  X(ctx_set0_security_ex, SSL_CTX_set0_security_ex_data)                  \
  X(get0_security_ex, SSL_get0_security_ex_data)                          \
  X(set0_security_ex, SSL_set0_security_ex_data)                          \
  X(rstate_string, SSL_rstate_string)                                     \
  X(rstate_string_long, SSL_rstate_string_long)                           \
  X(default_cipher_list, OSSL_default_cipher_list)                        \
  X(default_ciphersuites, OSSL_default_ciphersuites)                      \
  X(group_to_name, SSL_group_to_name)                                     \
  X(get_signature_type_nid, SSL_get_signature_type_nid)                   \
  X(get_pending_cipher, SSL_get_pending_cipher)                           \
  X(bytes_to_cipher_list, SSL_bytes_to_cipher_list)                       \
  X(set_debug, SSL_set_debug)                                             \
  X(alloc_buffers, SSL_alloc_buffers)                                     \
  X(free_buffers, SSL_free_buffers)                                       \
  X(ctx_set_default_read_buffer_len, SSL_CTX_set_default_read_buffer_len) \
  X(set_default_read_buffer_len, SSL_set_default_read_buffer_len)         \
  X(certs_clear, SSL_certs_clear)                                         \
  X(set_msg_callback, SSL_set_msg_callback)                               \
  X(write, SSL_write)                                                     \
  X(trace, SSL_trace)                                                     \
  X(set_ssl_ctx, SSL_set_SSL_CTX)                                         \
  X(get_ssl_ctx, SSL_get_SSL_CTX)                                         \
  X(use_certificate, SSL_use_certificate)                                 \
  X(get_security_level, SSL_get_security_level)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Outcome;
using sslshim::side_by_side::SelfSignedCertificate;

bool OnOpenSslBackend() {
  const char* backend = std::getenv("SSLSHIM_BACKEND");
  return backend != nullptr && std::string(backend) == "openssl";
}

struct Keys {
  EVP_PKEY* ec = EVP_EC_gen("P-256");
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  X509* ec_cert = SelfSignedCertificate(ec, "ec server");
  X509* rsa_cert = SelfSignedCertificate(rsa, "rsa server");
  X509* ca_one = SelfSignedCertificate(ec, "CA one");
  X509* ca_two = SelfSignedCertificate(ec, "CA two");
};

const Keys& TestKeys() {
  static const Keys* keys = new Keys;
  return *keys;
}

// The names of a stack as "CN=a,CN=b", or "null".
std::string Names(const STACK_OF(X509_NAME) * names) {
  if (names == nullptr) return "null";
  std::string out = "[";
  for (int i = 0; i < sk_X509_NAME_num(names); i++) {
    char buf[256];
    X509_NAME_oneline(sk_X509_NAME_value(names, i), buf, sizeof(buf));
    out += (i > 0 ? "," : "") + std::string(buf);
  }
  return out + "]";
}

STACK_OF(X509_NAME) * NameList(std::vector<X509*> certs) {
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  for (X509* x : certs) sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(x)));
  return names;
}

// A scratch directory with PEM files: two certificates (one twice) in a file, another file, and
// an empty one. Removed with everything in it when the test program exits.
struct PemFiles {
  std::string dir;
  std::string two_cas;
  std::string empty;
  std::string bad_block;  // a certificate, then a block that does not decode, then another
  PemFiles() {
    char tmpl[] = "/tmp/sslshim-ca-list-XXXXXX";
    dir = mkdtemp(tmpl);
    two_cas = dir + "/two.pem";
    empty = dir + "/empty.pem";
    FILE* f = std::fopen(two_cas.c_str(), "w");
    PEM_write_X509(f, TestKeys().ca_one);
    PEM_write_X509(f, TestKeys().ca_two);
    PEM_write_X509(f, TestKeys().ca_one);
    std::fclose(f);
    f = std::fopen((dir + "/server.pem").c_str(), "w");
    PEM_write_X509(f, TestKeys().ec_cert);
    std::fclose(f);
    std::fclose(std::fopen(empty.c_str(), "w"));
    bad_block = dir + "/bad-block.pem";
    f = std::fopen(bad_block.c_str(), "w");
    PEM_write_X509(f, TestKeys().ca_one);
    std::fputs("-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n", f);
    PEM_write_X509(f, TestKeys().ca_two);
    std::fclose(f);
  }
  ~PemFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

const PemFiles& Files() {
  static const PemFiles files;
  return files;
}

// --- CA lists -----------------------------------------------------------------------------------

std::string CaListScript(const Api& api) {
  const Keys& keys = TestKeys();
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  SSL* ssl = api.ssl_new(ctx);
  log += "fresh: ctx " + Names(api.ctx_get0_ca_list(ctx)) + " ssl " + Names(api.get0_ca_list(ssl)) +
         "\n";
  // (One call a statement: the order of a + b's operands is unspecified.)
  log += "ctx add1 null: " + Outcome(api.ctx_add1_to_ca_list(ctx, nullptr));
  log += " list " + Names(api.ctx_get0_ca_list(ctx)) + "\n";
  log += "ctx add1: " + Outcome(api.ctx_add1_to_ca_list(ctx, keys.ca_one));
  log += " " + Outcome(api.ctx_add1_to_ca_list(ctx, keys.ca_one));
  log += " list " + Names(api.ctx_get0_ca_list(ctx)) + "\n";
  log += "ssl sees the context's: " + Names(api.get0_ca_list(ssl)) + "\n";
  STACK_OF(X509_NAME)* mine = NameList({keys.ca_two});
  api.set0_ca_list(ssl, mine);
  log += "ssl set0: " + Outcome(0) + " same object " +
         (api.get0_ca_list(ssl) == mine ? "yes" : "no") + " " + Names(api.get0_ca_list(ssl)) + "\n";
  log += "ssl add1: " + Outcome(api.add1_to_ca_list(ssl, keys.ca_one));
  log += " " + Names(api.get0_ca_list(ssl)) + " ctx " + Names(api.ctx_get0_ca_list(ctx)) + "\n";
  api.set0_ca_list(ssl, nullptr);
  log += "ssl set0 null: back to the context's " + Names(api.get0_ca_list(ssl)) + "\n";
  STACK_OF(X509_NAME)* empty = sk_X509_NAME_new_null();
  api.ctx_set0_ca_list(ctx, empty);
  log += "ctx set0 empty: " + Outcome(0) + " same object " +
         (api.ctx_get0_ca_list(ctx) == empty ? "yes" : "no") + " " +
         Names(api.ctx_get0_ca_list(ctx)) + "\n";
  api.ctx_set0_ca_list(ctx, nullptr);
  log += "ctx set0 null: " + Names(api.ctx_get0_ca_list(ctx)) + "\n";
  log += "ssl add1 without a list: " + Outcome(api.add1_to_ca_list(ssl, keys.ca_two));
  log += " " + Names(api.get0_ca_list(ssl)) + "\n";
  api.ssl_free(ssl);
  api.ctx_free(ctx);

  // Files and stores. A null file name (the empty string here) is left out under AddressSanitizer:
  // OpenSSL hands it to fopen, which glibc answers with EFAULT and ASan's fopen interceptor
  // crashes on, in the real libssl's run before the shim's is reached.
  const PemFiles& files = Files();
  std::vector<std::string> ca_files = {files.two_cas, files.empty, files.bad_block,
                                       files.dir + "/missing.pem"};
#if defined(__SANITIZE_ADDRESS__)
#define SSLSHIM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSLSHIM_TEST_ASAN 1
#endif
#endif
#ifndef SSLSHIM_TEST_ASAN
  ca_files.push_back(std::string());
#endif
  for (const std::string& file : ca_files) {
    const char* path = file.empty() ? nullptr : file.c_str();
    const std::string label = file.empty() ? "(null)" : file.substr(files.dir.size());
    STACK_OF(X509_NAME)* loaded = api.load_client_ca_file_ex(path, nullptr, nullptr);
    log += "load_client_CA_file_ex " + label + ": " + Names(loaded) + " " + Outcome(0) + "\n";
    sk_X509_NAME_pop_free(loaded, X509_NAME_free);
  }
  for (const std::string& uri : {files.two_cas, files.dir, files.empty, files.dir + "/missing"}) {
    STACK_OF(X509_NAME)* stack = NameList({keys.ca_two});
    const int ret = api.add_store_subjects(stack, uri.c_str());
    const std::string label = uri.size() > files.dir.size() ? uri.substr(files.dir.size()) : "dir";
    log += "add_store_cert_subjects " + label + ": " + Outcome(ret) + " " + Names(stack) + "\n";
    sk_X509_NAME_pop_free(stack, X509_NAME_free);
  }
  return log;
}

TEST(CaLists, AnswerAsOpenSsl) {
  const std::string native = CaListScript(RealApiOnce());
  ASSERT_NE(native.find("ssl set0 null: back to the context's [/CN=CA one,/CN=CA one]"),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("load_client_CA_file_ex /two.pem: [/CN=CA one,/CN=CA two]"),
            std::string::npos)
      << native;
  EXPECT_EQ(CaListScript(ShimApi()), native);
}

// The program's side against a real OpenSSL peer (side_by_side.h).
std::string RunAgainstPeer(const Api& api, bool program_is_client, int version, EVP_PKEY* key,
                           X509* cert, const std::function<void(SSL_CTX*, SSL_CTX*)>& configure,
                           const std::function<void(SSL*)>& configure_ssl,
                           const std::function<std::string(SSL*, SSL*)>& after) {
  return sslshim::side_by_side::RunAgainstPeer(api, RealApiOnce(), program_is_client, version, key,
                                               cert, configure, configure_ssl, after);
}

// What a server sends: the client CA list where it is not empty, else the CA list; the context's
// or the connection's own.
std::string CaListWireScript(const Api& api) {
  const Keys& keys = TestKeys();
  std::string log;
  struct Run {
    const char* name;
    std::vector<X509*> client_ca;  // on the context; none when empty unless client_ca_empty
    bool client_ca_empty;
    std::vector<X509*> ctx_ca;
    std::vector<X509*> ssl_ca;
  };
  const Run runs[] = {
      {"ca list only", {}, false, {keys.ca_one}, {}},
      {"empty client ca list", {}, true, {keys.ca_one, keys.ca_two}, {}},
      {"client ca list wins", {keys.ca_two}, false, {keys.ca_one}, {}},
      {"connection's ca list", {}, false, {keys.ca_one}, {keys.ca_two}},
      {"none", {}, false, {}, {}},
  };
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const Run& run : runs) {
      std::string out = RunAgainstPeer(
          api, false, version, keys.ec, keys.ec_cert,
          [&](SSL_CTX* ctx, SSL_CTX*) {
            api.ctx_set_verify(ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
            if (!run.client_ca.empty() || run.client_ca_empty) {
              api.ctx_set_client_ca_list(ctx, NameList(run.client_ca));
            }
            if (!run.ctx_ca.empty()) api.ctx_set0_ca_list(ctx, NameList(run.ctx_ca));
          },
          [&](SSL* ssl) {
            if (!run.ssl_ca.empty()) api.set0_ca_list(ssl, NameList(run.ssl_ca));
          },
          [](SSL*, SSL* peer) { return "client saw " + Names(SSL_get0_peer_CA_list(peer)); });
      log += std::string(version == TLS1_3_VERSION ? "TLS 1.3 " : "TLS 1.2 ") + run.name + ": " +
             out + "\n";
    }
  }
  // A client's CA list goes in its TLS 1.3 ClientHello (certificate_authorities).
  std::string out = RunAgainstPeer(
      api, true, TLS1_3_VERSION, keys.ec, keys.ec_cert,
      [&](SSL_CTX* ctx, SSL_CTX*) { api.ctx_set0_ca_list(ctx, NameList({keys.ca_one})); }, {},
      [](SSL*, SSL* peer) { return "server saw " + Names(SSL_get0_peer_CA_list(peer)); });
  log += "TLS 1.3 client ca list: " + out + "\n";
  return log;
}

TEST(CaLists, ServersSendAsOpenSsl) {
  std::string native = CaListWireScript(RealApiOnce());
  ASSERT_NE(native.find("TLS 1.3 ca list only: done / done client saw [/CN=CA one]"),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("TLS 1.2 client ca list wins: done / done client saw [/CN=CA two]"),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("TLS 1.3 client ca list: done / done server saw [/CN=CA one]"),
            std::string::npos)
      << native;
  if (!OnOpenSslBackend()) {
    // BoringSSL's client sends no certificate_authorities extension: the server sees none.
    const size_t at = native.find("TLS 1.3 client ca list:");
    native.replace(at, native.find('\n', at) - at,
                   "TLS 1.3 client ca list: done / done server saw null");
  }
  EXPECT_EQ(CaListWireScript(ShimApi()), native);
}

// --- The connection's password callback ---------------------------------------------------------

std::vector<std::string>* password_log = new std::vector<std::string>;

int Password(char* buf, int size, int, void* u) {
  password_log->push_back(u != nullptr ? static_cast<const char*>(u) : "(null)");
  const char secret[] = "secret";
  if (size < static_cast<int>(sizeof(secret))) return 0;
  std::memcpy(buf, secret, sizeof(secret));
  return static_cast<int>(sizeof(secret)) - 1;
}

int WrongPassword(char* buf, int size, int, void* u) {
  password_log->push_back(std::string("wrong ") +
                          (u != nullptr ? static_cast<const char*>(u) : ""));
  if (size < 2) return 0;
  std::memcpy(buf, "x", 2);
  return 1;
}

// "answer lib:reason" with the last queued error ("-" for none), the queue emptied.
std::string LastErrorOutcome(long ret) {
  const unsigned long error = ERR_peek_last_error();
  ERR_clear_error();
  return std::to_string(ret) + " " +
         (error != 0
              ? std::to_string(ERR_GET_LIB(error)) + ":" + std::to_string(ERR_GET_REASON(error))
              : "-");
}

std::string PasswordScript(const Api& api) {
  static char ctx_data[] = "context's";
  static char ssl_data[] = "connection's";
  password_log->clear();
  const std::string key_file = Files().dir + "/encrypted-key.pem";
  FILE* f = std::fopen(key_file.c_str(), "w");
  PEM_write_PrivateKey(f, TestKeys().ec, EVP_aes_128_cbc(), nullptr, 0, nullptr,
                       const_cast<char*>("secret"));
  std::fclose(f);
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  SSL* before = api.ssl_new(ctx);
  api.ctx_set_passwd_cb(ctx, WrongPassword);
  api.ctx_set_passwd_userdata(ctx, ctx_data);
  SSL* ssl = api.ssl_new(ctx);
  log += std::string("made before: ") + (api.get_passwd_cb(before) == nullptr ? "none" : "set") +
         ", after: " + (api.get_passwd_cb(ssl) == WrongPassword ? "the context's" : "other") +
         " with " +
         (api.get_passwd_userdata(ssl) == ctx_data ? "the context's data" : "other data") + "\n";
  // The wrong password fails in libcrypto's PEM decoders, whose own errors come first in an order
  // that depends on what the process fetched before (not libssl's to choose); the error libssl
  // adds is the last.
  log += "use_PrivateKey_file with the context's: " +
         LastErrorOutcome(api.use_key_file(ssl, key_file.c_str(), SSL_FILETYPE_PEM)) + "\n";
  api.set_passwd_cb(ssl, Password);
  api.set_passwd_userdata(ssl, ssl_data);
  log += "use_PrivateKey_file with its own: " +
         Outcome(api.use_key_file(ssl, key_file.c_str(), SSL_FILETYPE_PEM));
  log += std::string(" key ") + (api.get_privatekey(ssl) != nullptr ? "set" : "none") + "\n";
  api.set_passwd_cb(ssl, nullptr);
  log += std::string("cleared: ") + (api.get_passwd_cb(ssl) == nullptr ? "none" : "set") + "\n";
  for (const std::string& call : *password_log) log += "callback: " + call + "\n";
  api.ssl_free(before);
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(ConnectionPasswordCallback, AnswersAsOpenSsl) {
  const std::string native = PasswordScript(RealApiOnce());
  ASSERT_NE(native.find("callback: connection's"), std::string::npos) << native;
  EXPECT_EQ(PasswordScript(ShimApi()), native);
}

// --- SSL_set_SSL_CTX
// ------------------------------------------------------------------------------

// Which of the script's contexts `ctx` is.
std::string Which(const SSL_CTX* ctx, const SSL_CTX* first, const SSL_CTX* second) {
  return ctx == first ? "first" : ctx == second ? "second" : ctx == nullptr ? "null" : "other";
}

// SSL_set_SSL_CTX(ssl, NULL) goes back to the SSL_new context (OpenSSL's session_ctx), as a
// server's SNI callback may do; the same context again changes nothing. A switch takes the new
// context's certificate settings whole (OpenSSL copies its CERT): its certificate and key, not the
// one the connection had set, and its security level.
std::string SetSslCtxScript(const Api& api) {
  const Keys& keys = TestKeys();
  std::string log;
  SSL_CTX* first = api.ctx_new(api.server_method());
  SSL_CTX* second = api.ctx_new(api.server_method());
  api.ctx_use_certificate(first, keys.ec_cert);
  api.ctx_use_key(first, keys.ec);
  api.ctx_use_certificate(second, keys.rsa_cert);
  api.ctx_use_key(second, keys.rsa);
  api.ctx_set_security_level(second, 1);
  SSL* ssl = api.ssl_new(first);
  api.use_certificate(ssl, keys.ca_one);  // the same EC key as ec_cert
  auto certificate = [&] {
    X509* x = api.get_certificate(ssl);
    return std::string(x == keys.ca_one     ? "own"
                       : x == keys.ec_cert  ? "first's"
                       : x == keys.rsa_cert ? "second's"
                       : x == nullptr       ? "none"
                                            : "other");
  };
  log += "before: certificate " + certificate() + " level " +
         std::to_string(api.get_security_level(ssl)) + "\n";
  log += "to second: " + Which(api.set_ssl_ctx(ssl, second), first, second);
  log += " now " + Which(api.get_ssl_ctx(ssl), first, second) + " certificate " + certificate() +
         " key " + (api.get_privatekey(ssl) == keys.rsa ? "second's" : "other") + " level " +
         std::to_string(api.get_security_level(ssl)) + "\n";
  log += "again: " + Which(api.set_ssl_ctx(ssl, second), first, second) + "\n";
  log += "null: " + Which(api.set_ssl_ctx(ssl, nullptr), first, second);
  log += " now " + Which(api.get_ssl_ctx(ssl), first, second) + " certificate " + certificate() +
         " level " + std::to_string(api.get_security_level(ssl)) + "\n";
  log += "null again: " + Which(api.set_ssl_ctx(ssl, nullptr), first, second) + " " + Outcome(0) +
         "\n";
  api.ssl_free(ssl);
  api.ctx_free(second);
  api.ctx_free(first);
  return log;
}

TEST(SetSslCtx, NullGoesBackToTheSslNewContextAsOpenSsl) {
  const std::string native = SetSslCtxScript(RealApiOnce());
  ASSERT_NE(native.find("null: first now first certificate first's level 2"), std::string::npos)
      << native;
  EXPECT_EQ(SetSslCtxScript(ShimApi()), native);
}

// --- Small getters ------------------------------------------------------------------------------

void InfoCallback(const SSL*, int, int) {}

std::string SmallGettersScript(const Api& api) {
  const Keys& keys = TestKeys();
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  api.ctx_set_info_callback(ctx, InfoCallback);
  api.ctx_use_certificate(ctx, keys.ec_cert);
  api.ctx_use_key(ctx, keys.ec);
  api.ctx_set_num_tickets(ctx, 3);
  static int ex_data = 0;
  api.ctx_set0_security_ex(ctx, &ex_data);
  SSL* ssl = api.ssl_new(ctx);
  log += std::string("info callback: ") + (api.get_info_callback(ssl) == nullptr ? "none" : "set");
  api.set_info_callback(ssl, InfoCallback);
  log += std::string(", after set: ") +
         (api.get_info_callback(ssl) == InfoCallback ? "ours" : "other") + "\n";
  log += "num_tickets: " + std::to_string(api.get_num_tickets(ssl));
  log += ", set 3 " + Outcome(api.set_num_tickets(ssl, 3));
  log += " now " + std::to_string(api.get_num_tickets(ssl)) + "\n";
  log += std::string("security ex: ctx ") +
         (api.ctx_get0_security_ex(ctx) == &ex_data ? "ours" : "other");
  log +=
      std::string(", ssl ") + (api.get0_security_ex(ssl) == &ex_data ? "the context's" : "other");
  api.set0_security_ex(ssl, nullptr);
  log += std::string(", ssl after set0 null ") +
         (api.get0_security_ex(ssl) == nullptr ? "null" : "set") + ", ctx " +
         (api.ctx_get0_security_ex(ctx) == &ex_data ? "ours" : "other") + "\n";
  // The default security callback, asked about versions, bits and suites at each level.
  auto ssl_cb = api.get_security_callback(ssl);
  auto ctx_cb = api.ctx_get_security_callback(ctx);
  log += std::string("security callbacks: ") + (ssl_cb != nullptr ? "set" : "none") + " " +
         (ctx_cb == ssl_cb ? "same" : "differ") + "\n";
  const unsigned char suites[][2] = {{0x13, 0x01}, {0xc0, 0x2f}, {0x00, 0x9c},
                                     {0xc0, 0x13}, {0x00, 0x2f}, {0xc0, 0x2b}};
  for (int level = 0; level <= 5; level++) {
    api.set_security_level(ssl, level);
    api.ctx_set_security_level(ctx, level);
    log += "level " + std::to_string(level) + ":";
    for (int version : {SSL3_VERSION, TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION}) {
      log += " v" +
             std::to_string(ssl_cb(ssl, nullptr, SSL_SECOP_VERSION, 0, version, nullptr, nullptr));
    }
    for (int bits : {64, 80, 112, 128, 192, 256}) {
      log += " b" + std::to_string(
                        ssl_cb(ssl, nullptr, SSL_SECOP_CURVE_SHARED, bits, 0, nullptr, nullptr));
      log += std::to_string(ctx_cb(nullptr, ctx, SSL_SECOP_TMP_DH, bits, 0, nullptr, nullptr));
    }
    log += " t" + std::to_string(ssl_cb(ssl, nullptr, SSL_SECOP_TICKET, 0, 0, nullptr, nullptr));
    log +=
        " z" + std::to_string(ssl_cb(ssl, nullptr, SSL_SECOP_COMPRESSION, 0, 0, nullptr, nullptr));
    for (const auto& suite : suites) {
      const SSL_CIPHER* c = api.cipher_find(ssl, suite);
      log += " c" + std::to_string(ssl_cb(ssl, nullptr, SSL_SECOP_CIPHER_SUPPORTED, 128, 0,
                                          const_cast<SSL_CIPHER*>(c), nullptr));
    }
    log += "\n";
  }
  // On BoringSSL the shim refuses levels above 2 (fail closed, with a reason queued): what this
  // script compares is the callback's answers, which follow the level set either way.
  ERR_clear_error();
  api.set_security_level(ssl, 2);
  log +=
      std::string("rstate: ") + api.rstate_string(ssl) + " " + api.rstate_string_long(ssl) + "\n";
  log += std::string("defaults: ") + api.default_cipher_list() + " | " +
         api.default_ciphersuites() + "\n";
  log += "groups:";
  for (int nid :
       {NID_X9_62_prime256v1, NID_secp384r1, NID_X25519, NID_X448, NID_ffdhe2048,
        NID_brainpoolP256r1, NID_sect163k1, NID_secp224r1, NID_secp256k1, NID_X9_62_prime192v1,
        NID_sha256, 0, TLSEXT_nid_unknown | 29, TLSEXT_nid_unknown | 0x1234}) {
    const char* name = api.group_to_name(ssl, nid);
    log += std::string(" ") + (name != nullptr ? name : "null");
  }
  log += "\n";
  int type_nid = -1;
  log +=
      "signature type before a handshake: " + Outcome(api.get_signature_type_nid(ssl, &type_nid));
  log += " " + std::to_string(type_nid) + ", pending cipher " +
         (api.get_pending_cipher(ssl) == nullptr ? "none" : "set") + "\n";
  // Cipher suite bytes.
  const unsigned char list[] = {0x13, 0x01, 0x00, 0xff, 0xc0, 0x2f, 0x0a, 0x0a, 0x56, 0x00};
  const unsigned char v2list[] = {0x00, 0x13, 0x01, 0x01, 0x00, 0x80, 0x00, 0xc0, 0x2f};
  auto bytes_line = [&](const char* what, const unsigned char* bytes, size_t len, int v2,
                        bool want_scsvs) {
    STACK_OF(SSL_CIPHER)* sk = nullptr;
    STACK_OF(SSL_CIPHER)* scsvs = nullptr;
    int ret = api.bytes_to_cipher_list(ssl, bytes, len, v2, &sk, want_scsvs ? &scsvs : nullptr);
    log += std::string(what) + ": " + Outcome(ret);
    for (auto* stack : {sk, scsvs}) {
      log += " [";
      for (int i = 0; stack != nullptr && i < sk_SSL_CIPHER_num(stack); i++) {
        log += std::string(i > 0 ? "," : "") + api.cipher_name(sk_SSL_CIPHER_value(stack, i));
      }
      log += "]";
      sk_SSL_CIPHER_free(stack);
    }
    log += "\n";
  };
  bytes_line("bytes", list, sizeof(list), 0, true);
  bytes_line("bytes without scsvs", list, sizeof(list), 0, false);
  bytes_line("v2 bytes", v2list, sizeof(v2list), 1, true);
  bytes_line("odd", list, 3, 0, true);
  bytes_line("empty", list, 0, 0, true);
  api.set_debug(ssl, 1);
  log += "buffers: alloc " + Outcome(api.alloc_buffers(ssl));
  log += " free " + Outcome(api.free_buffers(ssl)) + "\n";
  api.ctx_set_default_read_buffer_len(ctx, 4096);
  api.set_default_read_buffer_len(ssl, 4096);
  log += std::string("certificate: ") + (api.get_certificate(ssl) != nullptr ? "set" : "none") +
         ", key " + (api.get_privatekey(ssl) != nullptr ? "set" : "none");
  api.certs_clear(ssl);
  log += std::string("; after certs_clear: ") +
         (api.get_certificate(ssl) != nullptr ? "set" : "none") + ", key " +
         (api.get_privatekey(ssl) != nullptr ? "set" : "none") + " " + Outcome(0) + "\n";
  SSL* fresh = api.ssl_new(ctx);
  log += std::string("a new connection has the context's: ") +
         (api.get_certificate(fresh) != nullptr ? "set" : "none") + "\n";
  api.ssl_free(fresh);
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(SmallGetters, AnswerAsOpenSsl) {
  std::string native = SmallGettersScript(RealApiOnce());
  ASSERT_NE(native.find("num_tickets: 3, set 3 1 - now 3"), std::string::npos) << native;
  ASSERT_NE(native.find("groups: secp256r1 secp384r1 x25519"), std::string::npos) << native;
  ASSERT_NE(native.find("after certs_clear: none, key none"), std::string::npos) << native;
  EXPECT_EQ(SmallGettersScript(ShimApi()), native);
}

int tickets_received = 0;

// The TLS 1.3 tickets a real OpenSSL client receives from the program's server, whose connection
// asked for `count` (-1: left as its context's, 2).
std::string TicketsSent(const Api& api, long count) {
  std::string set = "-";
  std::string out = RunAgainstPeer(
      api, false, TLS1_3_VERSION, TestKeys().ec, TestKeys().ec_cert,
      [](SSL_CTX*, SSL_CTX* peer_ctx) {
        SSL_CTX_set_session_cache_mode(peer_ctx, SSL_SESS_CACHE_CLIENT);
        SSL_CTX_sess_set_new_cb(peer_ctx, [](SSL*, SSL_SESSION*) {
          tickets_received++;
          return 0;
        });
      },
      [&](SSL* ssl) {
        if (count >= 0) set = Outcome(api.set_num_tickets(ssl, static_cast<size_t>(count)));
      },
      [&](SSL* ssl, SSL* peer) {
        tickets_received = 0;
        // A BoringSSL server's tickets leave with its first write; OpenSSL's with the handshake.
        api.write(ssl, "x", 1);
        char byte = 0;
        const int read = SSL_read(peer, &byte, 1);
        return "read " + std::to_string(read) + ", tickets " + std::to_string(tickets_received);
      });
  return "set " + set + ": " + out;
}

// A connection's own count: OpenSSL sends it. BoringSSL sends its context's count, or (the shim
// withholding them) none; the shim on BoringSSL refuses any other count rather than answer for
// tickets it will not send.
TEST(SmallGetters, ConnectionTicketCount) {
  const Api shim = ShimApi();
  for (long count : {-1L, 0L, 2L, 5L}) {
    std::string native = TicketsSent(RealApiOnce(), count);
    ASSERT_NE(native.find("tickets " + std::to_string(count < 0 ? 2 : count)), std::string::npos)
        << native;
    if (count == 5 && !OnOpenSslBackend()) {
      native = "set 0 20:" + std::to_string(ERR_R_PASSED_INVALID_ARGUMENT) +
               ": done / done read 1, tickets 2";
    }
    EXPECT_EQ(TicketsSent(shim, count), native) << count;
  }
  SSL_CTX* ctx = shim.ctx_new(shim.server_method());
  SSL* ssl = shim.ssl_new(ctx);
  shim.set_num_tickets(ssl, 5);
  ERR_clear_error();
  EXPECT_EQ(shim.get_num_tickets(ssl), OnOpenSslBackend() ? 5u : 2u);
  shim.ssl_free(ssl);
  shim.ctx_free(ctx);
}

// After handshakes: this side's signature type, the pending cipher, the record state, buffers.
std::string HandshakeStateScript(const Api& api) {
  const Keys& keys = TestKeys();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool rsa : {false, true}) {
      for (bool program_is_client : {false, true}) {
        std::string out = RunAgainstPeer(
            api, program_is_client, version, rsa ? keys.rsa : keys.ec,
            rsa ? keys.rsa_cert : keys.ec_cert,
            [&](SSL_CTX* ctx, SSL_CTX* peer_ctx) {
              // The suite is the peer's choice, whatever order the program's library offers.
              SSL_CTX_set_options(peer_ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
              if (!program_is_client) return;
              // The program, a client, signs too: the server asks for its certificate.
              api.ctx_use_certificate(ctx, rsa ? keys.rsa_cert : keys.ec_cert);
              api.ctx_use_key(ctx, rsa ? keys.rsa : keys.ec);
              SSL_CTX_set_verify(peer_ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
            },
            {},
            [&](SSL* ssl, SSL*) {
              int nid = -1;
              std::string s = "signature type " + Outcome(api.get_signature_type_nid(ssl, &nid));
              s += " " + std::to_string(nid);
              const SSL_CIPHER* pending = api.get_pending_cipher(ssl);
              s += std::string(" pending ") +
                   (pending != nullptr ? api.cipher_name(pending) : "none") +
                   (pending == api.current_cipher(ssl) ? " (current)" : " (not current)");
              s += std::string(" rstate ") + api.rstate_string(ssl);
              s += " free_buffers " + Outcome(api.free_buffers(ssl));
              s += " alloc_buffers " + Outcome(api.alloc_buffers(ssl));
              return s;
            });
        log += std::string(version == TLS1_3_VERSION ? "TLS 1.3 " : "TLS 1.2 ") +
               (rsa ? "RSA " : "EC ") + (program_is_client ? "client" : "server") + ": " + out +
               "\n";
      }
    }
  }
  // A TLS 1.2 server with RSA key exchange signs nothing.
  std::string out = RunAgainstPeer(
      api, false, TLS1_2_VERSION, keys.rsa, keys.rsa_cert,
      [](SSL_CTX*, SSL_CTX* peer_ctx) { SSL_CTX_set_cipher_list(peer_ctx, "AES128-GCM-SHA256"); },
      {},
      [&](SSL* ssl, SSL*) {
        int nid = -1;
        std::string s = "signature type " + Outcome(api.get_signature_type_nid(ssl, &nid));
        return s + " " + std::to_string(nid);
      });
  log += "TLS 1.2 RSA key exchange server: " + out + "\n";
  return log;
}

TEST(SmallGetters, AfterHandshakesAsOpenSsl) {
  std::string native = HandshakeStateScript(RealApiOnce());
  ASSERT_NE(native.find("TLS 1.3 EC server: done / done signature type 1 - " +
                        std::to_string(EVP_PKEY_EC)),
            std::string::npos)
      << native;
  // Measured: OpenSSL 3 reports the scheme it chose for its RSA certificate (rsa_pss_rsae_*: the
  // RSA-PSS type) though RSA key exchange signs nothing. BoringSSL does not say what it would
  // have chosen, and the shim on it reports the signatures made, so none.
  const std::string rsa_kx = "TLS 1.2 RSA key exchange server: done / done signature type ";
  ASSERT_NE(native.find(rsa_kx + "1 - " + std::to_string(EVP_PKEY_RSA_PSS)), std::string::npos)
      << native;
  if (!OnOpenSslBackend()) {
    const size_t at = native.find(rsa_kx);
    native.replace(at, native.find('\n', at) - at, rsa_kx + "0 - -1");
  }
  EXPECT_EQ(HandshakeStateScript(ShimApi()), native);
}

// --- SSL_trace ----------------------------------------------------------------------------------

// What the program's message callback was given, and what the shim's SSL_trace printed for it.
struct TracedMessage {
  int write_p, version, content_type;
  std::vector<unsigned char> bytes;
  std::string printed;
};
std::vector<TracedMessage>* traced = new std::vector<TracedMessage>;
decltype(&SSL_trace) shim_trace = nullptr;

std::string Printed(decltype(&SSL_trace) trace, int write_p, int version, int content_type,
                    const void* buf, size_t len, SSL* ssl) {
  BIO* bio = BIO_new(BIO_s_mem());
  trace(write_p, version, content_type, buf, len, ssl, bio);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

void CaptureAndTrace(int write_p, int version, int content_type, const void* buf, size_t len,
                     SSL* ssl, void*) {
  const auto* bytes = static_cast<const unsigned char*>(buf);
  traced->push_back({write_p, version, content_type, std::vector<unsigned char>(bytes, bytes + len),
                     Printed(shim_trace, write_p, version, content_type, buf, len, ssl)});
}

// The shim prints what OpenSSL prints for records, ChangeCipherSpec and alerts, and each handshake
// message's first line (OpenSSL goes on to decode the body; the shim does not).
TEST(SslTrace, PrintsRecordsAndMessageHeadersAsOpenSsl) {
  const Api shim = ShimApi();
  const Api& real = RealApiOnce();
  const Keys& keys = TestKeys();
  shim_trace = shim.trace;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool program_is_client : {true, false}) {
      traced->clear();
      SSL* native_ssl = nullptr;
      // A native connection of the same version and role that has finished its handshake, for
      // OpenSSL's printer (which reads the connection's state while decoding bodies).
      RunAgainstPeer(
          real, program_is_client, version, keys.ec, keys.ec_cert, [](SSL_CTX*, SSL_CTX*) {}, {},
          [&](SSL* ssl, SSL*) {
            SSL_up_ref(ssl);
            native_ssl = ssl;
            return std::string();
          });
      std::string out = RunAgainstPeer(
          shim, program_is_client, version, keys.ec, keys.ec_cert, [](SSL_CTX*, SSL_CTX*) {},
          [&](SSL* ssl) { shim.set_msg_callback(ssl, CaptureAndTrace); },
          [](SSL*, SSL*) { return std::string(); });
      ASSERT_EQ(out.rfind("done / done", 0), 0u) << out;
      ASSERT_GT(traced->size(), 8u);
      int handshake_messages = 0;
      int record_headers = 0;
      for (const TracedMessage& m : *traced) {
        if (m.content_type == SSL3_RT_HEADER) record_headers++;
        const std::string native = Printed(&SSL_trace, m.write_p, m.version, m.content_type,
                                           m.bytes.data(), m.bytes.size(), native_ssl);
        if (m.content_type == SSL3_RT_HANDSHAKE) {
          handshake_messages++;
          const std::string first_line = native.substr(0, native.find('\n') + 1);
          EXPECT_EQ(m.printed, first_line + "\n") << native;
        } else {
          EXPECT_EQ(m.printed, native);
        }
      }
      EXPECT_GT(handshake_messages, 3);
      EXPECT_GT(record_headers, 3);
      SSL_free(native_ssl);
    }
  }
  // What does not come from a handshake: alerts, a ChangeCipherSpec, odd lengths.
  SSL_CTX* shim_ctx = shim.ctx_new(shim.client_method());
  SSL* shim_ssl = shim.ssl_new(shim_ctx);
  SSL_CTX* native_ctx = SSL_CTX_new(TLS_client_method());
  SSL* native_ssl = SSL_new(native_ctx);
  struct Input {
    int content_type;
    std::vector<unsigned char> bytes;
  };
  for (const Input& input :
       {Input{SSL3_RT_ALERT, {2, 40}}, Input{SSL3_RT_ALERT, {1, 0}}, Input{SSL3_RT_ALERT, {2}},
        Input{SSL3_RT_CHANGE_CIPHER_SPEC, {1}}, Input{SSL3_RT_CHANGE_CIPHER_SPEC, {2, 3}},
        Input{SSL3_RT_HEADER, {22, 3, 1}}, Input{SSL3_RT_HEADER, {23, 3, 3, 0x12, 0x34}},
        Input{SSL3_RT_HEADER, {99, 0x7f, 0x1c, 0, 1}}, Input{SSL3_RT_INNER_CONTENT_TYPE, {22}},
        Input{SSL3_RT_HANDSHAKE, {1, 0}}, Input{SSL3_RT_HANDSHAKE, {20, 0, 0, 9, 1, 2}}}) {
    for (int write_p : {0, 1}) {
      EXPECT_EQ(Printed(shim.trace, write_p, TLS1_2_VERSION, input.content_type, input.bytes.data(),
                        input.bytes.size(), shim_ssl),
                Printed(&SSL_trace, write_p, TLS1_2_VERSION, input.content_type, input.bytes.data(),
                        input.bytes.size(), native_ssl))
          << input.content_type;
    }
  }
  shim.ssl_free(shim_ssl);
  shim.ctx_free(shim_ctx);
  SSL_free(native_ssl);
  SSL_CTX_free(native_ctx);
}

}  // namespace
