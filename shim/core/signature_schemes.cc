#include "core/signature_schemes.h"

#include <openssl/evp.h>
#include <openssl/obj_mac.h>

namespace sslshim {
namespace {

constexpr SignatureScheme kSchemes[] = {
    {0x0403, NID_sha256, EVP_PKEY_EC, NID_ecdsa_with_SHA256},
    {0x0503, NID_sha384, EVP_PKEY_EC, NID_ecdsa_with_SHA384},
    {0x0603, NID_sha512, EVP_PKEY_EC, NID_ecdsa_with_SHA512},
    {0x0807, NID_undef, EVP_PKEY_ED25519, NID_undef},
    {0x0808, NID_undef, EVP_PKEY_ED448, NID_undef},
    {0x0303, NID_sha224, EVP_PKEY_EC, NID_ecdsa_with_SHA224},
    {0x0203, NID_sha1, EVP_PKEY_EC, NID_ecdsa_with_SHA1},
    {0x0804, NID_sha256, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0805, NID_sha384, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0806, NID_sha512, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0809, NID_sha256, EVP_PKEY_RSA_PSS, NID_undef},
    {0x080a, NID_sha384, EVP_PKEY_RSA_PSS, NID_undef},
    {0x080b, NID_sha512, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0401, NID_sha256, EVP_PKEY_RSA, NID_sha256WithRSAEncryption},
    {0x0501, NID_sha384, EVP_PKEY_RSA, NID_sha384WithRSAEncryption},
    {0x0601, NID_sha512, EVP_PKEY_RSA, NID_sha512WithRSAEncryption},
    {0x0301, NID_sha224, EVP_PKEY_RSA, NID_sha224WithRSAEncryption},
    {0x0201, NID_sha1, EVP_PKEY_RSA, NID_sha1WithRSAEncryption},
    {0x0402, NID_sha256, EVP_PKEY_DSA, NID_dsa_with_SHA256},
    {0x0502, NID_sha384, EVP_PKEY_DSA, NID_undef},
    {0x0602, NID_sha512, EVP_PKEY_DSA, NID_undef},
    {0x0302, NID_sha224, EVP_PKEY_DSA, NID_undef},
    {0x0202, NID_sha1, EVP_PKEY_DSA, NID_dsaWithSHA1},
};

}  // namespace

const SignatureScheme* FindSignatureScheme(uint16_t code) {
  for (const SignatureScheme& scheme : kSchemes) {
    if (scheme.code == code) return &scheme;
  }
  return nullptr;
}

const SignatureScheme* FindSignatureSchemeByNids(int hash_nid, int sign_nid) {
  for (const SignatureScheme& scheme : kSchemes) {
    if (scheme.hash_nid == hash_nid && scheme.sign_nid == sign_nid) return &scheme;
  }
  return nullptr;
}

}  // namespace sslshim
