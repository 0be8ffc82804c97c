// Small state of a context or connection that OpenSSL 3 lets a program set or read back: the
// info callback, the connection's ticket count, the security callback and its argument, the record
// reading state, the pending cipher, this side's signature type, group names, buffer management,
// and the default cipher strings.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/cipher_handles.h"
#include "core/errors.h"
#include "core/named_groups.h"
#include "core/signature_schemes.h"
#include "core/unique_ptr.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

// OpenSSL's: the connection's own callback only (SSL_CTX_get_info_callback has the context's).
SSLSHIM_SSL_ENTRY(SSL_get_info_callback, nullptr) { return ssl->info_callback; }

SSLSHIM_SSL_ENTRY(SSL_set_num_tickets, 0, num_tickets) {
  if (!sslshim::FinishConnCall(ssl, ssl->conn()->SetNumTickets(num_tickets),
                               ERR_R_PASSED_INVALID_ARGUMENT, "SSL_set_num_tickets")) {
    return 0;
  }
  ssl->num_tickets = num_tickets;
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_get_num_tickets, 0) { return ssl->num_tickets; }

// --- The security callback ----------------------------------------------------------------------

namespace sslshim {
namespace {

// OpenSSL's default security callback (ssl_security_default_callback), which its getters answer
// while the program has set no other (the level is applied by the backend). It reads
// the object's level and the cipher through the exported functions, so it answers for the shim's
// objects as OpenSSL's does for its own.
int DefaultSecurityCallback(const SSL* s, const SSL_CTX* ctx, int op, int bits, int nid,
                            void* other, void* /*ex*/) {
  int level = ctx != nullptr ? SSL_CTX_get_security_level(ctx) : SSL_get_security_level(s);
  level = level < 0 ? 0 : level > 5 ? 5 : level;
  const int min_bits = sslshim::SecurityLevelMinimumBits(level);
  if (level == 0) {
    // No DHE keys under 1024 bits (80 security bits) even at level 0; anything else goes.
    return op == SSL_SECOP_TMP_DH && bits < 80 ? 0 : 1;
  }
  switch (op) {
    case SSL_SECOP_CIPHER_SUPPORTED:
    case SSL_SECOP_CIPHER_SHARED:
    case SSL_SECOP_CIPHER_CHECK: {
      const auto* c = static_cast<const SSL_CIPHER*>(other);
      if (bits < min_bits) return 0;
      if (SSL_CIPHER_get_auth_nid(c) == NID_auth_null) return 0;
      const int digest = SSL_CIPHER_get_digest_nid(c);
      if (digest == NID_md5) return 0;
      if (min_bits > 160 && digest == NID_sha1) return 0;
      if (level >= 2 && SSL_CIPHER_get_cipher_nid(c) == NID_rc4) return 0;
      // Level 3: forward secrecy (TLS 1.3's suites always have it).
      const int kx = SSL_CIPHER_get_kx_nid(c);
      if (level >= 3 && kx != NID_kx_any && kx != NID_kx_dhe && kx != NID_kx_ecdhe &&
          kx != NID_kx_dhe_psk && kx != NID_kx_ecdhe_psk) {
        return 0;
      }
      break;
    }
    case SSL_SECOP_VERSION:
      if (s == nullptr || !SSL_is_dtls(s)) {
        if (nid <= SSL3_VERSION && level >= 2) return 0;
        if (nid <= TLS1_VERSION && level >= 3) return 0;
        if (nid <= TLS1_1_VERSION && level >= 4) return 0;
      } else {
        // DTLS numbers count down; DTLS1_BAD_VER is the oldest.
        const int ordinal = nid == DTLS1_BAD_VER ? 0xff00 : nid;
        if (ordinal > DTLS1_2_VERSION && level >= 4) return 0;
      }
      break;
    case SSL_SECOP_COMPRESSION:
      if (level >= 2) return 0;
      break;
    case SSL_SECOP_TICKET:
      if (level >= 3) return 0;
      break;
    default:
      if (bits < min_bits) return 0;
  }
  return 1;
}

}  // namespace
}  // namespace sslshim

// The program's callback once it has set one (core/security_callback.h), else OpenSSL's default.
SSLSHIM_CTX_ENTRY(SSL_CTX_get_security_callback, nullptr) {
  return ctx->security_callback != nullptr ? ctx->security_callback
                                           : sslshim::DefaultSecurityCallback;
}

SSLSHIM_SSL_ENTRY(SSL_get_security_callback, nullptr) {
  return ssl->security_callback != nullptr ? ssl->security_callback
                                           : sslshim::DefaultSecurityCallback;
}

// A null callback brings back the default (OpenSSL 3 stores it and crashes at its next check).
SSLSHIM_CTX_ENTRY(SSL_CTX_set_security_callback, , cb) { ctx->security_callback = cb; }

SSLSHIM_SSL_ENTRY(SSL_set_security_callback, , cb) {
  ssl->security_callback = cb;
  ssl->connection.security_callback_consulted = false;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set0_security_ex_data, , ex) { ctx->security_ex = ex; }

