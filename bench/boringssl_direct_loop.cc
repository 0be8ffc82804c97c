// The work against BoringSSL's API (tls_pair_loop.h holds it).
#include "boringssl_direct_loop.h"

#include <openssl/bytestring.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <string>

#include "bench_matrix.h"
#include "credentials.h"
#include "tls_pair_loop.h"

namespace sslshim_bench {

namespace {

struct BoringSslApi {
  using Ssl = SSL;
  using Ctx = SSL_CTX;
  using Bio = BIO;

  static Ctx* NewContext(bool server) {
    return SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  }
  static void FreeContext(Ctx* ctx) { SSL_CTX_free(ctx); }

  // TLS 1.2 is pinned to the cipher the OpenSSL-API side uses. TLS 1.3 ciphers are not
  // configurable in BoringSSL: it prefers AES-128-GCM on AES-NI hardware; the label shows what
  // was negotiated and the driver checks that every column agrees.
  static bool ConfigureContext(Ctx* ctx, TlsVersion version) {
    uint16_t protocol = version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    return SSL_CTX_set_min_proto_version(ctx, protocol) == 1 &&
           SSL_CTX_set_max_proto_version(ctx, protocol) == 1 &&
           (version == TlsVersion::kTls13 ||
            SSL_CTX_set_strict_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") == 1);
  }

  static bool LoadServerCredentials(Ctx* ctx) {
    const Credentials& credentials = BenchCredentials();
    CBS key_der;
    CBS_init(&key_der, credentials.private_key_der.data(), credentials.private_key_der.size());
    bssl::UniquePtr<EVP_PKEY> key(EVP_parse_private_key(&key_der));
    return key != nullptr &&
           SSL_CTX_use_certificate_ASN1(ctx, credentials.certificate_der.size(),
                                        credentials.certificate_der.data()) == 1 &&
           SSL_CTX_use_PrivateKey(ctx, key.get()) == 1;
  }

  static Ssl* NewSsl(Ctx* ctx) { return SSL_new(ctx); }
  static void FreeSsl(Ssl* ssl) { SSL_free(ssl); }
  static bool NewBioPair(Bio** a, Bio** b, size_t buffer_size) {
    return BIO_new_bio_pair(a, buffer_size, b, buffer_size) == 1;
  }
  static void SetBio(Ssl* ssl, Bio* bio) { SSL_set_bio(ssl, bio, bio); }
  static void SetConnectState(Ssl* ssl) { SSL_set_connect_state(ssl); }
  static void SetAcceptState(Ssl* ssl) { SSL_set_accept_state(ssl); }
  static int DoHandshake(Ssl* ssl) { return SSL_do_handshake(ssl); }
  static bool MustWait(const Ssl* ssl, int result) {
    const int error = SSL_get_error(ssl, result);
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
  }
  static int Write(Ssl* ssl, const void* data, int size) { return SSL_write(ssl, data, size); }
  static int Read(Ssl* ssl, void* data, int size) { return SSL_read(ssl, data, size); }
  static int BioRead(Bio* bio, void* data, int size) { return BIO_read(bio, data, size); }
  static std::string CipherName(const Ssl* ssl) {
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
    return cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "none";
  }
  static std::string ErrorText(const char* what) {
    char text[256] = "no error queued";
    if (uint32_t code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return std::string(what) + ": " + text;
  }
  // Linked into the executable under a private prefix: no shared library serves it.
  static std::string SslWriteProvider() { return "boringssl-static"; }
};

}  // namespace

std::unique_ptr<WriteLoop> NewBoringSslDirectLoop() {
  return std::make_unique<TlsPairLoop<BoringSslApi>>();
}

}  // namespace sslshim_bench
