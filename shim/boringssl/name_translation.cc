#include "boringssl/name_translation.h"

#include <strings.h>

#include <vector>

namespace sslshim::boringssl {
namespace {

std::vector<std::string> SplitColonList(const std::string& list) {
  std::vector<std::string> names;
  size_t start = 0;
  for (;;) {
    size_t end = list.find(':', start);
    names.push_back(list.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return names;
}

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

constexpr const char* kBoringSslTls13Suites[] = {
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
};

}  // namespace

bool TranslateGroupList(const std::string& openssl_list, std::string* boringssl_list,
                        std::string* bad_name) {
  std::string out;
  for (const std::string& name : SplitColonList(openssl_list)) {
    const char* mapped = nullptr;
    for (const GroupName& group : kGroupNames) {
      if (strcasecmp(group.openssl, name.c_str()) == 0) mapped = group.boringssl;
    }
    if (mapped == nullptr) {
      *bad_name = name;
      return false;
    }
    if (!out.empty()) out += ':';
    out += mapped;
  }
  *boringssl_list = out;
  return true;
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
