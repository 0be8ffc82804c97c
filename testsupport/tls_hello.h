// The hellos of a TLS or DTLS handshake as the test relays see them on the wire: what a
// ClientHello offers and what a ServerHello chose, read from a handshake message's body (after
// its 4-byte TLS or 12-byte DTLS header). The relays (tests/programs/tools) do the record
// framing of their transport and hand the bodies here; tls_stack.h says which library wrote them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sslshim::testsupport {

struct ClientHelloSeen {
  bool complete = false;
  std::string random_hex;  // 32 bytes: the key log's lines are keyed by it
  std::vector<int64_t> groups;
  std::vector<int64_t> ciphers;
  std::vector<int64_t> extensions;  // in wire order
  std::vector<std::string> alpn;    // offered protocols
  std::string server_name;
  bool offers_psk = false;          // pre_shared_key (41): a TLS 1.3 resumption attempt
  bool has_session_ticket = false;  // a non-empty session_ticket (35): TLS 1.2 resumption attempt
  size_t cookie_len = 0;            // DTLS: the cookie after the session id (0: none)
};

struct ServerHelloSeen {
  bool complete = false;
  bool hello_retry_request = false;  // seen (and skipped) before the real ServerHello
  // TLS: "1.2" or "1.3" (from supported_versions), "1.1", "other"; DTLS: "DTLS1.2", "DTLS1.0".
  std::string version;
  unsigned cipher = 0;
  std::vector<int64_t> extensions;  // in wire order
  // "full", or the session was resumed: "psk" (TLS 1.3 ServerHello accepted pre_shared_key) or
  // "abbreviated" (TLS 1.2: ChangeCipherSpec right after the ServerHello, no Certificate). Empty
  // for TLS 1.2 until the messages after the ServerHello tell.
  std::string handshake = "";
  // The first application_data record after the ServerHello, header included (TLS 1.3: the
  // encrypted EncryptedExtensions, which a key log must be able to decrypt).
  std::string first_encrypted_record_hex;
};

enum class Transport { kTls, kDtls };

// A ClientHello's body into *out (complete set); false when it does not parse, its extensions
// included.
bool ParseClientHello(const unsigned char* body, size_t len, Transport transport,
                      ClientHelloSeen* out);

enum class ServerHelloKind { kMalformed, kServerHello, kHelloRetryRequest };
// A ServerHello's body into *out (complete set), or TLS 1.3's HelloRetryRequest (RFC 8446 4.1.3:
// a ServerHello with a fixed random), of which only the kind is told.
ServerHelloKind ParseServerHello(const unsigned char* body, size_t len, Transport transport,
                                 ServerHelloSeen* out);

// For a ClientHello whose groups the program chose itself (socat sets P-256 only), so that
// ClassifyClientHello (tls_stack.h) cannot tell: OpenSSL 3 offers encrypt_then_mac (22) and
// signals secure renegotiation with the SCSV cipher 0x00FF; BoringSSL implements neither and
// sends the renegotiation_info extension (65281) instead (ssl/extensions.cc,
// ssl/handshake_client.cc) -- unless it may negotiate only TLS 1.3, when it sends none of the
// three. Returns "OpenSSL", "BoringSSL" or "" and says why in *reason.
std::string ClassifyClientHelloByExtensions(const ClientHelloSeen& hello, std::string* reason);

// "DTLS1.0", "DTLS1.2", "DTLS1.3", else the number in hex.
std::string DtlsVersionName(unsigned version);

// Lower-case hex of `len` bytes.
std::string HexBytes(const unsigned char* p, size_t len);

}  // namespace sslshim::testsupport
