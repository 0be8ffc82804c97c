// Cookie callbacks: DTLS's HelloVerifyRequest cookie (SSL_CTX_set_cookie_*_cb) and TLS 1.3's
// stateless HelloRetryRequest cookie (SSL_CTX_set_stateless_cookie_*_cb). The setters answer as
// OpenSSL's (they return nothing) and keep the callbacks, but nothing calls them: BoringSSL's
// servers send no HelloVerifyRequest (SSL_OP_COOKIE_EXCHANGE is ignored) and DTLSv1_listen and
// SSL_stateless, the calls that would use them, are refused (docs/design-notes.md, "DTLS").
// openssl s_server sets all four at start, for every protocol.
#include <openssl/ssl.h>

#include "exports/entry_point.h"

SSLSHIM_CTX_ENTRY(SSL_CTX_set_cookie_generate_cb, , app_gen_cookie_cb) {
  ctx->cookie_generate_callback = app_gen_cookie_cb;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_cookie_verify_cb, , app_verify_cookie_cb) {
  ctx->cookie_verify_callback = app_verify_cookie_cb;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_stateless_cookie_generate_cb, , gen_stateless_cookie_cb) {
  ctx->stateless_cookie_generate_callback = gen_stateless_cookie_cb;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_stateless_cookie_verify_cb, , verify_stateless_cookie_cb) {
  ctx->stateless_cookie_verify_callback = verify_stateless_cookie_cb;
}
