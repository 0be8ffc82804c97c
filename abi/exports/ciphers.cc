// SSL_CIPHER: one handle per cipher suite for the life of the process (OpenSSL's are static too),
// carrying what the backend reported of it; NIDs are translated into the program's numbering.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/cipher_handles.h"
#include "core/shared_ciphers.h"
#include "core/supported_ciphers.h"
#include "core/unique_ptr.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {
namespace {

int Nid(const std::string& short_name) {
  return short_name.empty() ? NID_undef : OBJ_sn2nid(short_name.c_str());
}

// The word OpenSSL's SSL_CIPHER_description prints for an algorithm NID's short name.
std::string Word(const std::string& sn, const char* prefix, const char* none) {
  if (sn.empty()) return none;
  if (sn.rfind(prefix, 0) == 0) return sn.substr(std::char_traits<char>::length(prefix));
  return sn;
}

}  // namespace
}  // namespace sslshim

using sslshim::Cipher;

namespace sslshim::entry {
// An SSL_CIPHER handle's object; bodies see its description. A null cipher answers silently.
template <>
struct Object<SSL_CIPHER> {
  using Type = Cipher;
  using View = const CipherInfo&;
  static constexpr HandleKind kKind = HandleKind::kCipher;
  static View ViewOf(Cipher* cipher) { return cipher->info; }
};
}  // namespace sslshim::entry

#define SSLSHIM_CIPHER_ENTRY(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_CIPHER, info, kIsIgnored, fn, fail, __VA_ARGS__)

SSLSHIM_SSL_ENTRY(SSL_get_current_cipher, nullptr) {
  sslshim::CipherInfo info;
  if (!ssl->conn()->CurrentCipher(&info)) return nullptr;
  return sslshim::CipherHandle(info);
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get0_cipher, nullptr) {
  sslshim::BackendSession::Facts facts = session->backend->Describe();
  return facts.has_cipher ? sslshim::CipherHandle(facts.cipher) : nullptr;
}

SSLSHIM_SSL_ENTRY(SSL_get_ciphers, nullptr) {
  if (ssl->cipher_stack == nullptr) ssl->cipher_stack.reset(sk_SSL_CIPHER_new_null());
  if (ssl->cipher_stack == nullptr) return nullptr;
  sk_SSL_CIPHER_zero(ssl->cipher_stack.get());
  for (const sslshim::CipherInfo& info : ssl->conn()->Ciphers()) {
    sk_SSL_CIPHER_push(ssl->cipher_stack.get(), sslshim::CipherHandle(info));
  }
  return ssl->cipher_stack.get();
}

// The backend keeps the context's list in its own form: what a connection made from the context
// now would offer is the context's list (a connection object of the backend's alone, never shown
// to the program, asked as SSL_get_ciphers asks its own).
SSLSHIM_CTX_ENTRY(SSL_CTX_get_ciphers, nullptr) {
  sslshim::Ssl probe;  // the observer of a connection that is only asked for its list: never called
  std::unique_ptr<sslshim::BackendConn> conn = ctx->backend()->NewConn(&probe);
  if (!conn) {
    sslshim::FinishCtxCall(ctx, false, ERR_R_INTERNAL_ERROR, "SSL_CTX_get_ciphers");
    return nullptr;
  }
  if (ctx->cipher_stack == nullptr) ctx->cipher_stack.reset(sk_SSL_CIPHER_new_null());
  if (ctx->cipher_stack == nullptr) return nullptr;
  sk_SSL_CIPHER_zero(ctx->cipher_stack.get());
  for (const sslshim::CipherInfo& info : conn->Ciphers()) {
    sk_SSL_CIPHER_push(ctx->cipher_stack.get(), sslshim::CipherHandle(info));
  }
  return ctx->cipher_stack.get();
}

SSLSHIM_SSL_ENTRY(SSL_get_client_ciphers, nullptr) {
  // Neither backend keeps the client's offer for the program after the handshake.
  (void)ssl;
  return nullptr;
}

// OpenSSL 3's: what SSL_get_ciphers lists, less the suites no version the connection may
// negotiate can use, the PSK suites unless a PSK client callback is set, and SRP's; a new stack the
// caller frees, NULL when nothing is left. The method is SSL_new's, as OpenSSL's connection keeps
// it across SSL_set_SSL_CTX.
SSLSHIM_SSL_ENTRY(SSL_get1_supported_ciphers, nullptr) {
  const sslshim::MethodSpec& method = ssl->session_ctx()->method->spec;
  const sslshim::VersionWindow window =
      sslshim::EnabledVersions(method, ssl->min_version, ssl->max_version, ssl->options);
  sslshim::UniquePtr<STACK_OF(SSL_CIPHER)> supported;
  for (const sslshim::CipherInfo& info : ssl->conn()->Ciphers()) {
    if (!sslshim::CipherSupported(info, window, method.datagram,
                                  ssl->psk_client_callback != nullptr)) {
      continue;
    }
    if (supported == nullptr) supported.reset(sk_SSL_CIPHER_new_null());
    if (supported == nullptr || !sk_SSL_CIPHER_push(supported.get(), sslshim::CipherHandle(info))) {
      return nullptr;
    }
  }
  return supported.release();
}