SSLSHIM_CTX_ENTRY(SSL_CTX_get0_security_ex_data, nullptr) { return ctx->security_ex; }

SSLSHIM_SSL_ENTRY(SSL_set0_security_ex_data, , ex) { ssl->security_ex = ex; }

SSLSHIM_SSL_ENTRY(SSL_get0_security_ex_data, nullptr) { return ssl->security_ex; }

// --- What the connection is doing ---------------------------------------------------------------

SSLSHIM_SSL_ENTRY(SSL_rstate_string, "unknown") {
  return ssl->conn()->ReadingRecordBody() ? "RB" : "RH";
}

SSLSHIM_SSL_ENTRY(SSL_rstate_string_long, "unknown") {
  return ssl->conn()->ReadingRecordBody() ? "read body" : "read header";
}

// The suite the handshake chose, from the moment it is chosen (a ServerHello sent or read) on.
SSLSHIM_SSL_ENTRY(SSL_get_pending_cipher, nullptr) {
  sslshim::CipherInfo info;
  if (!ssl->conn()->PendingCipher(&info)) return nullptr;
  return sslshim::CipherHandle(info);
}

// The signature type (an EVP_PKEY id; RSA-PSS for both rsa_pss schemes) of the handshake
// signature this side made; 0 and *pnid untouched when it made none.
SSLSHIM_SSL_ENTRY(SSL_get_signature_type_nid, 0, pnid) {
  const sslshim::SignatureScheme* scheme =
      sslshim::FindSignatureScheme(ssl->conn()->OwnSignatureScheme());
  if (scheme == nullptr) return 0;
  *pnid = scheme->sign_nid;
  return 1;
}

// OpenSSL's: a cipher suite list as a ClientHello carries it (two bytes a suite; three in an
// SSLv2-format hello, whose true SSLv2 suites are skipped) as the suites it knows, the
// signalling ones apart; unknown ones are left out.
SSLSHIM_SSL_ENTRY(SSL_bytes_to_cipher_list, 0, bytes, len, isv2format, sk, scsvs) {
  static constexpr char kFunc[] = "SSL_bytes_to_cipher_list";
  const size_t n = isv2format ? 3 : 2;
  if (len > SIZE_MAX / 2) return 0;
  if (len == 0) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_NO_CIPHERS_SPECIFIED, kFunc);
    return 0;
  }
  if (len % n != 0) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_ERROR_IN_RECEIVED_CIPHER_LIST, kFunc);
    return 0;
  }
  sslshim::UniquePtr<STACK_OF(SSL_CIPHER)> known(sk_SSL_CIPHER_new_null());
  sslshim::UniquePtr<STACK_OF(SSL_CIPHER)> signalling(sk_SSL_CIPHER_new_null());
  bool ok = known != nullptr && signalling != nullptr;
  for (size_t i = 0; ok && i < len; i += n) {
    if (isv2format && bytes[i] != 0) continue;
    const unsigned char* suite = bytes + i + (isv2format ? 1 : 0);
    const SSL_CIPHER* c = SSL_CIPHER_find(ssl->api(), suite);
    if (c == nullptr) continue;
    const uint16_t code = SSL_CIPHER_get_protocol_id(c);
    const bool is_signalling = code == 0x00ff || code == 0x5600;
    ok = sk_SSL_CIPHER_push(is_signalling ? signalling.get() : known.get(), c) > 0;
  }
  if (!ok) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, kFunc);
    return 0;
  }
  if (sk != nullptr) *sk = known.release();
  if (scsvs != nullptr) *scsvs = signalling.release();
  return 1;
}

// --- Group names --------------------------------------------------------------------------------

