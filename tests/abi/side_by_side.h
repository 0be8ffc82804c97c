// Running one script on OpenSSL's libssl and on the shim's stand-in in one process: the test links
// the real libssl, and the stand-in is opened RTLD_LOCAL beside it, so each name can be resolved
// in both and the two answers compared.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace sslshim::side_by_side {

// The stand-in, opened once per process (nullptr, with a test failure, if it cannot be).
inline void* Standin() {
  static void* lib = dlopen(SSLSHIM_STANDIN_LIB, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(lib, nullptr) << dlerror();
  return lib;
}

// The stand-in's definition of `name`; a test failure if it is missing or is the real libssl's
// (the comparison would then prove nothing).
template <typename Fn>
Fn Shim(const char* name, Fn real) {
  void* lib = Standin();
  auto fn = lib != nullptr ? reinterpret_cast<Fn>(dlsym(lib, name)) : nullptr;
  EXPECT_NE(fn, nullptr) << name;
  EXPECT_NE(reinterpret_cast<void*>(fn), reinterpret_cast<void*>(real))
      << name << " resolved to the real libssl: the comparison would prove nothing";
  return fn;
}

// Bytes as lowercase hex.
inline std::string Hex(const unsigned char* p, size_t len) {
  std::string out;
  char byte[3];
  for (size_t i = 0; i < len; i++) {
    snprintf(byte, sizeof byte, "%02x", p[i]);
    out += byte;
  }
  return out;
}

// "answer lib:reason" for a call (the first queued error, "-" for none), the queue emptied.
inline std::string Outcome(long ret) {
  unsigned long error = ERR_get_error();
  std::string out =
      std::to_string(ret) + " " +
      (error != 0 ? std::to_string(ERR_GET_LIB(error)) + ":" + std::to_string(ERR_GET_REASON(error))
                  : "-");
  ERR_clear_error();
  return out;
}

// A self-signed certificate for `key`, valid for an hour (nullptr if signing failed).
inline X509* SelfSignedCertificate(EVP_PKEY* key, const char* common_name) {
  X509* cert = X509_new();
  if (cert == nullptr || key == nullptr) return cert;
  X509_set_version(cert, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  X509_set_pubkey(cert, key);
  if (X509_sign(cert, key, EVP_sha256()) <= 0) {
    X509_free(cert);
    return nullptr;
  }
  return cert;
}

// A certificate for `key`, issued by `issuer` (signed with `issuer_key`), or self-signed when
// issuer is null; a CA when `ca`.
inline X509* IssuedCertificate(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key,
                               bool ca) {
  X509* cert = X509_new();
  X509_set_version(cert, X509_VERSION_3);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(issuer != nullptr ? issuer : cert));
  X509_set_pubkey(cert, key);
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &v3, NID_basic_constraints,
                                           ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  X509_add_ext(cert, bc, -1);
  X509_EXTENSION_free(bc);
  X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256());
  return cert;
}

// A P-256 key and a self-signed certificate for it with the given common name, freed with it.
struct Credential {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  explicit Credential(const char* common_name)
      : key(EVP_EC_gen("P-256")), cert(SelfSignedCertificate(key, common_name)) {}
  ~Credential() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  Credential(const Credential&) = delete;
  Credential& operator=(const Credential&) = delete;
};

// One side of a handshake: `api`'s functions (the shim's or the real libssl's; its do_handshake
// and get_error fields) on `ssl`.
template <typename Api>
struct Side {
  const Api* api;
  SSL* ssl;
};

// Runs both sides in turn (over a BIO pair, say): "done", or the side's SSL_get_error and first
// reason, for each side ("a / b").
template <typename Api>
std::string Handshake(Side<Api> a, Side<Api> b) {
  std::string result[2];
  Side<Api> sides[2] = {a, b};
  bool done[2] = {false, false};
  for (int step = 0; step < 40 && !(done[0] && done[1]); step++) {
    for (int i = 0; i < 2; i++) {
      if (done[i]) continue;
      int ret = sides[i].api->do_handshake(sides[i].ssl);
      int err = sides[i].api->get_error(sides[i].ssl, ret);
      if (ret == 1) {
        done[i] = true;
        result[i] = "done";
      } else if (err != SSL_ERROR_WANT_READ) {
        done[i] = true;
        result[i] = "error " + std::to_string(err) + " " + Outcome(ret);
      }
    }
  }
  ERR_clear_error();
  return result[0] + " / " + result[1];
}

// Joins the program's `ssl` (through `api`) and a real OpenSSL `peer` by a BIO pair, each side
// in its role, ready for Handshake.
template <typename Api>
void ConnectOverBioPair(const Api& api, SSL* ssl, SSL* peer, bool program_is_client) {
  BIO *program_bio = nullptr, *peer_bio = nullptr;
  BIO_new_bio_pair(&program_bio, 0, &peer_bio, 0);
  api.set_bio(ssl, program_bio, program_bio);
  SSL_set_bio(peer, peer_bio, peer_bio);
  if (program_is_client) {
    api.set_connect_state(ssl);
    SSL_set_accept_state(peer);
  } else {
    api.set_accept_state(ssl);
    SSL_set_connect_state(peer);
  }
}

