// Which of a connection's cipher suites OpenSSL 3's SSL_get1_supported_ciphers keeps: those the
// protocol versions the connection may negotiate can use, without the PSK suites while no PSK
// client callback is set and without SRP (ssl_set_client_disabled, ssl_cipher_disabled). For code
// compiled against OpenSSL 3's headers.
#pragma once

#include <cstdint>

#include "backend/backend.h"

namespace sslshim {

// The versions a connection may negotiate, as OpenSSL's ssl_get_min_max_version finds them: TLS
// (or DTLS) protocol numbers, min > max when none.
struct VersionWindow {
  int min = 0;
  int max = 0;
};

// From the method's bounds, the program's (0: none) and its SSL_OP_NO_* options; a range of
// enabled versions broken by a disabled one is cut as OpenSSL cuts it (the lowest run wins).
VersionWindow EnabledVersions(const MethodSpec& method, long min_version, long max_version,
                              uint64_t options);

// Whether SSL_get1_supported_ciphers keeps `cipher`.
bool CipherSupported(const CipherInfo& cipher, const VersionWindow& window, bool datagram,
                     bool psk_client_callback);

}  // namespace sslshim
