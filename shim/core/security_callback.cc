#include "core/security_callback.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <string>

#include "core/cipher_handles.h"
#include "core/errors.h"
#include "core/named_groups.h"
#include "core/objects.h"
#include "core/signature_schemes.h"
#include "core/supported_ciphers.h"

namespace sslshim {
namespace {

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
  ssl->connection.last_error = SSL_ERROR_SSL;
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

namespace {

// SSL_OP_NO_* bits for the versions the callback refuses: OpenSSL's ssl_method_error treats such a
// version as disabled.
uint64_t RefusedVersions(const Asker& asker, bool datagram) {
  static constexpr int kTls[] = {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION};
  static constexpr int kDtls[] = {DTLS1_VERSION, DTLS1_2_VERSION};
  uint64_t refused = 0;
  for (int version : datagram ? std::vector<int>(std::begin(kDtls), std::end(kDtls))
                              : std::vector<int>(std::begin(kTls), std::end(kTls))) {
    if (!asker.Allows(SSL_SECOP_VERSION, 0, version, nullptr))
      refused |= VersionDisableBit(version);
  }
  return refused;
}

// Suites, as OpenSSL's ssl_cipher_disabled asks: TLS 1.2's are left out one by one, TLS 1.3's
// only all together on a backend that takes no other list (then TLS 1.3 goes). A version left
// without suites is added to `*refused`.
bool NarrowSuites(Ssl* ssl, const Asker& asker, uint64_t* refused, const char* func) {
  std::vector<std::string> allowed, allowed_tls13;
  size_t count = 0, tls13_count = 0;
  for (const CipherInfo& info : ssl->conn()->Ciphers()) {
    void* handle = const_cast<SSL_CIPHER*>(CipherHandle(info));
    const bool allows = asker.Allows(SSL_SECOP_CIPHER_SUPPORTED, info.bits, 0, handle) &&
                        asker.Allows(SSL_SECOP_CIPHER_SHARED, info.bits, 0, handle);
    const bool tls13 = info.version == "TLSv1.3";
    (tls13 ? tls13_count : count)++;
    if (allows) (tls13 ? allowed_tls13 : allowed).push_back(info.name);
  }
  if (allowed_tls13.empty()) {
    *refused |= SSL_OP_NO_TLSv1_3;
  } else if (allowed_tls13.size() < tls13_count &&
             !ssl->conn()->SetCiphersuites(Join(allowed_tls13).c_str())) {
    std::vector<ErrorRecord> dropped;  // the backend's reason, replaced by the one below
    ssl->conn()->TakeErrors(&dropped);
    return Refuse(ssl, SSL_R_NO_CIPHERS_AVAILABLE, func,
                  "sslshim: refusing to handshake: the security callback refuses some of TLS "
                  "1.3's cipher suites, which this backend cannot leave out alone");
  }
  if (allowed.empty()) {
    *refused |= SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;
  } else if (allowed.size() < count && !ssl->conn()->SetCipherList(Join(allowed).c_str())) {
    return Refuse(ssl, SSL_R_NO_CIPHERS_AVAILABLE, func, nullptr);
  }
  return true;
}

// Groups, as OpenSSL's tls_group_allowed asks.
bool NarrowGroups(Ssl* ssl, const Asker& asker, const char* func) {
  const std::vector<uint16_t> groups =
      ssl->groups.empty() ? DefaultGroupCodes() : GroupCodesOfList(ssl->groups.c_str());
  std::vector<std::string> allowed;
  for (uint16_t code : groups) {
    const int nid = GroupNidOfCode(code);
    const int bits = GroupSecurityBits(code);
    const char* name = OBJ_nid2sn(nid);
    if (name != nullptr && asker.AllowsCode(SSL_SECOP_CURVE_SUPPORTED, bits, nid, code) &&
        asker.AllowsCode(SSL_SECOP_CURVE_SHARED, bits, nid, code)) {
      allowed.push_back(name);
    }
  }
  if (allowed.size() == groups.size()) return true;
  if (!allowed.empty() && ssl->conn()->SetGroups(Join(allowed).c_str())) return true;
  return Refuse(ssl, SSL_R_NO_SHARED_GROUPS, func,
                "sslshim: the security callback leaves no group this backend has");
}

// Signature algorithms, as OpenSSL's tls12_sigalg_allowed asks.
bool NarrowSignatureAlgorithms(Ssl* ssl, const Asker& asker, const char* func) {
  const std::vector<uint16_t> schemes =
      ssl->signature_algorithms.empty() ? DefaultSignatureSchemes() : ssl->signature_algorithms;
  std::vector<uint16_t> allowed;
  for (uint16_t code : schemes) {
    const SignatureScheme* scheme = FindSignatureScheme(code);
    const int bits = scheme != nullptr ? SignatureSecurityBits(*scheme) : 0;
    if (scheme != nullptr &&
        asker.AllowsCode(SSL_SECOP_SIGALG_SUPPORTED, bits, scheme->hash_nid, code) &&
        asker.AllowsCode(SSL_SECOP_SIGALG_SHARED, bits, scheme->hash_nid, code) &&
        asker.AllowsCode(SSL_SECOP_SIGALG_CHECK, bits, scheme->hash_nid, code)) {
      allowed.push_back(code);
    }
  }
  if (allowed.size() == schemes.size()) return true;
  if (!allowed.empty() && ssl->conn()->SetSignatureAlgorithms(allowed)) return true;
  return Refuse(ssl, SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS, func,
                "sslshim: the security callback leaves no signature algorithm this backend has");
}

}  // namespace

bool ConsultSecurityCallback(Ssl* ssl, const char* func) {
  if (ssl->security_callback == nullptr || ssl->connection.security_callback_consulted ||
      ssl->conn()->IsInitFinished()) {
    return true;
  }
  ssl->connection.security_callback_consulted = true;
  const Asker asker(ssl);
  const MethodSpec& method = ssl->session_ctx()->method->spec;
  // OpenSSL 3's state machine first puts the connection's version before negotiation (the
  // method's: TLS 1.3 for a flexible one) to the callback and, refused, ends with an internal
  // error (statem.c): a client refusing TLS 1.3 this way has no connection at all.
  if (!asker.Allows(SSL_SECOP_VERSION, 0, ssl->conn()->VersionNumber(), nullptr)) {
    return Refuse(ssl, ERR_R_INTERNAL_ERROR, func,
                  "sslshim: the security callback refuses the method's version");
  }
  uint64_t refused = RefusedVersions(asker, method.datagram);
  if (!NarrowSuites(ssl, asker, &refused, func)) return false;
  const VersionWindow window =
      EnabledVersions(method, ssl->min_version, ssl->max_version, ssl->options | refused);
  if (window.min == 0 || window.max == 0) {
    return Refuse(ssl, SSL_R_NO_PROTOCOLS_AVAILABLE, func,
                  "sslshim: the security callback leaves no protocol version");
  }
  if (!NarrowGroups(ssl, asker, func) || !NarrowSignatureAlgorithms(ssl, asker, func)) return false;
  if (!asker.Allows(SSL_SECOP_TICKET, 0, 0, nullptr)) refused |= SSL_OP_NO_TICKET;
  if (refused != 0) ssl->conn()->SetOptions(ssl->options | refused);
  return true;
}

}  // namespace sslshim
