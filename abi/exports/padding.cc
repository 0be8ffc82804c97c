// TLS 1.3 record padding (RFC 8446 5.4): OpenSSL pads each record to a multiple of a block size
// (SSL_*_set_block_padding) or to what the program's callback says. Padding hides the length of
// what is sent, so a program that asks for it and is given unpadded records would leak what it
// meant to hide: where the backend cannot pad (BoringSSL has no record padding), the setting fails
// closed (core/fail_closed.h). The callback is never run by the shim, on either backend, so
// setting one fails closed too. Asking for no padding (block size 0 or 1, a null callback) is
// always honoured.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include "core/errors.h"
#include "core/fail_closed.h"
#include "exports/entry_point.h"

namespace {

constexpr char kBlockPadding[] = "TLS 1.3 record padding to a block size";
constexpr char kPaddingCallback[] = "TLS 1.3 record padding by the program's callback";

bool BlockSizeAllowed(size_t block_size) { return block_size <= SSL3_RT_MAX_PLAIN_LENGTH; }

// The setter's failure when the object is marked: 0 and the reason on the queue.
template <typename Object>
int Unapplied(Object* object, const char* func, const char* what) {
  const std::string why = std::string(what) + " is not available on this backend";
  sslshim::PushError(ERR_LIB_SSL, ERR_R_UNSUPPORTED, func, ("sslshim: " + why).c_str());
  sslshim::MarkUnappliedSetting(object, func, why);
  return 0;
}

// OpenSSL's answers: 0, nothing queued, for a block larger than a record; else 1 once `apply`
// gave the backend the size, or when the size asks for no padding (which a backend without padding
// honours by doing nothing).
template <typename Object, typename Apply>
int SetBlockPadding(Object* object, size_t block_size, const char* func, Apply apply) {
  if (!BlockSizeAllowed(block_size)) return 0;
  if (apply() || block_size <= 1) return 1;
  return Unapplied(object, func, kBlockPadding);
}

}  // namespace

SSLSHIM_CTX_ENTRY(SSL_CTX_set_block_padding, 0, block_size) {
  return SetBlockPadding(ctx, block_size, "SSL_CTX_set_block_padding", [&] {
    return sslshim::FinishCtxCall(ctx, ctx->backend()->SetBlockPadding(block_size), 0,
                                  "SSL_CTX_set_block_padding") == 1;
  });
}

SSLSHIM_SSL_ENTRY(SSL_set_block_padding, 0, block_size) {
  return SetBlockPadding(ssl, block_size, "SSL_set_block_padding", [&] {
    return sslshim::FinishConnCall(ssl, ssl->conn()->SetBlockPadding(block_size), 0,
                                   "SSL_set_block_padding") == 1;
  });
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_record_padding_callback, , cb) {
  if (cb != nullptr) Unapplied(ctx, "SSL_CTX_set_record_padding_callback", kPaddingCallback);
}

SSLSHIM_SSL_ENTRY(SSL_set_record_padding_callback, 0, cb) {
  if (cb == nullptr) return 1;
  return Unapplied(ssl, "SSL_set_record_padding_callback", kPaddingCallback);
}

// The argument is kept for the program, as OpenSSL keeps it (SSL_new copies the context's).
SSLSHIM_CTX_ENTRY(SSL_CTX_set_record_padding_callback_arg, , arg) { ctx->record_padding_arg = arg; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_record_padding_callback_arg, nullptr) {
  return ctx->record_padding_arg;
}

SSLSHIM_SSL_ENTRY(SSL_set_record_padding_callback_arg, , arg) { ssl->record_padding_arg = arg; }

SSLSHIM_SSL_ENTRY(SSL_get_record_padding_callback_arg, nullptr) { return ssl->record_padding_arg; }
