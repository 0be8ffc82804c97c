// OCSP stapling (the SSL_CTX_set_tlsext_status_* and SSL_*_tlsext_status_* ctrl macros) and the
// session ticket key callbacks (SSL_CTX_set_tlsext_ticket_key_cb, _evp_cb), with OpenSSL 3's
// command numbers and answers. The callbacks run in core/callbacks.cc and core/tickets.cc.
//
// What OpenSSL 3 does, measured natively with tests/negotiated/negotiated_probe.c (scenarios
// "ocsp", "ocsp_fatal", "tickets"; TLS 1.2 and 1.3): a server's status callback runs only when
// the client asked for status, and its response is stapled only when it answers
// SSL_TLSEXT_ERR_OK; NOACK staples nothing; ALERT_FATAL fails the handshake (internal_error).
// A client's callback runs only when it asked (SSL_set_tlsext_status_type), once per full
// handshake, also when nothing was stapled (SSL_get_tlsext_status_ocsp_resp then answers -1 and
// NULL); 0 fails the handshake with bad_certificate_status_response. A ticket key callback
// returning 0 on decryption means a full handshake; 2 resumes.
#include "exports/stapling_tickets.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <cstring>
#include <vector>

#include "core/errors.h"
#include "exports/entry_point.h"

namespace sslshim {

static_assert(kStatusTypeOcsp == TLSEXT_STATUSTYPE_ocsp);
static_assert(kTicketMaxIvLength == EVP_MAX_IV_LENGTH);

namespace {

// The kind the backend installs: the EVP callback wins, as in OpenSSL; keys set without a
// callback are used through the core's own EVP one (core/tickets.cc).
void ApplyTicketKeyCallback(Ctx* ctx) {
  TicketKeyCallback kind = ctx->ticket_key_evp_callback != nullptr ? TicketKeyCallback::kEvpMac
                           : ctx->ticket_key_callback != nullptr   ? TicketKeyCallback::kHmacCtx
                           : !ctx->ticket_keys.empty()             ? TicketKeyCallback::kEvpMac
                                                                   : TicketKeyCallback::kNone;
  ctx->backend()->SetTicketKeyCallback(kind);
}

}  // namespace

long StaplingTicketsCallbackCtrl(Ctx* ctx, int cmd, void (*fp)(void)) {
  if (cmd == SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB) {
    ctx->status_callback = reinterpret_cast<int (*)(SSL*, void*)>(fp);
  } else {  // SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB
    ctx->ticket_key_callback = reinterpret_cast<int (*)(SSL*, unsigned char*, unsigned char*,
                                                        EVP_CIPHER_CTX*, HMAC_CTX*, int)>(fp);
    ApplyTicketKeyCallback(ctx);
  }
  return 1;
}

// OpenSSL's answers: the keys' length for a null buffer, 0 and SSL_R_INVALID_TICKET_KEYS_LENGTH for
// another length. Reading keys never set makes them (random), as OpenSSL has its own from the
// start: from then on this context's tickets are sealed with what the program read, so copying
// them to another context (or process) lets it open them, as with OpenSSL.
long TicketKeysCtrl(Ctx* ctx, int cmd, long larg, void* parg) {
  auto* keys = static_cast<unsigned char*>(parg);
  if (keys == nullptr) return static_cast<long>(kTicketKeysLength);
  if (larg != static_cast<long>(kTicketKeysLength)) {
    PushError(ERR_LIB_SSL, SSL_R_INVALID_TICKET_KEYS_LENGTH, "SSL_CTX_ctrl");
    return 0;
  }
  if (cmd == SSL_CTRL_SET_TLSEXT_TICKET_KEYS) {
    ctx->ticket_keys.assign(keys, keys + kTicketKeysLength);
  } else {
    if (ctx->ticket_keys.empty()) {
      std::vector<uint8_t> fresh(kTicketKeysLength);
      if (RAND_bytes(fresh.data(), static_cast<int>(fresh.size())) != 1) return 0;
      ctx->ticket_keys = std::move(fresh);
    }
    memcpy(keys, ctx->ticket_keys.data(), kTicketKeysLength);
  }
  ApplyTicketKeyCallback(ctx);
  return 1;
}

long StaplingCtxCtrl(Ctx* ctx, int cmd, long larg, void* parg) {
  switch (cmd) {
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG:
      ctx->status_arg = parg;
      return 1;
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_CB:
      *static_cast<int (**)(SSL*, void*)>(parg) = ctx->status_callback;
      return 1;
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_CB_ARG:
      *static_cast<void**>(parg) = ctx->status_arg;
      return 1;
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE:
      ctx->status_type = static_cast<int>(larg);
      return 1;
    default:  // SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE
      return ctx->status_type;
  }
}

long StaplingSslCtrl(Ssl* ssl, int cmd, long larg, void* parg) {
  switch (cmd) {
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE:
      // As OpenSSL: any type is kept; only OCSP is asked for.
      ssl->status_type = static_cast<int>(larg);
      if (larg == TLSEXT_STATUSTYPE_ocsp) ssl->conn()->RequestOcspStatus();
      return 1;
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE:
      return ssl->status_type;
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_OCSP_RESP:
      // Takes the program's buffer (OPENSSL_malloc'd), as OpenSSL does.
      ssl->SetOcspResponse(static_cast<unsigned char*>(parg), larg);
      return 1;
    default: {  // SSL_CTRL_GET_TLSEXT_STATUS_REQ_OCSP_RESP
      if (!ssl->conn()->IsServer()) {
        // A client's is what the server stapled; the copy changes only when the bytes do, so a
        // pointer handed out before stays valid.
        std::vector<uint8_t> stapled = ssl->conn()->OcspResponse();
        const bool same = ssl->ocsp_response_len == static_cast<long>(stapled.size()) &&
                          (stapled.empty() ||
                           memcmp(ssl->ocsp_response.get(), stapled.data(), stapled.size()) == 0);
        if (!stapled.empty() && !same) {
          auto* copy = static_cast<unsigned char*>(OPENSSL_memdup(stapled.data(), stapled.size()));
          if (copy != nullptr) ssl->SetOcspResponse(copy, static_cast<long>(stapled.size()));
        }
      }
      *static_cast<unsigned char**>(parg) = ssl->ocsp_response.get();
      return ssl->ocsp_response != nullptr ? ssl->ocsp_response_len : -1;
    }
  }
}

}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_set_tlsext_ticket_key_evp_cb, 0, fp) {
  ctx->ticket_key_evp_callback = fp;
  sslshim::ApplyTicketKeyCallback(ctx);
  return 1;
}
