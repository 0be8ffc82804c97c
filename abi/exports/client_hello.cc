// The client hello callback (SSL_CTX_set_client_hello_cb) and the SSL_client_hello_* getters it
// reads the ClientHello with. The backend runs the callback at its earliest look at the
// ClientHello (BoringSSL's select-certificate callback, the real libssl's own client hello
// callback) and hands the core a view of the message (backend.h, ClientHelloView); the getters
// answer from that view, and only while the callback runs, as OpenSSL's do.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "exports/entry_point.h"

static_assert(SSL_CLIENT_HELLO_SUCCESS == sslshim::kClientHelloSuccess);
static_assert(SSL_CLIENT_HELLO_ERROR == sslshim::kClientHelloError);
static_assert(SSL_CLIENT_HELLO_RETRY == sslshim::kClientHelloRetry);

SSLSHIM_CTX_ENTRY(SSL_CTX_set_client_hello_cb, , cb, arg) {
  ctx->client_hello_callback = cb;
  ctx->client_hello_arg = arg;
}

SSLSHIM_SSL_ENTRY(SSL_client_hello_isv2, 0) {
  return ssl->client_hello != nullptr && ssl->client_hello->isv2 ? 1 : 0;
}

SSLSHIM_SSL_ENTRY(SSL_client_hello_get0_legacy_version, 0) {
  return ssl->client_hello != nullptr ? ssl->client_hello->legacy_version : 0;
}

namespace {

// OpenSSL's shape for the byte-string getters: 0 outside the callback; else the length, with
// *out pointing at the bytes when out is not NULL.
size_t Bytes(const unsigned char** out, const uint8_t* data, size_t len) {
  if (out != nullptr) *out = data;
  return len;
}

}  // namespace

SSLSHIM_SSL_ENTRY(SSL_client_hello_get0_random, 0, out) {
  const sslshim::ClientHelloView* hello = ssl->client_hello;
  return hello != nullptr ? Bytes(out, hello->random, hello->random_len) : 0;
}

SSLSHIM_SSL_ENTRY(SSL_client_hello_get0_session_id, 0, out) {
  const sslshim::ClientHelloView* hello = ssl->client_hello;
  return hello != nullptr ? Bytes(out, hello->session_id, hello->session_id_len) : 0;
}

SSLSHIM_SSL_ENTRY(SSL_client_hello_get0_ciphers, 0, out) {
  const sslshim::ClientHelloView* hello = ssl->client_hello;
  return hello != nullptr ? Bytes(out, hello->cipher_suites, hello->cipher_suites_len) : 0;
}

SSLSHIM_SSL_ENTRY(SSL_client_hello_get0_compression_methods, 0, out) {
  const sslshim::ClientHelloView* hello = ssl->client_hello;
  return hello != nullptr ? Bytes(out, hello->compression_methods, hello->compression_methods_len)
                          : 0;
}

// The types of the extensions present, in the order received, in memory the caller frees with
// OPENSSL_free; none present: 1 with NULL and 0, as OpenSSL.
SSLSHIM_SSL_ENTRY(SSL_client_hello_get1_extensions_present, 0, out, outlen) {
  const sslshim::ClientHelloView* hello = ssl->client_hello;
  if (hello == nullptr || out == nullptr || outlen == nullptr) return 0;
  if (hello->extensions.empty()) {
    *out = nullptr;
    *outlen = 0;
    return 1;
  }
  auto* present = static_cast<int*>(OPENSSL_malloc(sizeof(int) * hello->extensions.size()));
  if (present == nullptr) {
    ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
    return 0;
  }
  for (size_t i = 0; i < hello->extensions.size(); i++) {
    present[i] = static_cast<int>(hello->extensions[i].type);
  }
  *out = present;
  *outlen = hello->extensions.size();
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_client_hello_get0_ext, 0, type, out, outlen) {
  const sslshim::ClientHelloView* hello = ssl->client_hello;
  if (hello == nullptr) return 0;
  for (const sslshim::ClientHelloView::Extension& ext : hello->extensions) {
    if (ext.type != type) continue;
    if (out != nullptr) *out = ext.data;
    if (outlen != nullptr) *outlen = ext.len;
    return 1;
  }
  return 0;
}