// The program's side (`api`: shim or native) and a real OpenSSL peer, at most at `version`, joined
// by a BIO pair before any handshake; the server's certificate and key go on whichever side
// serves. `configure` sets up the program's context and the peer's before the SSLs are made,
// `configure_ssl` the program's SSL; `body` drives the two and its answer is returned.
template <typename Api>
std::string WithPeer(const Api& api, bool program_is_client, int version, EVP_PKEY* server_key,
                     X509* server_cert, const std::function<void(SSL_CTX*, SSL_CTX*)>& configure,
                     const std::function<void(SSL*)>& configure_ssl,
                     const std::function<std::string(SSL*, SSL*)>& body) {
  SSL_CTX* ctx = api.ctx_new(program_is_client ? api.client_method() : api.server_method());
  SSL_CTX* peer_ctx = SSL_CTX_new(program_is_client ? TLS_server_method() : TLS_client_method());
  api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, version, nullptr);
  SSL_CTX_set_max_proto_version(peer_ctx, version);
  if (program_is_client) {
    SSL_CTX_use_certificate(peer_ctx, server_cert);
    SSL_CTX_use_PrivateKey(peer_ctx, server_key);
  } else {
    api.ctx_use_certificate(ctx, server_cert);
    api.ctx_use_key(ctx, server_key);
  }
  if (configure) configure(ctx, peer_ctx);
  SSL* ssl = api.ssl_new(ctx);
  if (configure_ssl) configure_ssl(ssl);
  SSL* peer = SSL_new(peer_ctx);
  ConnectOverBioPair(api, ssl, peer, program_is_client);
  std::string out = body(ssl, peer);
  api.ssl_free(ssl);
  SSL_free(peer);
  api.ctx_free(ctx);
  SSL_CTX_free(peer_ctx);
  return out;
}

// WithPeer, the two handshaking first (`real`: the peer's functions); `after` reads the program's
// SSL and the peer's once the handshake is over, and its answer follows Handshake's in what this
// returns.
template <typename Api>
std::string RunAgainstPeer(const Api& api, const Api& real, bool program_is_client, int version,
                           EVP_PKEY* server_key, X509* server_cert,
                           const std::function<void(SSL_CTX*, SSL_CTX*)>& configure,
                           const std::function<void(SSL*)>& configure_ssl,
                           const std::function<std::string(SSL*, SSL*)>& after) {
  return WithPeer(api, program_is_client, version, server_key, server_cert, configure,
                  configure_ssl, [&](SSL* ssl, SSL* peer) {
                    std::string out = Handshake(Side<Api>{&api, ssl}, Side<Api>{&real, peer});
                    return out + " " + after(ssl, peer);
                  });
}

// Whether the stand-in runs on its OpenSSL backend (SSLSHIM_BACKEND=openssl).
inline bool OnOpenSslBackend() {
  const char* backend = std::getenv("SSLSHIM_BACKEND");
  return backend != nullptr && std::string(backend) == "openssl";
}

// A server's P-256 key and a self-signed certificate for it, made once per process.
struct Identity {
  EVP_PKEY* key;
  X509* cert;
};
inline const Identity& ServerIdentity() {
  static const Identity identity = [] {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    return Identity{key, SelfSignedCertificate(key, "side-by-side.test")};
  }();
  return identity;
}

// The functions RunAgainstPeer and Handshake call: a script's FIELDS list starts with these.
#define SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)  \
  X(client_method, TLS_client_method)             \
  X(server_method, TLS_server_method)             \
  X(ctx_new, SSL_CTX_new)                         \
  X(ctx_free, SSL_CTX_free)                       \
  X(ctx_ctrl, SSL_CTX_ctrl)                       \
  X(ctx_use_certificate, SSL_CTX_use_certificate) \
  X(ctx_use_key, SSL_CTX_use_PrivateKey)          \
  X(ssl_new, SSL_new)                             \
  X(ssl_free, SSL_free)                           \
  X(set_bio, SSL_set_bio)                         \
  X(set_connect_state, SSL_set_connect_state)     \
  X(set_accept_state, SSL_set_accept_state)       \
  X(do_handshake, SSL_do_handshake)               \
  X(get_error, SSL_get_error)

// For functions listed by FIELDS as X(field, name): defines struct `Api` with one member per
// function, typed as that function; RealApi() fills it with the real libssl's definitions,
// ShimApi() with the stand-in's, and RealApiOnce() keeps the real one resolved once.
#define SSLSHIM_SIDE_BY_SIDE_MEMBER(field, name) decltype(&name) field;
#define SSLSHIM_SIDE_BY_SIDE_REAL(field, name) api.field = &name;
#define SSLSHIM_SIDE_BY_SIDE_SHIM(field, name) \
  api.field = ::sslshim::side_by_side::Shim(#name, &name);
#define SSLSHIM_SIDE_BY_SIDE_API(Api, FIELDS) \
  struct Api {                                \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_MEMBER)       \
  };                                          \
  Api RealApi() {                             \
    Api api;                                  \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_REAL)         \
    return api;                               \
  }                                           \
  Api ShimApi() {                             \
    Api api;                                  \
    FIELDS(SSLSHIM_SIDE_BY_SIDE_SHIM)         \
    return api;                               \
  }                                           \
  [[maybe_unused]] const Api& RealApiOnce() { \
    static const Api api = RealApi();         \
    return api;                               \
  }

}  // namespace sslshim::side_by_side
