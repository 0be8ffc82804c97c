#include "core/security_callback.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "core/cipher_handles.h"
#include "core/errors.h"
#include "core/named_groups.h"
#include "core/objects.h"
#include "core/signature_schemes.h"
#include "core/supported_ciphers.h"

namespace sslshim {
namespace {

// OpenSSL 3's default groups (ssl/t1_lib.c, supported_groups_default) and signature algorithms
// (tls12_sigalgs), the lists a connection uses when the program sets none.
constexpr uint16_t kDefaultGroups[] = {29, 23, 30, 25, 24, 256, 257, 258, 259, 260};
constexpr uint16_t kDefaultSignatureAlgorithms[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401,
    0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201, 0x0302, 0x0202, 0x0402, 0x0502, 0x0602};

// A group's security bits, as OpenSSL's group table gives them (0 for one it does not have).
int GroupSecurityBits(uint16_t code) {
  switch (code) {
    case 29:   // X25519
    case 23:   // P-256
    case 257:  // ffdhe3072
      return 128;
    case 24:   // P-384
    case 260:  // ffdhe8192
      return 192;
    case 25:  // P-521
      return 256;
    case 30:  // X448
      return 224;
    case 256:  // ffdhe2048
      return 112;
    case 258:  // ffdhe4096
      return 152;
    case 259:  // ffdhe6144
      return 176;
    default:
      return 0;
  }
}

// A signature algorithm's security bits, as OpenSSL's sigalg_security_bits: half the digest's
// bits, less for the broken digests, and RFC 8032's for the EdDSA schemes.
int SignatureSecurityBits(const SignatureScheme& scheme) {
  if (scheme.code == 0x0807) return 128;  // ed25519
  if (scheme.code == 0x0808) return 224;  // ed448
  switch (scheme.hash_nid) {
    case NID_sha1:
      return 64;
    case NID_md5_sha1:
      return 67;
    case NID_md5:
      return 39;
    default: {
      const EVP_MD* md = EVP_get_digestbynid(scheme.hash_nid);
      return md != nullptr ? EVP_MD_get_size(md) * 4 : 0;
    }
  }
}

// The program's answer for one check, with OpenSSL's arguments (ssl_security).
class Asker {
 public:
  explicit Asker(Ssl* ssl) : ssl_(ssl) {}
  bool Allows(int op, int bits, int nid, void* other) const {
    return ssl_->security_callback(ssl_->api(), nullptr, op, bits, nid, other, ssl_->security_ex) !=
           0;
  }
  // A group or signature algorithm goes to the callback as its two bytes on the wire.
  bool AllowsCode(int op, int bits, int nid, uint16_t code) const {
    unsigned char bytes[2] = {static_cast<unsigned char>(code >> 8),
                              static_cast<unsigned char>(code)};
    return Allows(op, bits, nid, bytes);
  }

 private:
  Ssl* ssl_;
};

bool Refuse(Ssl* ssl, int reason, const char* func, const char* why) {
  PushError(ERR_LIB_SSL, reason, func, why);
  ssl->last_error = SSL_ERROR_SSL;
  return false;
}

uint64_t VersionDisableBit(int version) {
  switch (version) {
    case TLS1_VERSION:
    case DTLS1_VERSION:
      return SSL_OP_NO_TLSv1;
    case TLS1_1_VERSION:
      return SSL_OP_NO_TLSv1_1;
    case TLS1_2_VERSION:
    case DTLS1_2_VERSION:
      return SSL_OP_NO_TLSv1_2;
    case TLS1_3_VERSION:
      return SSL_OP_NO_TLSv1_3;
    default:
      return 0;
  }
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ":") + name;
  return out;
}

}  // namespace

std::vector<uint16_t> GroupCodesOfList(const char* list) {
  std::vector<uint16_t> codes;
  std::string all = list != nullptr ? list : "";
  for (size_t at = 0; at <= all.size();) {
    const size_t end = std::min(all.find(':', at), all.size());
    std::string name = all.substr(at, end - at);
    at = end + 1;
    int nid = EC_curve_nist2nid(name.c_str());
    if (nid == NID_undef) nid = OBJ_sn2nid(name.c_str());
    if (nid == NID_undef) nid = OBJ_ln2nid(name.c_str());
    if (nid == NID_undef) {
      // OpenSSL's group names are case-insensitive: "x25519", "x448".
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      nid = OBJ_sn2nid(name.c_str());
    }
    const uint16_t code = nid != NID_undef ? GroupCodeOfNid(nid) : 0;
    if (code != 0) codes.push_back(code);
  }
  return codes;
}

