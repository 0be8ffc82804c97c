// OpenSSL's names for configuration strings (groups, TLS 1.3 cipher suites) checked or rewritten
// for BoringSSL. Neutral types only, so the unit tests can call these directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sslshim::boringssl {

// "X25519:prime256v1:secp384r1" (OpenSSL's names, any case) -> "X25519:P-256:P-384". Groups only
// OpenSSL has (IsOpenSslOnlyGroup: "X448:X25519" -> "X25519") are left out. Returns false, with
// the name in *bad_name, for a name neither library has (OpenSSL rejects the whole list then),
// or, with the first one left out, when nothing BoringSSL has is left.
bool TranslateGroupList(const std::string& openssl_list, std::string* boringssl_list,
                        std::string* bad_name);

// The TLS NamedGroup codes of a list TranslateGroupList made ("X25519:P-256" -> 29, 23).
std::vector<uint16_t> GroupCodesOf(const std::string& boringssl_list);

// True for a group name OpenSSL 3 has and BoringSSL lacks (X448, the FFDHE groups, the smaller
// and Koblitz/brainpool curves): a list naming one is one OpenSSL would apply.
bool IsOpenSslOnlyGroup(const std::string& name);

// An OpenSSL cipher string as BoringSSL's parser takes it: OpenSSL's "@SECLEVEL=n" commands (in
// Debian's and Python's default strings) are removed — BoringSSL rejects the whole string on an
// unknown command, and the security level is kept by the core (SSL_CTX_get_security_level).
// Separators may be ':', ',' or ' ' as in OpenSSL; the result uses ':'. 3DES, which OpenSSL 3 on
// Debian lacks, is excluded ("!3DES" at the end), so a list of only 3DES matches nothing.
// BoringSslCtx applies CipherStringForBoringSsl("ALL") to every new context for the same reason.
std::string CipherStringForBoringSsl(const std::string& openssl_list);

// True when a word of the cipher string adds suites only OpenSSL has ("DHE-RSA-AES128-GCM-SHA256",
// "kEDH", "CAMELLIA", "aNULL"...): OpenSSL 3 would select something from a list BoringSSL finds
// nothing in (measured: "DHE-RSA-AES128-GCM-SHA256", "kEDH", "CAMELLIA", "aNULL" each answer 1
// natively), so the shim cannot apply it.
bool NamesOpenSslOnlyCiphers(const std::string& openssl_list);

// BoringSSL has no TLS 1.3 cipher-suite setting: it always offers its three suites. So a list is
// accepted only when it names exactly those three (in any order: the order is BoringSSL's): a
// list that leaves one out would be a restriction silently not applied. Otherwise false, with the
// first name BoringSSL lacks, or the first of its suites the list leaves out, in *bad_name and
// *left_out telling which.
bool CheckTls13CipherSuites(const std::string& openssl_list, std::string* bad_name, bool* left_out);

}  // namespace sslshim::boringssl
