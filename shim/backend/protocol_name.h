// A protocol version's name as OpenSSL 3 writes it (its ssl_protocol_to_string): what
// SSL_get_version and SSL_SESSION_print say. Versions as on the wire, the same in both libraries.
#pragma once

namespace sslshim {

inline const char* ProtocolName(int version) {
  switch (version) {
    case 0x0304:
      return "TLSv1.3";
    case 0x0303:
      return "TLSv1.2";
    case 0x0302:
      return "TLSv1.1";
    case 0x0301:
      return "TLSv1";
    case 0x0300:
      return "SSLv3";
    case 0x0100:  // DTLS1_BAD_VER
      return "DTLSv0.9";
    case 0xfeff:
      return "DTLSv1";
    case 0xfefd:
      return "DTLSv1.2";
    default:
      return "unknown";
  }
}

}  // namespace sslshim
