// Settings a BoringSslCtx and a BoringSslConn apply alike (SSL_CTX_set_* and SSL_set_*): OpenSSL's
// values checked, and rewritten where BoringSSL spells them otherwise, with the reason recorded
// when BoringSSL cannot apply one as given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace sslshim::boringssl {

// OpenSSL's two lists of CA names as a context holds them (nullopt: never set): the client CA
// list (SSL_CTX_set_client_CA_list) and the CA list (SSL_CTX_set0_CA_list). BoringSSL has only
// the first; a server sends the CA list where the client CA list is empty, as OpenSSL 3 does
// (get_ca_names in its statem_lib.c), so that is what goes into BoringSSL's one list.
struct CaNameLists {
  using Names = std::vector<std::vector<uint8_t>>;
  std::optional<Names> client_ca;
  std::optional<Names> ca;
  // What a server sends from these (empty: none).
  static Names Sent(const std::optional<Names>& client_ca, const std::optional<Names>& ca) {
    if (client_ca.has_value() && !client_ca->empty()) return *client_ca;
    return ca.value_or(Names{});
  }
};

// A floor BoringSSL understands for an OpenSSL floor: SSL 3.0 is a valid OpenSSL floor, but
// BoringSSL has no SSL 3.0, so it becomes TLS 1.0 (what OpenSSL builds without SSLv3 do).
int BoringSslMinBound(int version);

// True (with the reason in *errors) for an SSL 3.0 ceiling: OpenSSL would accept the bound and
// then fail every handshake; the shim says so when it is set.
bool RejectSsl3Ceiling(int version, std::vector<ErrorRecord>* errors);

// OpenSSL's group list as BoringSSL's curves list, without the groups only OpenSSL has; false,
// with the reason, for an unknown name or when no group BoringSSL has is left.
// After BoringSSL's tolerant cipher-list parser found nothing: marks the reason it left in
// `errors` (or adds one) as a setting the backend cannot apply when OpenSSL 3 would have selected
// suites from the list (NamesOpenSslOnlyCiphers); a list OpenSSL rejects too stays a plain
// failure.
void NoteUnappliedCipherList(const char* openssl_list, std::vector<ErrorRecord>* errors);

bool GroupListForBoringSsl(const char* openssl_list, std::string* boringssl_list,
                           std::vector<ErrorRecord>* errors);

// SSL_CTX_set_ciphersuites / SSL_set_ciphersuites: BoringSSL always offers its three TLS 1.3
// suites, so only a list naming exactly those is applied (true); otherwise false, with the reason.
bool AcceptTls13CipherSuites(const char* openssl_list, std::vector<ErrorRecord>* errors);

// OpenSSL's security levels, as far as the TLS layer goes. BoringSSL has no levels; its fixed
// choices (no RC4, MD5, export or anonymous suites, no FFDHE, no groups under 128 bits, no SSL 3)
// meet what OpenSSL 3 enforces up to level 2, the Debian default, but for handshake signatures:
// from level 1 OpenSSL refuses SHA-1 and TLS 1.0/1.1's MD5+SHA-1 ones (measured:
// tests/fail_closed). SignatureRulesFor gives what applies that. Levels 3 to 5 (forward-secret
// suites only, larger keys and groups, no tickets) are not applied: AcceptSecurityLevel answers
// false, with the reason, which marks the object (fail closed).
inline constexpr int kHighestAppliedSecurityLevel = 2;
inline constexpr int kDefaultSecurityLevel = 2;  // Debian's OpenSSL 3 (OPENSSL_TLS_SECURITY_LEVEL)
bool AcceptSecurityLevel(int level, std::vector<ErrorRecord>* errors);

struct SignatureRules {
  // The lowest version allowed: BoringSSL signs and verifies TLS 1.0/1.1 (DTLS 1.0) handshakes
  // with MD5+SHA-1 whatever its preferences say, so those versions go. (OpenSSL still takes them
  // with RSA key exchange, which signs nothing: a deliberate, stricter difference.)
  int version_floor = 0;  // 0: none
  // Signature algorithms without SHA-1 (empty: BoringSSL's defaults).
  std::vector<uint16_t> verify_prefs;
  std::vector<uint16_t> signing_prefs;
};
// `configured`: the program's own list (SSL_CTX_set1_sigalgs_list), empty for none. OpenSSL offers
// and signs with exactly that list, less what the level forbids; here also less what BoringSSL
// cannot sign or verify (DSA, SHA-224, RSA-PSS keys, Ed448), in the program's order. When that
// leaves nothing, both lists are empty (which BoringSSL would read as its defaults):
// ApplyableSignatureRules says so.
SignatureRules SignatureRulesFor(int level, bool datagram,
                                 const std::vector<uint16_t>& configured = {});
// True when `rules` can be applied for `configured`; otherwise false, with the reason recorded
// as one the backend cannot apply (the object refuses to handshake).
bool ApplyableSignatureRules(const SignatureRules& rules, const std::vector<uint16_t>& configured,
                             std::vector<ErrorRecord>* errors);

// The floor `rules` sets on a program's minimum (0: none), in the protocol's own numbering.
int RaiseMinVersion(int min_version, const SignatureRules& rules, bool datagram);

}  // namespace sslshim::boringssl
