#include "testsupport/tls_stack.h"

#include <algorithm>
#include <sstream>

namespace sslshim::testsupport {
namespace {

// IANA TLS Supported Groups / ExtensionType values.
constexpr int64_t kX25519 = 29;
constexpr int64_t kSecp521r1 = 25;
constexpr int64_t kX448 = 30;
constexpr int64_t kFfdhe2048 = 256;
constexpr int64_t kFfdhe8192 = 260;
constexpr int64_t kExtendedMasterSecret = 23;
constexpr int64_t kSupportedVersions = 43;
constexpr int64_t kKeyShare = 51;
constexpr int64_t kRenegotiationInfo = 65281;

std::string Join(const std::vector<int64_t>& values) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < values.size(); i++) s << (i ? "," : "") << values[i];
  s << "]";
  return s.str();
}

bool Contains(const std::vector<int64_t>& values, int64_t v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// Position of v in values, or -1.
long IndexOf(const std::vector<int64_t>& values, int64_t v) {
  auto it = std::find(values.begin(), values.end(), v);
  return it == values.end() ? -1 : static_cast<long>(it - values.begin());
}

// Reports which of two extensions came first: `first_means` when `a` precedes `b`.
StackVerdict ByOrder(const std::vector<int64_t>& extensions, int64_t a, int64_t b,
                     TlsStack first_means, TlsStack second_means, const std::string& why) {
  const long ia = IndexOf(extensions, a), ib = IndexOf(extensions, b);
  const std::string seen = "ServerHello extensions " + Join(extensions);
  if (ia < 0 || ib < 0) {
    return {TlsStack::kUnknown, seen + " lack " + std::to_string(a) + " or " + std::to_string(b)};
  }
  const TlsStack stack = ia < ib ? first_means : second_means;
  return {stack, seen + ": " + std::to_string(ia < ib ? a : b) + " before " +
                     std::to_string(ia < ib ? b : a) + " (" + why + ")"};
}

}  // namespace

const char* StackName(TlsStack stack) {
  switch (stack) {
    case TlsStack::kOpenSsl:
      return "OpenSSL";
    case TlsStack::kBoringSsl:
      return "BoringSSL";
    case TlsStack::kUnknown:
      break;
  }
  return "unknown";
}

StackVerdict ClassifyClientHello(const std::vector<int64_t>& groups) {
  const std::string seen = "ClientHello supported_groups " + Join(groups);
  const bool ffdhe = std::any_of(groups.begin(), groups.end(),
                                 [](int64_t g) { return g >= kFfdhe2048 && g <= kFfdhe8192; });
  // OpenSSL 3.0's default list: x25519, P-256, x448, P-521, P-384 (+ ffdhe2048..8192 for 1.3).
  if (Contains(groups, kX448) || ffdhe) {
    return {TlsStack::kOpenSsl, seen + " offers x448/ffdhe: OpenSSL 3's defaults"};
  }
  // BoringSSL's kDefaultGroups: x25519, P-256, P-384. It implements neither x448 nor ffdhe
  // groups, and does not offer P-521 by default.
  if (Contains(groups, kX25519) && !Contains(groups, kSecp521r1)) {
    return {TlsStack::kBoringSsl, seen + " has no x448, ffdhe or P-521: BoringSSL's defaults"};
  }
  return {TlsStack::kUnknown, seen + " matches neither library's defaults"};
}

StackVerdict ClassifyServerHello(const std::string& protocol,
                                 const std::vector<int64_t>& extensions) {
  if (protocol == "1.3") {
    return ByOrder(extensions, kSupportedVersions, kKeyShare, TlsStack::kOpenSsl,
                   TlsStack::kBoringSsl,
                   "OpenSSL writes supported_versions first, BoringSSL key_share first");
  }
  return ByOrder(extensions, kRenegotiationInfo, kExtendedMasterSecret, TlsStack::kOpenSsl,
                 TlsStack::kBoringSsl,
                 "OpenSSL writes renegotiation_info first, BoringSSL extended_master_secret first");
}

}  // namespace sslshim::testsupport
