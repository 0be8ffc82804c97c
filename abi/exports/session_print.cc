// SSL_SESSION_print: what a session says about itself, in OpenSSL 3's words (its
// SSL_SESSION_print in ssl/ssl_txt.c, line for line: openssl s_client prints every session it
// gets, and s_client -sess_out users compare the text).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <vector>

#include "backend/protocol_name.h"
#include "core/errors.h"
#include "core/unique_ptr.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

bool PrintHex(BIO* bio, const uint8_t* bytes, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (BIO_printf(bio, "%02X", bytes[i]) <= 0) return false;
  }
  return true;
}

bool PrintSession(BIO* bio, const Session* session) {
  const BackendSession& backend = *session->backend;
  const BackendSession::Facts facts = backend.Describe();
  const int version = backend.ProtocolVersion();
  const bool tls13 = version == TLS1_3_VERSION;
  std::vector<uint8_t> id = backend.Id();
  uint8_t master_key[kMaxMasterKeyLength];
  const size_t master_key_len = backend.MasterKey(master_key);
  if (BIO_puts(bio, "SSL-Session:\n") <= 0 ||
      BIO_printf(bio, "    Protocol  : %s\n", ProtocolName(version)) <= 0) {
    return false;
  }
  if (facts.has_cipher) {
    if (BIO_printf(bio, "    Cipher    : %s\n", facts.cipher.name.c_str()) <= 0) return false;
  } else if (BIO_printf(bio, "    Cipher    : %04X\n", 0) <= 0) {
    return false;
  }
  if (BIO_puts(bio, "    Session-ID: ") <= 0 || !PrintHex(bio, id.data(), id.size()) ||
      BIO_puts(bio, "\n    Session-ID-ctx: ") <= 0 ||
      !PrintHex(bio, facts.id_context.data(), facts.id_context.size()) ||
      BIO_puts(bio, tls13 ? "\n    Resumption PSK: " : "\n    Master-Key: ") <= 0 ||
      !PrintHex(bio, master_key, master_key_len) ||
      // The shim's sessions carry no PSK identity (PSK callbacks are not served) and no SRP name.
      BIO_puts(bio, "\n    PSK identity: None\n    PSK identity hint: None") <= 0 ||
      BIO_puts(bio, "\n    SRP username: None") <= 0) {
    return false;
  }
  if (unsigned long hint = backend.TicketLifetimeHint();
      hint != 0 &&
      BIO_printf(bio, "\n    TLS session ticket lifetime hint: %lu (seconds)", hint) <= 0) {
    return false;
  }
  if (!facts.ticket.empty() &&
      (BIO_puts(bio, "\n    TLS session ticket:\n") <= 0 ||
       BIO_dump_indent(bio, reinterpret_cast<const char*>(facts.ticket.data()),
                       static_cast<int>(facts.ticket.size()), 4) <= 0)) {
    return false;
  }
  if (long start = backend.Time();
      start != 0 && BIO_printf(bio, "\n    Start Time: %lld", static_cast<long long>(start)) <= 0) {
    return false;
  }
  if (long timeout = backend.Timeout();
      timeout != 0 &&
      BIO_printf(bio, "\n    Timeout   : %lld (sec)", static_cast<long long>(timeout)) <= 0) {
    return false;
  }
  if (BIO_puts(bio, "\n") <= 0 ||
      BIO_printf(bio, "    Verify return code: %ld (%s)\n", facts.verify_result,
                 X509_verify_cert_error_string(facts.verify_result)) <= 0 ||
      BIO_printf(bio, "    Extended master secret: %s\n",
                 facts.extended_master_secret ? "yes" : "no") <= 0) {
    return false;
  }
  return !tls13 || BIO_printf(bio, "    Max Early Data: %u\n", backend.MaxEarlyData()) > 0;
}

}  // namespace
}  // namespace sslshim

// The session is the second parameter, so the entry resolves it itself: a session of the real
// libssl goes to the real SSL_SESSION_print. OpenSSL prints nothing for a NULL session and answers
// 0 without an error.
SSLSHIM_FUNCTION_ENTRY(SSL_SESSION_print, bp, x) {
  auto resolved = sslshim::Resolve<sslshim::Session>(x, sslshim::HandleKind::kSession);
  if (resolved.state == sslshim::HandleState::kLive) {
    return sslshim::PrintSession(bp, resolved.object) ? 1 : 0;
  }
  if (resolved.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle("SSL_SESSION_print");
    return 0;
  }
  if (x == nullptr) return 0;
  SSLSHIM_FORWARD(SSL_SESSION_print, 0, bp, x);
}

// As OpenSSL's: a file BIO over `fp` (not closed), then SSL_SESSION_print.
SSLSHIM_FUNCTION_ENTRY(SSL_SESSION_print_fp, fp, x) {
  auto resolved = sslshim::Resolve<sslshim::Session>(x, sslshim::HandleKind::kSession);
  if (resolved.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle("SSL_SESSION_print_fp");
    return 0;
  }
  if (resolved.state != sslshim::HandleState::kLive && x != nullptr) {
    SSLSHIM_FORWARD(SSL_SESSION_print_fp, 0, fp, x);
  }
  sslshim::UniquePtr<BIO> bio(BIO_new_fp(fp, BIO_NOCLOSE));
  if (bio == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_BUF_LIB, "SSL_SESSION_print_fp");
    return 0;
  }
  return x != nullptr && sslshim::PrintSession(bio.get(), resolved.object) ? 1 : 0;
}
