#include "boringssl/mode_translation.h"

#include <openssl/ssl.h>

#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

// One OpenSSL bit and the BoringSSL bit that does the same (0: nothing to do in BoringSSL).
struct BitPair {
  uint64_t openssl;
  uint32_t boringssl;
};

// Not listed, so never set in BoringSSL:
// - AUTO_RETRY: the core gives OpenSSL's documented behaviour (BoringSSL defines it as 0);
// - RELEASE_BUFFERS: BoringSSL always releases idle buffers;
// - SEND_CLIENTHELLO_TIME / SEND_SERVERHELLO_TIME: BoringSSL always sends random bytes there;
// - ASYNC: no async engines in BoringSSL (its 0x100 is CBC_RECORD_SPLITTING, which must stay off);
// - DTLS_SCTP_LABEL_LENGTH_BUG: no SCTP in BoringSSL (its 0x400 is SEND_FALLBACK_SCSV).
constexpr BitPair kModeBits[] = {
    {openssl3::kSSL_MODE_ENABLE_PARTIAL_WRITE, SSL_MODE_ENABLE_PARTIAL_WRITE},
    {openssl3::kSSL_MODE_NO_AUTO_CHAIN, SSL_MODE_NO_AUTO_CHAIN},
    {openssl3::kSSL_MODE_SEND_FALLBACK_SCSV, SSL_MODE_SEND_FALLBACK_SCSV},
};

// Not listed, ignored: the options that are 0 in BoringSSL's header (bug workarounds for
// SSLv2/SSLv3-era peers, NO_COMPRESSION: BoringSSL never compresses; NO_SSLv3: it has no SSLv3;
// LEGACY_SERVER_CONNECT: its clients connect to servers without renegotiation_info anyway),
// OpenSSL-only features (KTLS, CLEANSE_PLAINTEXT, PRIORITIZE_CHACHA: BoringSSL prefers ChaCha on
// hosts without AES hardware by itself, ENABLE_MIDDLEBOX_COMPAT: BoringSSL's TLS 1.3 always
// sends the compatibility messages, IGNORE_UNEXPECTED_EOF: the core's business, NO_ANTI_REPLAY,
// NO_EXTENDED_MASTER_SECRET, NO_ENCRYPT_THEN_MAC: no EtM in BoringSSL) and DTLS-only ones
// (NO_QUERY_MTU: BoringSSL keeps an MTU set with SSL_set_mtu anyway, and with the bit and no MTU
// it would have none at all; COOKIE_EXCHANGE: its DTLS servers send no HelloVerifyRequest).
// NO_RENEGOTIATION is per connection: OptionsForbidRenegotiation.
constexpr BitPair kOptionBits[] = {
    {openssl3::kSSL_OP_NO_TICKET, SSL_OP_NO_TICKET},
    {openssl3::kSSL_OP_CIPHER_SERVER_PREFERENCE, SSL_OP_CIPHER_SERVER_PREFERENCE},
    // BoringSSL folds these into its version range exactly as OpenSSL does (a disabled version
    // inside [min, max] cuts the range at the hole).
    {openssl3::kSSL_OP_NO_TLSv1, SSL_OP_NO_TLSv1},
    {openssl3::kSSL_OP_NO_TLSv1_1, SSL_OP_NO_TLSv1_1},
    {openssl3::kSSL_OP_NO_TLSv1_2, SSL_OP_NO_TLSv1_2},
    {openssl3::kSSL_OP_NO_TLSv1_3, SSL_OP_NO_TLSv1_3},
};

// CLIENT_ONCE: BoringSSL servers never renegotiate, so a client certificate is only ever asked
// for once anyway (and BoringSSL's 0x04 is VERIFY_PEER_IF_NO_OBC). POST_HANDSHAKE: BoringSSL has
// no post-handshake authentication, so it is dropped.
constexpr BitPair kVerifyBits[] = {
    {openssl3::kSSL_VERIFY_PEER, SSL_VERIFY_PEER},
    {openssl3::kSSL_VERIFY_FAIL_IF_NO_PEER_CERT, SSL_VERIFY_FAIL_IF_NO_PEER_CERT},
};

// UPDATE_TIME (OpenSSL only) is ignored: BoringSSL does not refresh a session's time on reuse.
constexpr BitPair kSessionCacheBits[] = {
    {openssl3::kSSL_SESS_CACHE_CLIENT, SSL_SESS_CACHE_CLIENT},
    {openssl3::kSSL_SESS_CACHE_SERVER, SSL_SESS_CACHE_SERVER},
    {openssl3::kSSL_SESS_CACHE_NO_AUTO_CLEAR, SSL_SESS_CACHE_NO_AUTO_CLEAR},
    {openssl3::kSSL_SESS_CACHE_NO_INTERNAL_LOOKUP, SSL_SESS_CACHE_NO_INTERNAL_LOOKUP},
    {openssl3::kSSL_SESS_CACHE_NO_INTERNAL_STORE, SSL_SESS_CACHE_NO_INTERNAL_STORE},
};