// A server's answer only, from the client's last ClientHello against SSL_get_ciphers' list.
SSLSHIM_SSL_ENTRY(SSL_get_shared_ciphers, nullptr, buf, size) {
  if (!ssl->conn()->IsServer() || size < 2) return nullptr;
  const std::vector<uint16_t> offered = ssl->conn()->PeerCipherSuites();
  if (offered.empty()) return nullptr;
  return sslshim::WriteSharedCiphers(offered, ssl->conn()->Ciphers(), buf, size);
}

SSLSHIM_FUNCTION_ENTRY(SSL_get_cipher_list, s, n) {
  STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(s);
  if (ciphers == nullptr || n < 0 || n >= sk_SSL_CIPHER_num(ciphers)) return nullptr;
  return SSL_CIPHER_get_name(sk_SSL_CIPHER_value(ciphers, n));
}

namespace {

// OpenSSL's table of signalling suites, which SSL_CIPHER_find also answers (ssl3_scsvs in
// ssl/s3_lib.c) and BoringSSL has no SSL_CIPHER for.
sslshim::CipherInfo SignallingSuite(const char* name, uint32_t id) {
  sslshim::CipherInfo info;
  info.name = name;
  info.standard_name = name;
  info.id = id;
  info.version = "SSLv3";  // OpenSSL names a suite by its lowest version
  return info;
}

}  // namespace

// Any suite the library knows, as OpenSSL's (nginx names every suite a client offered with it).
SSLSHIM_SSL_ENTRY(SSL_CIPHER_find, nullptr, ptr) {
  if (ptr == nullptr) return nullptr;
  const uint16_t code = static_cast<uint16_t>((ptr[0] << 8) | ptr[1]);
  const uint32_t id = 0x03000000u | code;
  for (const sslshim::CipherInfo& info : ssl->conn()->Ciphers()) {
    if (info.id == id) return sslshim::CipherHandle(info);
  }
  sslshim::CipherInfo info;
  if (ssl->conn()->FindCipher(code, &info)) return sslshim::CipherHandle(info);
  if (code == 0x00ff) {
    return sslshim::CipherHandle(SignallingSuite("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", id));
  }
  if (code == 0x5600) return sslshim::CipherHandle(SignallingSuite("TLS_FALLBACK_SCSV", id));
  return nullptr;
}

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_name, "(NONE)") { return info.name.c_str(); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_standard_name, "(NONE)") { return info.standard_name.c_str(); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_bits, 0, alg_bits) {
  if (alg_bits != nullptr) *alg_bits = info.alg_bits;
  return info.bits;
}

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_version, "(NONE)") { return info.version.c_str(); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_id, 0) { return info.id; }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_protocol_id, 0) {
  return static_cast<uint16_t>(info.id & 0xffff);
}

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_kx_nid, NID_undef) { return sslshim::Nid(info.kx_sn); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_auth_nid, NID_undef) { return sslshim::Nid(info.auth_sn); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_cipher_nid, NID_undef) { return sslshim::Nid(info.cipher_sn); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_digest_nid, NID_undef) { return sslshim::Nid(info.digest_sn); }

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_is_aead, 0) { return info.is_aead ? 1 : 0; }

// The digest of the handshake's transcript and PRF, as OpenSSL's cipher table has it: a TLS 1.2 or
// 1.3 suite's names it (SHA-384 for the *_SHA384 suites, else SHA-256); the older suites use
// MD5+SHA-1.
SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_get_handshake_digest, nullptr) {
  if (info.version != "TLSv1.2" && info.version != "TLSv1.3") return EVP_md5_sha1();
  const std::string& name = info.standard_name;
  constexpr std::string_view kSha384 = "_SHA384";
  const bool sha384 =
      name.size() >= kSha384.size() && name.compare(name.size() - kSha384.size(), kSha384.size(),
                                                    kSha384.data(), kSha384.size()) == 0;
  return sha384 ? EVP_sha384() : EVP_sha256();
}

SSLSHIM_CIPHER_ENTRY(SSL_CIPHER_description, nullptr, buf, size) {
  if (buf == nullptr) {
    size = 128;
    buf = static_cast<char*>(OPENSSL_malloc(size));
    if (buf == nullptr) return nullptr;
  } else if (size < 128) {
    return nullptr;
  }
  // OpenSSL's layout: name, version, key exchange, authentication, encryption, MAC.
  std::snprintf(buf, static_cast<size_t>(size), "%-30s %-7s Kx=%-8s Au=%-4s Enc=%-22s Mac=%-4s\n",
                info.name.c_str(), info.version.c_str(),
                sslshim::Word(info.kx_sn, "Kx", "any").c_str(),
                sslshim::Word(info.auth_sn, "Auth", "any").c_str(), info.cipher_sn.c_str(),
                info.is_aead ? "AEAD" : sslshim::Word(info.digest_sn, "", "None").c_str());
  return buf;
}
