// The `Api` (tls_pair_loop.h) of the two loops written against OpenSSL 3's API: the one the
// process links (openssl_api_loop.cc) and the real libssl reached by dlvsym
// (openssl_direct_loop.cc). They differ only in where each libssl function comes from, so both
// are OpenSslApi over a table of the libssl functions the work calls; libcrypto's (BIO, ERR,
// X509) are called by name, as the shim never replaces them.
#ifndef SSLSHIM_BENCH_OPENSSL_API_H_
#define SSLSHIM_BENCH_OPENSSL_API_H_

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

#include "bench_matrix.h"
#include "credentials.h"

namespace sslshim_bench {

// Every libssl function the work calls.
// An X-macro list, one entry per line: clang-format would join the entries.
// clang-format off
#define SSLSHIM_BENCH_LIBSSL_FUNCTIONS(X) \
  X(SSL_CIPHER_get_name)                  \
  X(SSL_CTX_ctrl)                         \
  X(SSL_CTX_free)                         \
  X(SSL_CTX_new)                          \
  X(SSL_CTX_set_cipher_list)              \
  X(SSL_CTX_set_ciphersuites)             \
  X(SSL_CTX_use_PrivateKey)               \
  X(SSL_CTX_use_certificate)              \
  X(SSL_do_handshake)                     \
  X(SSL_free)                             \
  X(SSL_get_current_cipher)               \
  X(SSL_get_error)                        \
  X(SSL_new)                              \
  X(SSL_read)                             \
  X(SSL_set_accept_state)                 \
  X(SSL_set_bio)                          \
  X(SSL_set_connect_state)                \
  X(SSL_write)                            \
  X(TLS_client_method)                    \
  X(TLS_server_method)
// clang-format on

struct LibsslFunctions {
#define SSLSHIM_BENCH_MEMBER(name) decltype(&::name) name = nullptr;
  SSLSHIM_BENCH_LIBSSL_FUNCTIONS(SSLSHIM_BENCH_MEMBER)
#undef SSLSHIM_BENCH_MEMBER
};

// Source gives `static constexpr const LibsslFunctions& kLibssl` (or a reference to a table
// filled at run time) and `static std::string SslWriteProvider()`.
template <typename Source>
struct OpenSslApi {
  using Ssl = SSL;
  using Ctx = SSL_CTX;
  using Bio = BIO;

  static const LibsslFunctions& F() { return Source::kLibssl; }

  static Ctx* NewContext(bool server) {
    return F().SSL_CTX_new(server ? F().TLS_server_method() : F().TLS_client_method());
  }
  static void FreeContext(Ctx* ctx) { F().SSL_CTX_free(ctx); }

  // The same cipher in every column: AES-128-GCM, which BoringSSL picks first on AES-NI hardware.
  // For TLS 1.3 all three suites are listed with it first (the client's order decides): BoringSSL
  // always offers its three, and the shim refuses a list that leaves one out.
  static bool ConfigureContext(Ctx* ctx, TlsVersion version) {
    const long protocol = version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    return F().SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, protocol, nullptr) == 1 &&
           F().SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, protocol, nullptr) == 1 &&
           (version == TlsVersion::kTls12
                ? F().SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") == 1
                : F().SSL_CTX_set_ciphersuites(ctx,
                                               "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                                               "TLS_CHACHA20_POLY1305_SHA256") == 1);
  }

  static bool LoadServerCredentials(Ctx* ctx) {
    const Credentials& credentials = BenchCredentials();
    const unsigned char* cert_der = credentials.certificate_der.data();
    const unsigned char* key_der = credentials.private_key_der.data();
    X509* cert =
        d2i_X509(nullptr, &cert_der, static_cast<long>(credentials.certificate_der.size()));
    EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &key_der,
                                       static_cast<long>(credentials.private_key_der.size()));
    bool ok = cert != nullptr && key != nullptr && F().SSL_CTX_use_certificate(ctx, cert) == 1 &&
              F().SSL_CTX_use_PrivateKey(ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
  }

  static Ssl* NewSsl(Ctx* ctx) { return F().SSL_new(ctx); }
  static void FreeSsl(Ssl* ssl) { F().SSL_free(ssl); }
  static bool NewBioPair(Bio** a, Bio** b, size_t buffer_size) {
    return BIO_new_bio_pair(a, buffer_size, b, buffer_size) == 1;
  }
  static void SetBio(Ssl* ssl, Bio* bio) { F().SSL_set_bio(ssl, bio, bio); }
  static void SetConnectState(Ssl* ssl) { F().SSL_set_connect_state(ssl); }
  static void SetAcceptState(Ssl* ssl) { F().SSL_set_accept_state(ssl); }
  static int DoHandshake(Ssl* ssl) { return F().SSL_do_handshake(ssl); }
  static bool MustWait(const Ssl* ssl, int result) {
    const int error = F().SSL_get_error(ssl, result);
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
  }
  static int Write(Ssl* ssl, const void* data, int size) { return F().SSL_write(ssl, data, size); }
  static int Read(Ssl* ssl, void* data, int size) { return F().SSL_read(ssl, data, size); }
  static int BioRead(Bio* bio, void* data, int size) { return BIO_read(bio, data, size); }
  static std::string CipherName(const Ssl* ssl) {
    const SSL_CIPHER* cipher = F().SSL_get_current_cipher(ssl);
    return cipher != nullptr ? F().SSL_CIPHER_get_name(cipher) : "none";
  }
  static std::string ErrorText(const char* what) {
    char text[256] = "no error queued";
    if (unsigned long code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return std::string(what) + ": " + text;
  }
  static std::string SslWriteProvider() { return Source::SslWriteProvider(); }
};

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_OPENSSL_API_H_
