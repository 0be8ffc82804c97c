// The work against BoringSSL's API (tls_pair_loop.inc holds it).
#include "boringssl_direct_loop.h"

#include <openssl/bytestring.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_matrix.h"
#include "credentials.h"
#include "write_loop.h"

namespace sslshim_bench {

namespace {

// TLS 1.2 is pinned to the cipher the OpenSSL-API side uses. TLS 1.3 ciphers are not
// configurable in BoringSSL: it prefers AES-128-GCM on AES-NI hardware; the label shows what was
// negotiated and the driver checks that every column agrees.
bool ConfigureContext(SSL_CTX* ctx, TlsVersion version) {
  uint16_t protocol = version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
  return SSL_CTX_set_min_proto_version(ctx, protocol) == 1 &&
         SSL_CTX_set_max_proto_version(ctx, protocol) == 1 &&
         (version == TlsVersion::kTls13 ||
          SSL_CTX_set_strict_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") == 1);
}

bool LoadServerCredentials(SSL_CTX* ctx) {
  const Credentials& credentials = BenchCredentials();
  CBS key_der;
  CBS_init(&key_der, credentials.private_key_der.data(), credentials.private_key_der.size());
  bssl::UniquePtr<EVP_PKEY> key(EVP_parse_private_key(&key_der));
  return key != nullptr &&
         SSL_CTX_use_certificate_ASN1(ctx, credentials.certificate_der.size(),
                                      credentials.certificate_der.data()) == 1 &&
         SSL_CTX_use_PrivateKey(ctx, key.get()) == 1;
}

// Linked into the executable under a private prefix: no shared library serves it.
std::string SslWriteProvider() { return "boringssl-static"; }

#include "tls_pair_loop.inc"

}  // namespace

std::unique_ptr<WriteLoop> NewBoringSslDirectLoop() { return std::make_unique<TlsPairLoop>(); }

}  // namespace sslshim_bench