bool ConsultSecurityCallback(Ssl* ssl, const char* func) {
  if (ssl->security_callback == nullptr || ssl->security_callback_consulted ||
      ssl->conn->IsInitFinished()) {
    return true;
  }
  ssl->security_callback_consulted = true;
  const Asker asker(ssl);
  const MethodSpec& method = ssl->session_ctx->method->spec;
  uint64_t refused = 0;  // SSL_OP_NO_* bits for what the callback refuses

  // OpenSSL 3's state machine first puts the connection's version before negotiation (the
  // method's: TLS 1.3 for a flexible one) to the callback and, refused, ends with an internal
  // error (statem.c): a client refusing TLS 1.3 this way has no connection at all.
  if (!asker.Allows(SSL_SECOP_VERSION, 0, ssl->conn->VersionNumber(), nullptr)) {
    return Refuse(ssl, ERR_R_INTERNAL_ERROR, func,
                  "sslshim: the security callback refuses the method's version");
  }
  // Versions: one the callback refuses is disabled, as OpenSSL's ssl_method_error treats it.
  const int versions[] = {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION};
  const int dtls_versions[] = {DTLS1_VERSION, DTLS1_2_VERSION};
  for (int version : method.datagram
                         ? std::vector<int>(std::begin(dtls_versions), std::end(dtls_versions))
                         : std::vector<int>(std::begin(versions), std::end(versions))) {
    if (!asker.Allows(SSL_SECOP_VERSION, 0, version, nullptr))
      refused |= VersionDisableBit(version);
  }

  // Suites: TLS 1.2's are left out one by one; TLS 1.3's only all together on a backend that
  // takes no other list (then TLS 1.3 goes).
  std::vector<std::string> allowed_suites, allowed_tls13;
  size_t tls13_count = 0;
  for (const CipherInfo& info : ssl->conn->Ciphers()) {
    void* handle = const_cast<SSL_CIPHER*>(CipherHandle(info));
    const bool allowed = asker.Allows(SSL_SECOP_CIPHER_SUPPORTED, info.bits, 0, handle) &&
                         asker.Allows(SSL_SECOP_CIPHER_SHARED, info.bits, 0, handle);
    if (info.version == "TLSv1.3") {
      tls13_count++;
      if (allowed) allowed_tls13.push_back(info.name);
    } else if (allowed) {
      allowed_suites.push_back(info.name);
    }
  }
  if (tls13_count > 0 && allowed_tls13.size() < tls13_count) {
    if (allowed_tls13.empty()) {
      refused |= SSL_OP_NO_TLSv1_3;
    } else if (!ssl->conn->SetCiphersuites(Join(allowed_tls13).c_str())) {
      std::vector<ErrorRecord> dropped;  // the backend's reason, replaced by the one below
      ssl->conn->TakeErrors(&dropped);
      return Refuse(ssl, SSL_R_NO_CIPHERS_AVAILABLE, func,
                    "sslshim: refusing to handshake: the security callback refuses some of TLS "
                    "1.3's cipher suites, which this backend cannot leave out alone");
    }
  }
  if (allowed_suites.empty()) {
    refused |= SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;
  } else if (!ssl->conn->SetCipherList(Join(allowed_suites).c_str())) {
    return Refuse(ssl, SSL_R_NO_CIPHERS_AVAILABLE, func, nullptr);
  }

  const VersionWindow window =
      EnabledVersions(method, ssl->min_version, ssl->max_version, ssl->options | refused);
  if (window.min == 0 || window.max == 0) {
    return Refuse(ssl, SSL_R_NO_PROTOCOLS_AVAILABLE, func,
                  "sslshim: the security callback leaves no protocol version");
  }

  // Groups, as OpenSSL's tls_group_allowed asks.
  const std::vector<uint16_t> groups =
      ssl->groups.empty()
          ? std::vector<uint16_t>(std::begin(kDefaultGroups), std::end(kDefaultGroups))
          : GroupCodesOfList(ssl->groups.c_str());
  std::vector<std::string> allowed_groups;
  for (uint16_t code : groups) {
    const int nid = GroupNidOfCode(code);
    if (asker.AllowsCode(SSL_SECOP_CURVE_SUPPORTED, GroupSecurityBits(code), nid, code) &&
        asker.AllowsCode(SSL_SECOP_CURVE_SHARED, GroupSecurityBits(code), nid, code)) {
      const char* name = OBJ_nid2sn(nid);
      if (name != nullptr) allowed_groups.push_back(name);
    }
  }
  if (allowed_groups.size() < groups.size() &&
      (allowed_groups.empty() || !ssl->conn->SetGroups(Join(allowed_groups).c_str()))) {
    return Refuse(ssl, SSL_R_NO_SHARED_GROUPS, func,
                  "sslshim: the security callback leaves no group this backend has");
  }

  // Signature algorithms, as OpenSSL's tls12_sigalg_allowed asks.
  const std::vector<uint16_t>& configured = ssl->signature_algorithms;
  const std::vector<uint16_t> schemes =
      configured.empty() ? std::vector<uint16_t>(std::begin(kDefaultSignatureAlgorithms),
                                                 std::end(kDefaultSignatureAlgorithms))
                         : configured;
  std::vector<uint16_t> allowed_schemes;
  for (uint16_t code : schemes) {
    const SignatureScheme* scheme = FindSignatureScheme(code);
    if (scheme == nullptr) continue;
    const int bits = SignatureSecurityBits(*scheme);
    if (asker.AllowsCode(SSL_SECOP_SIGALG_SUPPORTED, bits, scheme->hash_nid, code) &&
        asker.AllowsCode(SSL_SECOP_SIGALG_SHARED, bits, scheme->hash_nid, code) &&
        asker.AllowsCode(SSL_SECOP_SIGALG_CHECK, bits, scheme->hash_nid, code)) {
      allowed_schemes.push_back(code);
    }
  }
  if (allowed_schemes.size() < schemes.size() &&
      (allowed_schemes.empty() || !ssl->conn->SetSignatureAlgorithms(allowed_schemes))) {
    return Refuse(ssl, SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS, func,
                  "sslshim: the security callback leaves no signature algorithm this backend has");
  }

  if (!asker.Allows(SSL_SECOP_TICKET, 0, 0, nullptr)) refused |= SSL_OP_NO_TICKET;
  if (refused != 0) ssl->conn->SetOptions(ssl->options | refused);
  return true;
}

}  // namespace sslshim
