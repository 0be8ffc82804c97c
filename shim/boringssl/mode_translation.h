// OpenSSL 3's bit words (SSL_MODE_*, SSL_OP_*, SSL_VERIFY_*, SSL_SESS_CACHE_*) into BoringSSL's,
// and BoringSSL's (SSL_CB_*, shutdown bits) back: one named bit at a time, never a word passed
// through, because equal numbers mean different things (0x80, 0x100 in the modes; 0x04 in the
// verify modes). Neutral types only, so the unit tests can call these directly.
#pragma once

#include <cstdint>

namespace sslshim::boringssl {

// SSL_set_mode's word for BoringSSL. Always includes ACCEPT_MOVING_WRITE_BUFFER: the core enforces
// OpenSSL's retry rule itself, above the backend, so BoringSSL must not apply its own check.
uint32_t TranslateModeToBoringSsl(long openssl_mode);

// Every mode bit TranslateModeToBoringSsl can produce (to clear before setting a new word).
uint32_t BoringSslModeBitsWeTranslate();

// SSL_CTX_set_options's word for BoringSSL, for the options BoringSSL has.
uint32_t TranslateOptionsToBoringSsl(uint64_t openssl_options);
uint32_t BoringSslOptionBitsWeTranslate();

// Whether OpenSSL's options forbid renegotiation (BoringSSL has no such option bit: its clients
// take the choice per connection, SSL_set_renegotiate_mode).
bool OptionsForbidRenegotiation(uint64_t openssl_options);

// A server's verify mode for SSL_set_custom_verify.
int TranslateVerifyModeToBoringSsl(int openssl_verify_mode);

// SSL_CTX_set_session_cache_mode's word for BoringSSL.
int TranslateSessionCacheModeToBoringSsl(long openssl_mode);

// The info callback's `where` (SSL_CB_* | SSL_ST_*), BoringSSL's to OpenSSL's.
int TranslateInfoWhereToOpenSsl(int boringssl_where);

// SSL_get_shutdown's bits, both directions.
int TranslateShutdownToOpenSsl(int boringssl_shutdown);
int TranslateShutdownToBoringSsl(int openssl_shutdown);

// OpenSSL's SSL_KEY_UPDATE_NOT_REQUESTED / _REQUESTED to BoringSSL's; -1 for anything else.
int TranslateKeyUpdateTypeToBoringSsl(int openssl_type);

}  // namespace sslshim::boringssl
