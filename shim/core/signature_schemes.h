// TLS SignatureScheme codes and what OpenSSL 3 reports for each: the digest, the signature type
// (an EVP_PKEY id) and the combined signature-and-hash NID, from OpenSSL 3.0's own table
// (sigalg_lookup_tbl in ssl/t1_lib.c). For code compiled against OpenSSL 3's headers: the core,
// which answers SSL_get_sigalgs and SSL_get_peer_signature_*nid from a backend's codes, and the
// openssl backend, which finds the code of the nids the real libssl reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sslshim {

struct SignatureScheme {
  uint16_t code;
  const char* name;  // OpenSSL's name for it in signature algorithm lists; nullptr if none
  int hash_nid;
  int sign_nid;
  int sign_and_hash_nid;
};

// The row for `code`, or nullptr for a code OpenSSL 3 does not know.
const SignatureScheme* FindSignatureScheme(uint16_t code);

// The first row with this digest and signature type (a PSS key's two codes, rsae and pss, report
// the same nids; the first is the rsae one), or nullptr.
const SignatureScheme* FindSignatureSchemeByNids(int hash_nid, int sign_nid);

// The codes of a signature algorithm list in OpenSSL's syntax (SSL_CTX_set1_sigalgs_list):
// colon-separated names ("rsa_pss_rsae_sha256", "ed25519") or signature+digest pairs
// ("RSA+SHA256", "RSA-PSS+SHA384", "ECDSA+SHA256", "DSA+SHA1"; a pair takes the first row that
// matches, so RSA-PSS means the rsae code). False for an unknown entry, an empty one or a
// repeated one, as OpenSSL's parser, which pushes nothing then.
bool ParseSignatureSchemeList(const char* list, std::vector<uint16_t>* codes);

// The codes of SSL_CTX_set1_sigalgs' (digest NID, signature type) pairs; false for an odd count
// or a pair OpenSSL 3 does not know. Repeats are kept, as OpenSSL keeps them.
bool SignatureSchemesOfNidPairs(const int* nids, long count, std::vector<uint16_t>* codes);

// OpenSSL 3's default list (tls12_sigalgs in ssl/t1_lib.c): what a connection offers and
// accepts when the program sets none.
const std::vector<uint16_t>& DefaultSignatureSchemes();

// A scheme's security bits, as OpenSSL's sigalg_security_bits gives them to the security
// callback: half the digest's bits, less for the broken digests, RFC 8032's for EdDSA.
int SignatureSecurityBits(const SignatureScheme& scheme);

// A list in OpenSSL's syntax that parses back to exactly `codes` (each by its name, or as the
// signature+digest pair that selects it), for handing a parsed list on to OpenSSL itself.
std::string SignatureSchemeListOf(const std::vector<uint16_t>& codes);

}  // namespace sslshim