namespace sslshim {
namespace {

// OpenSSL 3.0's groups without a row in core/named_groups.cc (which has those that can be
// negotiated), by NID: their TLS codes (ssl/t1_lib.c, nid_to_group).
struct GroupCode {
  int nid;
  uint16_t code;
};
constexpr GroupCode kOtherGroups[] = {
    {NID_sect163k1, 1},
    {NID_sect163r1, 2},
    {NID_sect163r2, 3},
    {NID_sect193r1, 4},
    {NID_sect193r2, 5},
    {NID_sect233k1, 6},
    {NID_sect233r1, 7},
    {NID_sect239k1, 8},
    {NID_sect283k1, 9},
    {NID_sect283r1, 10},
    {NID_sect409k1, 11},
    {NID_sect409r1, 12},
    {NID_sect571k1, 13},
    {NID_sect571r1, 14},
    {NID_secp160k1, 15},
    {NID_secp160r1, 16},
    {NID_secp160r2, 17},
    {NID_secp192k1, 18},
    {NID_X9_62_prime192v1, 19},
    {NID_secp224k1, 20},
    {NID_secp256k1, 22},
    {NID_id_tc26_gost_3410_2012_256_paramSetA, 0x22},
    {NID_id_tc26_gost_3410_2012_256_paramSetB, 0x23},
    {NID_id_tc26_gost_3410_2012_256_paramSetC, 0x24},
    {NID_id_tc26_gost_3410_2012_256_paramSetD, 0x25},
    {NID_id_tc26_gost_3410_2012_512_paramSetA, 0x26},
    {NID_id_tc26_gost_3410_2012_512_paramSetB, 0x27},
    {NID_id_tc26_gost_3410_2012_512_paramSetC, 0x28},
};

uint16_t GroupCodeOf(int nid) {
  for (const GroupCode& group : kOtherGroups) {
    if (group.nid == nid) return group.code;
  }
  return GroupCodeOfNid(nid);
}

struct GroupSearch {
  unsigned code = 0;
  const char* name = nullptr;  // the first usable group the providers list with the code
};

// As OpenSSL's SSL_CTX_new learns its groups (discover_provider_groups): each provider's
// TLS-GROUP capabilities, in order, those whose key type can be fetched.
int FindGroup(const OSSL_PARAM params[], void* arg) {
  auto* search = static_cast<GroupSearch*>(arg);
  unsigned id = 0;
  const char* name = nullptr;
  const char* algorithm = nullptr;
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_CAPABILITY_TLS_GROUP_ID);
  if (search->name != nullptr || p == nullptr || !OSSL_PARAM_get_uint(p, &id) ||
      id != search->code) {
    return 1;
  }
  p = OSSL_PARAM_locate_const(params, OSSL_CAPABILITY_TLS_GROUP_NAME);
  if (p == nullptr || !OSSL_PARAM_get_utf8_string_ptr(p, &name)) return 1;
  p = OSSL_PARAM_locate_const(params, OSSL_CAPABILITY_TLS_GROUP_ALG);
  if (p == nullptr || !OSSL_PARAM_get_utf8_string_ptr(p, &algorithm)) return 1;
  ERR_set_mark();
  sslshim::UniquePtr<EVP_KEYMGMT> keymgmt(EVP_KEYMGMT_fetch(nullptr, algorithm, nullptr));
  ERR_pop_to_mark();
  if (keymgmt == nullptr) return 1;
  search->name = name;
  return 1;
}

int SearchProvider(OSSL_PROVIDER* provider, void* arg) {
  OSSL_PROVIDER_get_capabilities(provider, "TLS-GROUP", FindGroup, arg);
  return 1;
}

// The name, kept for the process (OpenSSL hands out its context's copy).
const char* KeptName(const char* name) {
  static std::mutex mutex;
  static auto* names = new std::set<std::string>();
  std::lock_guard<std::mutex> lock(mutex);
  return names->insert(name).first->c_str();
}

}  // namespace
}  // namespace sslshim

// OpenSSL's: the TLS name of the group with this NID (or TLSEXT_nid_unknown | code) among those
// the providers offer, or NULL.
SSLSHIM_SSL_ENTRY(SSL_group_to_name, nullptr, nid) {
  sslshim::GroupSearch search;
  search.code = (nid & TLSEXT_nid_unknown) != 0 ? static_cast<unsigned>(nid & 0xffff)
                                                : sslshim::GroupCodeOf(nid);
  if (search.code == 0) return nullptr;
  OSSL_PROVIDER_do_all(nullptr, sslshim::SearchProvider, &search);
  return search.name != nullptr ? sslshim::KeptName(search.name) : nullptr;
}

// --- Buffers ------------------------------------------------------------------------------------

SSLSHIM_SSL_ENTRY(SSL_alloc_buffers, 0) { return ssl->conn()->AllocateBuffers() ? 1 : 0; }

// OpenSSL's: refused (0, nothing queued) while a write waits to be retried or records or bytes
// are held.
SSLSHIM_SSL_ENTRY(SSL_free_buffers, 0) {
  if (ssl->connection.pending_write.active()) return 0;
  return ssl->conn()->ReleaseBuffers() ? 1 : 0;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_set_default_read_buffer_len, , len) {
  ctx->backend()->SetDefaultReadBufferLength(len);
}

SSLSHIM_SSL_ENTRY(SSL_set_default_read_buffer_len, , len) {
  ssl->conn()->SetDefaultReadBufferLength(len);
}

// OpenSSL 3's: does nothing (it did nothing in 1.1 either).
SSLSHIM_SSL_ENTRY(SSL_set_debug, , debug) { (void)ssl, (void)debug; }

// OpenSSL's: the connection's certificates, keys and chains are gone, its context's included
// (the connection had copies); the context keeps its own.
SSLSHIM_SSL_ENTRY(SSL_certs_clear, ) {
  ssl->certificate.reset();
  ssl->private_key.reset();
  ssl->cert_chain.reset();
  ssl->certificates_cleared = true;
  sslshim::FinishConnCall(ssl, ssl->conn()->ClearCertificates(), ERR_R_INTERNAL_ERROR,
                          "SSL_certs_clear");
}

// --- Default cipher strings ---------------------------------------------------------------------

// OpenSSL 3.0's defaults (ssl/ssl_ciph.c), which its own SSL_CTX_new applies.
SSLSHIM_FUNCTION_ENTRY(OSSL_default_cipher_list) { return "ALL:!COMPLEMENTOFDEFAULT:!eNULL"; }

SSLSHIM_FUNCTION_ENTRY(OSSL_default_ciphersuites) {
  return "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
}
