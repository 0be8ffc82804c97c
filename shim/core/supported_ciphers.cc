#include "core/supported_ciphers.h"

#include <openssl/ssl.h>

#include <iterator>
#include <string>

namespace sslshim {
namespace {

struct VersionOption {
  int version;
  uint64_t disabled_by;
};

// Highest first, as OpenSSL's version tables.
constexpr VersionOption kTlsVersions[] = {{TLS1_3_VERSION, SSL_OP_NO_TLSv1_3},
                                          {TLS1_2_VERSION, SSL_OP_NO_TLSv1_2},
                                          {TLS1_1_VERSION, SSL_OP_NO_TLSv1_1},
                                          {TLS1_VERSION, SSL_OP_NO_TLSv1}};
constexpr VersionOption kDtlsVersions[] = {{DTLS1_2_VERSION, SSL_OP_NO_DTLSv1_2},
                                           {DTLS1_VERSION, SSL_OP_NO_DTLSv1}};

// Protocol numbers grow with the version in TLS and shrink in DTLS.
bool AtLeast(int version, int bound, bool datagram) {
  return datagram ? version <= bound : version >= bound;
}

// The lowest TLS version a suite works in, from SSL_CIPHER_get_version's name for it.
int SuiteMinTls(const std::string& name) {
  if (name == "TLSv1.3") return TLS1_3_VERSION;
  if (name == "TLSv1.2") return TLS1_2_VERSION;
  if (name == "TLSv1.1") return TLS1_1_VERSION;
  if (name == "TLSv1.0") return TLS1_VERSION;
  return SSL3_VERSION;
}

// A TLS version's DTLS counterpart, for a suite's bounds.
int AsDtls(int tls_version) {
  return tls_version >= TLS1_2_VERSION ? DTLS1_2_VERSION : DTLS1_VERSION;
}

}  // namespace

VersionWindow EnabledVersions(const MethodSpec& method, long min_version, long max_version,
                              uint64_t options) {
  const bool datagram = method.datagram;
  const VersionOption* begin = datagram ? std::begin(kDtlsVersions) : std::begin(kTlsVersions);
  const VersionOption* end = datagram ? std::end(kDtlsVersions) : std::end(kTlsVersions);
  VersionWindow window{1, 0};
  if (datagram) window = {0, 1};
  bool hole = true;
  for (const VersionOption* entry = begin; entry != end; ++entry) {
    const int version = entry->version;
    const bool enabled =
        (method.min_version == 0 || AtLeast(version, method.min_version, datagram)) &&
        (method.max_version == 0 || AtLeast(method.max_version, version, datagram)) &&
        (min_version == 0 || AtLeast(version, static_cast<int>(min_version), datagram)) &&
        (max_version == 0 || AtLeast(static_cast<int>(max_version), version, datagram)) &&
        (options & entry->disabled_by) == 0;
    if (!enabled) {
      hole = true;
    } else if (hole) {  // a new run: OpenSSL keeps the last (lowest) one
      window = {version, version};
      hole = false;
    } else {
      window.min = version;
    }
  }
  return window;
}

bool CipherSupported(const CipherInfo& cipher, const VersionWindow& window, bool datagram,
                     bool psk_client_callback) {
  if (cipher.kx_sn.find("SRP") != std::string::npos || cipher.auth_sn == "AuthSRP") return false;
  if (!psk_client_callback &&
      (cipher.kx_sn.find("PSK") != std::string::npos || cipher.auth_sn == "AuthPSK")) {
    return false;
  }
  int low = SuiteMinTls(cipher.version);
  int high = low == TLS1_3_VERSION ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (datagram) {
    if (low == TLS1_3_VERSION) return false;  // no DTLS 1.3 in OpenSSL 3.0
    low = AsDtls(low);
    high = AsDtls(high);
  }
  // The suite's [low, high] meets the window.
  return AtLeast(window.max, low, datagram) && AtLeast(high, window.min, datagram);
}

}  // namespace sslshim
