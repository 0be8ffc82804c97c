// TLS SignatureScheme codes and what OpenSSL 3 reports for each: the digest, the signature type
// (an EVP_PKEY id) and the combined signature-and-hash NID, from OpenSSL 3.0's own table
// (sigalg_lookup_tbl in ssl/t1_lib.c). For code compiled against OpenSSL 3's headers: the core,
// which answers SSL_get_sigalgs and SSL_get_peer_signature_*nid from a backend's codes, and the
// openssl backend, which finds the code of the nids the real libssl reports.
#pragma once

#include <cstdint>

namespace sslshim {

struct SignatureScheme {
  uint16_t code;
  int hash_nid;
  int sign_nid;
  int sign_and_hash_nid;
};

// The row for `code`, or nullptr for a code OpenSSL 3 does not know.
const SignatureScheme* FindSignatureScheme(uint16_t code);

// The first row with this digest and signature type (a PSS key's two codes, rsae and pss, report
// the same nids; the first is the rsae one), or nullptr.
const SignatureScheme* FindSignatureSchemeByNids(int hash_nid, int sign_nid);

}  // namespace sslshim
