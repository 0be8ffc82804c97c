#include "core/signature_schemes.h"

#include <openssl/conf.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <algorithm>
#include <cstring>

namespace sslshim {
namespace {

constexpr SignatureScheme kSchemes[] = {
    {0x0403, "ecdsa_secp256r1_sha256", NID_sha256, EVP_PKEY_EC, NID_ecdsa_with_SHA256},
    {0x0503, "ecdsa_secp384r1_sha384", NID_sha384, EVP_PKEY_EC, NID_ecdsa_with_SHA384},
    {0x0603, "ecdsa_secp521r1_sha512", NID_sha512, EVP_PKEY_EC, NID_ecdsa_with_SHA512},
    {0x0807, "ed25519", NID_undef, EVP_PKEY_ED25519, NID_undef},
    {0x0808, "ed448", NID_undef, EVP_PKEY_ED448, NID_undef},
    {0x0303, nullptr, NID_sha224, EVP_PKEY_EC, NID_ecdsa_with_SHA224},
    {0x0203, nullptr, NID_sha1, EVP_PKEY_EC, NID_ecdsa_with_SHA1},
    {0x0804, "rsa_pss_rsae_sha256", NID_sha256, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0805, "rsa_pss_rsae_sha384", NID_sha384, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0806, "rsa_pss_rsae_sha512", NID_sha512, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0809, "rsa_pss_pss_sha256", NID_sha256, EVP_PKEY_RSA_PSS, NID_undef},
    {0x080a, "rsa_pss_pss_sha384", NID_sha384, EVP_PKEY_RSA_PSS, NID_undef},
    {0x080b, "rsa_pss_pss_sha512", NID_sha512, EVP_PKEY_RSA_PSS, NID_undef},
    {0x0401, "rsa_pkcs1_sha256", NID_sha256, EVP_PKEY_RSA, NID_sha256WithRSAEncryption},
    {0x0501, "rsa_pkcs1_sha384", NID_sha384, EVP_PKEY_RSA, NID_sha384WithRSAEncryption},
    {0x0601, "rsa_pkcs1_sha512", NID_sha512, EVP_PKEY_RSA, NID_sha512WithRSAEncryption},
    {0x0301, "rsa_pkcs1_sha224", NID_sha224, EVP_PKEY_RSA, NID_sha224WithRSAEncryption},
    {0x0201, "rsa_pkcs1_sha1", NID_sha1, EVP_PKEY_RSA, NID_sha1WithRSAEncryption},
    {0x0402, nullptr, NID_sha256, EVP_PKEY_DSA, NID_dsa_with_SHA256},
    {0x0502, nullptr, NID_sha384, EVP_PKEY_DSA, NID_undef},
    {0x0602, nullptr, NID_sha512, EVP_PKEY_DSA, NID_undef},
    {0x0302, nullptr, NID_sha224, EVP_PKEY_DSA, NID_undef},
    {0x0202, nullptr, NID_sha1, EVP_PKEY_DSA, NID_dsaWithSHA1},
};

// OpenSSL's limit on one list entry (TLS_MAX_SIGSTRING_LEN, less its terminator).
constexpr int kMaxEntryLength = 39;

// The signature half of a "sig+hash" entry, as OpenSSL names it; NID_undef if it is not one.
int SignatureTypeNamed(const std::string& name) {
  if (name == "RSA") return EVP_PKEY_RSA;
  if (name == "RSA-PSS" || name == "PSS") return EVP_PKEY_RSA_PSS;
  if (name == "DSA") return EVP_PKEY_DSA;
  if (name == "ECDSA") return EVP_PKEY_EC;
  return NID_undef;
}

const char* SignatureTypeName(int type) {
  switch (type) {
    case EVP_PKEY_RSA:
      return "RSA";
    case EVP_PKEY_RSA_PSS:
      return "RSA-PSS";
    case EVP_PKEY_DSA:
      return "DSA";
    case EVP_PKEY_EC:
      return "ECDSA";
    default:
      return nullptr;
  }
}

// OpenSSL's get_sigorhash: each half is a signature type or, failing that, a digest name.
void SignatureOrDigest(const std::string& text, int* sign_nid, int* hash_nid) {
  int type = SignatureTypeNamed(text);
  if (type != NID_undef) {
    *sign_nid = type;
    return;
  }
  *hash_nid = OBJ_sn2nid(text.c_str());
  if (*hash_nid == NID_undef) *hash_nid = OBJ_ln2nid(text.c_str());
}

const SignatureScheme* SchemeOfEntry(const std::string& entry) {
  size_t plus = entry.find('+');
  if (plus == std::string::npos) {
    for (const SignatureScheme& scheme : kSchemes) {
      if (scheme.name != nullptr && entry == scheme.name) return &scheme;
    }
    return nullptr;
  }
  if (plus + 1 == entry.size()) return nullptr;
  int sign_nid = NID_undef;
  int hash_nid = NID_undef;
  SignatureOrDigest(entry.substr(0, plus), &sign_nid, &hash_nid);
  SignatureOrDigest(entry.substr(plus + 1), &sign_nid, &hash_nid);
  if (sign_nid == NID_undef || hash_nid == NID_undef) return nullptr;
  return FindSignatureSchemeByNids(hash_nid, sign_nid);
}

int AddListEntry(const char* elem, int len, void* arg) {
  auto* codes = static_cast<std::vector<uint16_t>*>(arg);
  if (elem == nullptr || len > kMaxEntryLength) return 0;
  const SignatureScheme* scheme = SchemeOfEntry(std::string(elem, static_cast<size_t>(len)));
  if (scheme == nullptr || std::find(codes->begin(), codes->end(), scheme->code) != codes->end()) {
    return 0;
  }
  codes->push_back(scheme->code);
  return 1;
}

}  // namespace

bool ParseSignatureSchemeList(const char* list, std::vector<uint16_t>* codes) {
  codes->clear();
  // The program's libcrypto splits the list, so spaces and empty entries are treated (and a
  // null list reported) exactly as OpenSSL's own parser has them.
  return CONF_parse_list(list, ':', 1, AddListEntry, codes) == 1;
}

bool SignatureSchemesOfNidPairs(const int* nids, long count, std::vector<uint16_t>* codes) {
  codes->clear();
  if (count < 0 || count % 2 != 0 || (count > 0 && nids == nullptr)) return false;
  for (long i = 0; i < count; i += 2) {
    const SignatureScheme* scheme = FindSignatureSchemeByNids(nids[i], nids[i + 1]);
    if (scheme == nullptr) return false;
    codes->push_back(scheme->code);
  }
  return true;
}

std::string SignatureSchemeListOf(const std::vector<uint16_t>& codes) {
  std::string list;
  for (uint16_t code : codes) {
    const SignatureScheme* scheme = FindSignatureScheme(code);
    if (scheme == nullptr) continue;
    if (!list.empty()) list += ':';
    if (scheme->name != nullptr) {
      list += scheme->name;
    } else if (const char* type = SignatureTypeName(scheme->sign_nid)) {
      list += std::string(type) + "+" + OBJ_nid2sn(scheme->hash_nid);
    }
  }
  return list;
}

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

const std::vector<uint16_t>& DefaultSignatureSchemes() {
  static const std::vector<uint16_t> kDefaults = {0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809,
                                                  0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401,
                                                  0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201,
                                                  0x0302, 0x0202, 0x0402, 0x0502, 0x0602};
  return kDefaults;
}

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

}  // namespace sslshim
