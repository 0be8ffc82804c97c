// Small settings and queries around a connection: state strings, compression (never done: no
// backend compresses, as OpenSSL 3 by default), ALPN lists (set, matched), quiet shutdown,
// read-ahead, security level, per-connection cipher list (early data: early_data.cc).
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

namespace {

// One length-prefixed entry of an ALPN wire list, at `*pos`; false at the end or if malformed.
bool NextProtocol(const unsigned char* list, unsigned int len, unsigned int* pos,
                  const unsigned char** proto, unsigned char* proto_len) {
  if (*pos >= len) return false;
  unsigned char n = list[*pos];
  if (n > len - *pos - 1) return false;
  *proto = list + *pos + 1;
  *proto_len = n;
  *pos += 1u + n;
  return true;
}

// OpenSSL 3's check of a client's ALPN list (ssl_lib.c's alpn_value_ok): at least one protocol,
// none empty, the lengths adding up to `len`.
bool IsValidAlpnList(const unsigned char* list, unsigned int len) {
  if (len < 2) return false;
  const unsigned char* proto;
  unsigned char proto_len;
  for (unsigned int pos = 0; pos < len;) {
    if (!NextProtocol(list, len, &pos, &proto, &proto_len) || proto_len == 0) return false;
  }
  return true;
}

// SSL_CTX_set_alpn_protos / SSL_set_alpn_protos, OpenSSL 3's way: no list (NULL or length 0)
// clears it; a malformed one is refused with nothing queued; the answer is inverted (0: success).
// `apply` gives the backend a checked list, or (nullptr, 0).
template <typename Apply>
int SetAlpnList(const unsigned char* protos, unsigned int len, Apply apply) {
  if (protos == nullptr || len == 0) return apply(nullptr, 0u) ? 0 : 1;
  if (!IsValidAlpnList(protos, len)) return 1;
  return apply(protos, len) ? 0 : 1;
}

}  // namespace

SSLSHIM_CTX_ENTRY(SSL_CTX_set_alpn_protos, 1, protos, len) {
  return SetAlpnList(protos, len, [ctx](const unsigned char* list, unsigned int n) {
    return sslshim::FinishCtxCall(ctx, ctx->backend()->SetAlpnProtos(list, n), 0,
                                  "SSL_CTX_set_alpn_protos") == 1;
  });
}

SSLSHIM_SSL_ENTRY(SSL_set_alpn_protos, 1, protos, protos_len) {
  return SetAlpnList(protos, protos_len, [ssl](const unsigned char* list, unsigned int n) {
    return sslshim::FinishConnCall(ssl, ssl->conn()->SetAlpnProtos(list, n), 0,
                                   "SSL_set_alpn_protos") == 1;
  });
}

// OpenSSL 3.0.22's algorithm (after CVE-2024-5535): the first server protocol the client also
// lists; else the client's first protocol as the opportunistic default.
SSLSHIM_FUNCTION_ENTRY(SSL_select_next_proto, out, outlen, server, server_len, client, client_len) {
  const unsigned char* first = nullptr;
  unsigned char first_len = 0;
  unsigned int pos = 0;
  if (!NextProtocol(client, client_len, &pos, &first, &first_len) || first_len == 0) {
    *out = nullptr;
    *outlen = 0;
    return OPENSSL_NPN_NO_OVERLAP;
  }
  *out = const_cast<unsigned char*>(first);
  *outlen = first_len;
  const unsigned char* s;
  unsigned char s_len;
  for (unsigned int sp = 0; NextProtocol(server, server_len, &sp, &s, &s_len);) {
    if (s_len == 0) continue;
    const unsigned char* c;
    unsigned char c_len;
    for (unsigned int cp = 0; NextProtocol(client, client_len, &cp, &c, &c_len);) {
      if (c_len == s_len && std::memcmp(c, s, s_len) == 0) {
        *out = const_cast<unsigned char*>(s);
        *outlen = s_len;
        return OPENSSL_NPN_NEGOTIATED;
      }
    }
  }
  return OPENSSL_NPN_NO_OVERLAP;
}