constexpr BitPair kInfoWhereBits[] = {
    {openssl3::kSSL_CB_LOOP, SSL_CB_LOOP},
    {openssl3::kSSL_CB_EXIT, SSL_CB_EXIT},
    {openssl3::kSSL_CB_READ, SSL_CB_READ},
    {openssl3::kSSL_CB_WRITE, SSL_CB_WRITE},
    {openssl3::kSSL_CB_ALERT, SSL_CB_ALERT},
    {openssl3::kSSL_CB_HANDSHAKE_START, SSL_CB_HANDSHAKE_START},
    {openssl3::kSSL_CB_HANDSHAKE_DONE, SSL_CB_HANDSHAKE_DONE},
    {openssl3::kSSL_ST_CONNECT, SSL_ST_CONNECT},
    {openssl3::kSSL_ST_ACCEPT, SSL_ST_ACCEPT},
};

constexpr BitPair kShutdownBits[] = {
    {openssl3::kSSL_SENT_SHUTDOWN, SSL_SENT_SHUTDOWN},
    {openssl3::kSSL_RECEIVED_SHUTDOWN, SSL_RECEIVED_SHUTDOWN},
};

template <size_t N>
uint32_t ToBoringSsl(const BitPair (&table)[N], uint64_t openssl_word) {
  uint32_t out = 0;
  for (const BitPair& bit : table) {
    if (openssl_word & bit.openssl) out |= bit.boringssl;
  }
  return out;
}

template <size_t N>
uint64_t ToOpenSsl(const BitPair (&table)[N], uint32_t boringssl_word) {
  uint64_t out = 0;
  for (const BitPair& bit : table) {
    if (boringssl_word & bit.boringssl) out |= bit.openssl;
  }
  return out;
}

template <size_t N>
uint32_t AllBoringSslBits(const BitPair (&table)[N]) {
  uint32_t out = 0;
  for (const BitPair& bit : table) out |= bit.boringssl;
  return out;
}

}  // namespace

uint32_t TranslateModeToBoringSsl(long openssl_mode) {
  return ToBoringSsl(kModeBits, static_cast<unsigned long>(openssl_mode)) |
         SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
}

uint32_t BoringSslModeBitsWeTranslate() {
  return AllBoringSslBits(kModeBits) | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
}

uint32_t TranslateOptionsToBoringSsl(uint64_t openssl_options) {
  return ToBoringSsl(kOptionBits, openssl_options);
}

uint32_t BoringSslOptionBitsWeTranslate() { return AllBoringSslBits(kOptionBits); }

bool OptionsForbidRenegotiation(uint64_t openssl_options) {
  return (openssl_options & openssl3::kSSL_OP_NO_RENEGOTIATION) != 0;
}

int TranslateVerifyModeToBoringSsl(int openssl_verify_mode) {
  return static_cast<int>(ToBoringSsl(kVerifyBits, static_cast<unsigned>(openssl_verify_mode)));
}

int TranslateSessionCacheModeToBoringSsl(long openssl_mode) {
  return static_cast<int>(ToBoringSsl(kSessionCacheBits, static_cast<unsigned long>(openssl_mode)));
}

int TranslateInfoWhereToOpenSsl(int boringssl_where) {
  return static_cast<int>(ToOpenSsl(kInfoWhereBits, static_cast<uint32_t>(boringssl_where)));
}

int TranslateShutdownToOpenSsl(int boringssl_shutdown) {
  return static_cast<int>(ToOpenSsl(kShutdownBits, static_cast<uint32_t>(boringssl_shutdown)));
}

int TranslateShutdownToBoringSsl(int openssl_shutdown) {
  return static_cast<int>(ToBoringSsl(kShutdownBits, static_cast<unsigned>(openssl_shutdown)));
}

int TranslateKeyUpdateTypeToBoringSsl(int openssl_type) {
  if (openssl_type == openssl3::kSSL_KEY_UPDATE_NOT_REQUESTED) {
    return SSL_KEY_UPDATE_NOT_REQUESTED;
  }
  if (openssl_type == openssl3::kSSL_KEY_UPDATE_REQUESTED) return SSL_KEY_UPDATE_REQUESTED;
  return -1;
}

}  // namespace sslshim::boringssl
