// Asynchronous engine jobs (SSL_MODE_ASYNC), as OpenSSL 3 runs them when no engine pauses a job,
// which is always the case here: BoringSSL does the TLS and has no async engines. OpenSSL 3 then
// runs each I/O call as a job that finishes inside the call, and the wait context the first such
// call makes holds no file descriptor and never calls the program's callback. The calls below
// answer for that wait context (from the first I/O call with the mode set, core/io.h), or for
// none, as OpenSSL 3's ssl_lib.c does.
#include <openssl/async.h>
#include <openssl/ssl.h>

#include "exports/entry_point.h"

SSLSHIM_CTX_ENTRY(SSL_CTX_set_async_callback, 0, callback) {
  ctx->async_callback.function = callback;
  return 1;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_async_callback_arg, 0, arg) {
  ctx->async_callback.arg = arg;
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_set_async_callback, 0, callback) {
  ssl->async_callback.function = callback;
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_set_async_callback_arg, 0, arg) {
  ssl->async_callback.arg = arg;
  return 1;
}

// No job is ever left paused.
SSLSHIM_SSL_ENTRY(SSL_waiting_for_async, 0) {
  (void)ssl;
  return 0;
}

// 0 without a wait context; with one, 1 and no descriptors (nothing written to `fds`).
SSLSHIM_SSL_ENTRY(SSL_get_all_async_fds, 0, fds, numfds) {
  (void)fds;
  if (!ssl->async_wait_context) return 0;
  if (numfds != nullptr) *numfds = 0;  // OpenSSL's writes through it unchecked
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_get_changed_async_fds, 0, addfd, numaddfds, delfd, numdelfds) {
  (void)addfd, (void)delfd;
  if (!ssl->async_wait_context) return 0;
  if (numaddfds != nullptr) *numaddfds = 0;
  if (numdelfds != nullptr) *numdelfds = 0;
  return 1;
}

// A wait context's status stays as made: ASYNC_STATUS_UNSUPPORTED.
SSLSHIM_SSL_ENTRY(SSL_get_async_status, 0, status) {
  if (!ssl->async_wait_context) return 0;
  if (status != nullptr) *status = ASYNC_STATUS_UNSUPPORTED;
  return 1;
}