// The backends name OpenSSL 3's handshake states through shim/backend/handshake_state.h.
#define SSLSHIM_CHECK_HANDSHAKE_STATE(name, openssl_name, number)                                \
  static_assert(                                                                                 \
      static_cast<int>(sslshim::HandshakeState::name) == openssl_name && openssl_name == number, \
      #openssl_name " is numbered differently in <openssl/ssl.h>");
SSLSHIM_HANDSHAKE_STATES(SSLSHIM_CHECK_HANDSHAKE_STATE)
#undef SSLSHIM_CHECK_HANDSHAKE_STATE

SSLSHIM_SSL_ENTRY(SSL_get_state, TLS_ST_BEFORE) {
  return static_cast<OSSL_HANDSHAKE_STATE>(ssl->conn()->GetHandshakeState());
}

SSLSHIM_SSL_ENTRY(SSL_in_before, 0) { return ssl->conn()->InBefore() ? 1 : 0; }

// After a fatal error OpenSSL's state machine is in its error state, whatever step it failed in:
// "error" / "SSLERR" (ruby puts the long one in its exception messages).
SSLSHIM_SSL_ENTRY(SSL_state_string_long, "unknown state") {
  return ssl->connection.failure.protocol() ? "error" : ssl->conn()->StateString(true);
}

SSLSHIM_SSL_ENTRY(SSL_state_string, "UNKWN ") {
  return ssl->connection.failure.protocol() ? "SSLERR" : ssl->conn()->StateString(false);
}

SSLSHIM_SSL_ENTRY(SSL_get_current_compression, nullptr) {
  (void)ssl;
  return nullptr;
}

SSLSHIM_SSL_ENTRY(SSL_get_current_expansion, nullptr) {
  (void)ssl;
  return nullptr;
}

namespace {

// Standing in, the process's list of compression methods, as OpenSSL keeps one: empty at first
// (Debian's OpenSSL 3 has no zlib), replaced by SSL_COMP_set0_compression_methods.
std::atomic<STACK_OF(SSL_COMP) *>& CompressionMethods() {
  static std::atomic<STACK_OF(SSL_COMP)*> methods{sk_SSL_COMP_new_null()};
  return methods;
}

}  // namespace

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_COMP_get_compression_methods) {
  // Preloaded, the real libssl's list (empty unless the program added methods); standing in,
  // our own: a program that zeroes it to turn compression off finds nothing.
  return CompressionMethods().load();
}

// OpenSSL's: the list is replaced, the old one handed back (stunnel turns compression off so).
SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_COMP_set0_compression_methods, meths) {
  return CompressionMethods().exchange(meths);
}

SSLSHIM_REAL_FIRST_FUNCTION_ENTRY(SSL_COMP_get_name, comp) { return nullptr; }

SSLSHIM_SSL_ENTRY(SSL_set_quiet_shutdown, , mode) {
  ssl->quiet_shutdown = mode != 0;
  ssl->conn()->SetQuietShutdown(mode != 0);
}

SSLSHIM_SSL_ENTRY(SSL_get_quiet_shutdown, 0) { return ssl->quiet_shutdown ? 1 : 0; }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_quiet_shutdown, , mode) { ctx->quiet_shutdown = mode != 0; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get_quiet_shutdown, 0) { return ctx->quiet_shutdown ? 1 : 0; }

// Read-ahead is a buffering hint; both backends read whole records as they need them.
SSLSHIM_SSL_ENTRY(SSL_set_read_ahead, , yes) {
  ssl->read_ahead = yes;
  ssl->conn()->SetReadAhead(yes != 0);
}

SSLSHIM_SSL_ENTRY(SSL_get_read_ahead, 0) { return static_cast<int>(ssl->read_ahead); }

SSLSHIM_SSL_ENTRY(SSL_set_cipher_list, 0, str) {
  bool ok = str != nullptr && ssl->conn()->SetCipherList(str);
  if (!sslshim::FinishConnCall(ssl, ok, SSL_R_NO_CIPHER_MATCH, "SSL_set_cipher_list")) return 0;
  ssl->cipher_list = std::make_unique<std::string>(str);
  int level = sslshim::SecurityLevelInCipherString(str);
  if (level >= 0) sslshim::ApplySecurityLevel(ssl, level, "SSL_set_cipher_list");
  return 1;
}

// OpenSSL 3's list of the extensions it handles itself (ssl/statem/extensions_cust.c; measured:
// signature_algorithms_cert is not on it, extended_master_secret is), which a program's custom
// extension may not take: a fact about OpenSSL's API, the same whatever backend does the
// handshake.
SSLSHIM_FUNCTION_ENTRY(SSL_extension_supported, ext_type) {
  switch (ext_type) {
    case TLSEXT_TYPE_application_layer_protocol_negotiation:
    case TLSEXT_TYPE_ec_point_formats:
    case TLSEXT_TYPE_supported_groups:
    case TLSEXT_TYPE_key_share:
    case TLSEXT_TYPE_next_proto_neg:
    case TLSEXT_TYPE_padding:
    case TLSEXT_TYPE_renegotiate:
    case TLSEXT_TYPE_max_fragment_length:
    case TLSEXT_TYPE_server_name:
    case TLSEXT_TYPE_session_ticket:
    case TLSEXT_TYPE_signature_algorithms:
    case TLSEXT_TYPE_srp:
    case TLSEXT_TYPE_status_request:
    case TLSEXT_TYPE_signed_certificate_timestamp:
    case TLSEXT_TYPE_use_srtp:
    case TLSEXT_TYPE_encrypt_then_mac:
    case TLSEXT_TYPE_extended_master_secret:
    case TLSEXT_TYPE_supported_versions:
    case TLSEXT_TYPE_psk_kex_modes:
    case TLSEXT_TYPE_cookie:
    case TLSEXT_TYPE_early_data:
    case TLSEXT_TYPE_certificate_authorities:
    case TLSEXT_TYPE_psk:
    case TLSEXT_TYPE_post_handshake_auth:
      return 1;
    default:
      return 0;
  }
}
