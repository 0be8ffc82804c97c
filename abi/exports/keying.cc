// What a connection's handshake produced that programs derive their own keys from: exported
// keying material (RFC 5705 / RFC 8446), the ClientHello and ServerHello randoms, a session's
// master secret. Both libraries compute the same bytes; the answers around them (lengths, -1
// before a session) are OpenSSL 3's.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace {

// OpenSSL's getters of fixed-size values: `outlen` 0 asks for the size; otherwise at most
// `outlen` bytes are copied and their count returned.
size_t CopyUpTo(const uint8_t* value, size_t size, unsigned char* out, size_t outlen) {
  if (outlen == 0) return size;
  const size_t n = std::min(size, outlen);
  std::memcpy(out, value, n);
  return n;
}

enum class Hello { kClient, kServer };

size_t CopyRandom(const sslshim::Ssl* ssl, Hello which, unsigned char* out, size_t outlen) {
  uint8_t client[sslshim::kRandomSize], server[sslshim::kRandomSize];
  ssl->conn()->Randoms(client, server);
  return CopyUpTo(which == Hello::kClient ? client : server, sslshim::kRandomSize, out, outlen);
}

}  // namespace

static_assert(sslshim::kRandomSize == SSL3_RANDOM_SIZE);
static_assert(sslshim::kMaxMasterKeyLength == SSL_MAX_MASTER_KEY_LENGTH);

SSLSHIM_SSL_ENTRY(SSL_get_client_random, 0, out, outlen) {
  return CopyRandom(ssl, Hello::kClient, out, outlen);
}

SSLSHIM_SSL_ENTRY(SSL_get_server_random, 0, out, outlen) {
  return CopyRandom(ssl, Hello::kServer, out, outlen);
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_master_key, 0, out, outlen) {
  uint8_t key[sslshim::kMaxMasterKeyLength];
  const size_t size = session->backend->MasterKey(key);
  const size_t copied = CopyUpTo(key, size, out, outlen);
  OPENSSL_cleanse(key, sizeof key);
  return copied;
}

// As OpenSSL 3: a key longer than its session holds (512 bytes, for external PSKs) is refused
// with nothing queued. BoringSSL's holds 48 (a TLS 1.2 master secret, a SHA-384 resumption
// secret): its backend refuses a longer one with the reason queued.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_set1_master_key, 0, in, len) {
  constexpr size_t kOpenSslMaxMasterKeyLength = 512;
  if (len > kOpenSslMaxMasterKeyLength || (in == nullptr && len > 0)) return 0;
  if (!session->backend->SetMasterKey(in, len)) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, "SSL_SESSION_set1_master_key");
    return 0;
  }
  return 1;
}

// 1 with `out` filled; 0 with the reason queued; -1, nothing queued, while the connection has no
// session (before its handshake), as OpenSSL 3.
SSLSHIM_SSL_ENTRY(SSL_export_keying_material, -1, out, olen, label, llen, context, contextlen,
                  use_context) {
  const int ret = ssl->conn()->ExportKeyingMaterial(out, olen, label, llen, context, contextlen,
                                                    use_context != 0);
  // The backend's reason, if any: OpenSSL itself queues none for some refusals.
  if (ret == 0) sslshim::FinishConnCall(ssl, false, 0, "SSL_export_keying_material");
  return ret;
}
