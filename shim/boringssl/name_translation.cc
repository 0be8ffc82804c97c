#include "boringssl/name_translation.h"

#include <strings.h>

#include <cctype>
#include <vector>

namespace sslshim::boringssl {
namespace {

// The pieces of `list` between any of the characters in `separators` (empty pieces kept).
std::vector<std::string> SplitAny(const std::string& list, const char* separators) {
  std::vector<std::string> pieces;
  size_t start = 0;
  for (;;) {
    size_t end = list.find_first_of(separators, start);
    pieces.push_back(list.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return pieces;
}

std::vector<std::string> SplitColonList(const std::string& list) { return SplitAny(list, ":"); }

struct GroupName {
  const char* openssl;
  const char* boringssl;
};

// OpenSSL's group names and aliases (ssl/t1_lib.c, crypto/ec/ec_curve.c) for the groups BoringSSL
// implements. OpenSSL compares group names case-insensitively.
constexpr GroupName kGroupNames[] = {
    {"X25519", "X25519"}, {"P-256", "P-256"},     {"prime256v1", "P-256"}, {"secp256r1", "P-256"},
    {"P-384", "P-384"},   {"secp384r1", "P-384"}, {"P-521", "P-521"},      {"secp521r1", "P-521"},
};

// OpenSSL 3.0's other group names (ssl/t1_lib.c, nid_list and the FFDHE groups), which BoringSSL
// does not implement.
constexpr const char* kOpenSslOnlyGroups[] = {
    "X448",       "ffdhe2048",       "ffdhe3072",       "ffdhe4096",       "ffdhe6144",
    "ffdhe8192",  "secp160k1",       "secp160r1",       "secp160r2",       "secp192k1",
    "secp224k1",  "secp224r1",       "secp256k1",       "P-192",           "P-224",
    "prime192v1", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "sect163k1",
    "sect163r1",  "sect163r2",       "sect193r1",       "sect193r2",       "sect233k1",
    "sect233r1",  "sect239k1",       "sect283k1",       "sect283r1",       "sect409k1",
    "sect409r1",  "sect571k1",       "sect571r1",       "K-163",           "B-163",
    "K-233",      "B-233",           "K-283",           "B-283",           "K-409",
    "B-409",      "K-571",           "B-571",
};

constexpr const char* kBoringSslTls13Suites[] = {
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
};

}  // namespace

bool TranslateGroupList(const std::string& openssl_list, std::string* boringssl_list,
                        std::string* bad_name) {
  std::string out;
  std::string first_skipped;
  bool skipped = false;
  std::vector<std::string> seen;  // each group once, as OpenSSL: "P-256:prime256v1" is rejected
  for (const std::string& name : SplitColonList(openssl_list)) {
    const char* mapped = nullptr;
    for (const GroupName& group : kGroupNames) {
      if (strcasecmp(group.openssl, name.c_str()) == 0) mapped = group.boringssl;
    }
    std::string key = mapped != nullptr ? mapped : name;
    for (char& c : key) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    for (const std::string& earlier : seen) {
      if (earlier == key) {
        *bad_name = name;
        return false;
      }
    }
    seen.push_back(key);
    if (mapped == nullptr && IsOpenSslOnlyGroup(name)) {
      // A group OpenSSL 3 has and BoringSSL lacks is left out, as OpenSSL leaves out a listed
      // group it cannot use in a handshake; the others keep their order.
      if (!skipped) first_skipped = name;
      skipped = true;
      continue;
    }
    if (mapped == nullptr) {
      *bad_name = name;
      return false;
    }
    if (!out.empty()) out += ':';
    out += mapped;
  }
  if (out.empty()) {
    *bad_name = first_skipped;
    return false;
  }
  *boringssl_list = out;
  return true;
}

std::vector<uint16_t> GroupCodesOf(const std::string& boringssl_list) {
  // BoringSSL's names for the groups kGroupNames maps to, with their codes.
  static constexpr struct {
    const char* name;
    uint16_t code;
  } kCodes[] = {{"X25519", 29}, {"P-256", 23}, {"P-384", 24}, {"P-521", 25}};
  std::vector<uint16_t> codes;
  for (const std::string& name : SplitColonList(boringssl_list)) {
    for (const auto& group : kCodes) {
      if (name == group.name) codes.push_back(group.code);
    }
  }
  return codes;
}

bool IsOpenSslOnlyGroup(const std::string& name) {
  for (const char* group : kOpenSslOnlyGroups) {
    if (strcasecmp(group, name.c_str()) == 0) return true;
  }
  return false;
}

std::string CipherStringForBoringSsl(const std::string& openssl_list) {
  std::string out;
  size_t start = 0;
  while (start <= openssl_list.size()) {
    size_t end = openssl_list.find_first_of(":, ", start);
    if (end == std::string::npos) end = openssl_list.size();
    std::string word = openssl_list.substr(start, end - start);
    if (!word.empty() && word.rfind("@SECLEVEL=", 0) != 0) {
      if (!out.empty()) out += ':';
      out += word;
    }
    start = end + 1;
  }
  // Debian's OpenSSL 3 has no 3DES suite at all ("DES-CBC3-SHA" matches nothing), while
  // BoringSSL's "ALL" still holds it: removed for good, so no list can bring it back.
  if (!out.empty()) out += ":!3DES";
  return out;
}

namespace {

// Parts of OpenSSL 3's cipher-string words (ciphers(1): aliases and suite names) that select
// suites only OpenSSL has: finite-field DHE, DSS, anonymous and NULL suites, Camellia, ARIA,
// SEED, IDEA, CCM, SRP.
constexpr const char* kOpenSslOnlyCipherParts[] = {
    "DHE",     "EDH",     "kDHE",    "kEDH", "ADH",      "DH",          "aDH",         "DSS",
    "aDSS",    "aNULL",   "eNULL",   "NULL", "CAMELLIA", "CAMELLIA128", "CAMELLIA256", "ARIA",
    "ARIA128", "ARIA256", "ARIAGCM", "SEED", "IDEA",     "CCM",         "CCM8",        "AESCCM",
    "AESCCM8", "SRP",     "kSRP",    "aSRP", "kDHEPSK",  "DHEPSK",      "kRSAPSK",     "RSAPSK",
};

}  // namespace

bool NamesOpenSslOnlyCiphers(const std::string& openssl_list) {
  for (std::string word : SplitAny(openssl_list, ":, ")) {
    // Only words that add suites: "!DHE", "-DHE" take away, "@STRENGTH" orders.
    if (word.empty() || word[0] == '!' || word[0] == '-' || word[0] == '@') continue;
    if (word[0] == '+') word.erase(0, 1);
    for (const std::string& part : SplitAny(word, "+-")) {
      for (const char* only : kOpenSslOnlyCipherParts) {
        if (part == only) return true;
      }
    }
  }
  return false;
}

bool CheckTls13CipherSuites(const std::string& openssl_list, std::string* bad_name,
                            bool* left_out) {
  std::vector<std::string> names = SplitColonList(openssl_list);
  for (const std::string& name : names) {
    bool known = false;
    for (const char* suite : kBoringSslTls13Suites) known = known || name == suite;
    if (!known) {
      *bad_name = name;
      *left_out = false;
      return false;
    }
  }
  for (const char* suite : kBoringSslTls13Suites) {
    bool named = false;
    for (const std::string& name : names) named = named || name == suite;
    if (!named) {
      *bad_name = suite;
      *left_out = true;
      return false;
    }
  }
  return true;
}

}  // namespace sslshim::boringssl
