// Reads one direction of a TLS connection as raw bytes (as a TCP relay forwards them) and picks out
// what identifies the library that wrote it: the ClientHello's supported_groups and extensions, or
// the ServerHello's extension order. It never decrypts and never changes a byte; it only watches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sslshim::programs {

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
};

struct ServerHelloSeen {
  bool complete = false;
  bool hello_retry_request = false;  // seen (and skipped) before the real ServerHello
  std::string version;               // "1.2" or "1.3"
  unsigned cipher = 0;
  std::vector<int64_t> extensions;  // in wire order
  // "full", or the session was resumed: "psk" (TLS 1.3 ServerHello accepted pre_shared_key) or
  // "abbreviated" (TLS 1.2: ChangeCipherSpec right after the ServerHello, no Certificate).
  std::string handshake = "";
  // The first application_data record after the ServerHello, header included (TLS 1.3: the
  // encrypted EncryptedExtensions, which a key log must be able to decrypt).
  std::string first_encrypted_record_hex;
};

// For a ClientHello whose groups the program chose itself (socat sets P-256 only), so that
// e2e::ClassifyClientHello cannot tell: OpenSSL 3 offers encrypt_then_mac (22) and signals secure
// renegotiation with the SCSV cipher 0x00FF; BoringSSL implements neither and sends the
// renegotiation_info extension (65281) instead (ssl/extensions.cc, ssl/handshake_client.cc) --
// unless it may negotiate only TLS 1.3, when it sends none of the three.
// Returns "OpenSSL", "BoringSSL" or "" and says why in *reason.
std::string ClassifyClientHelloByExtensions(const ClientHelloSeen& hello, std::string* reason);

// Feed it the bytes of one direction, in order, in any chunking.
class HelloSniffer {
 public:
  // skip_prefix: bytes before TLS starts (PostgreSQL's 8-byte SSLRequest, or its 1-byte 'S').
  HelloSniffer(bool from_client, size_t skip_prefix);

  void Feed(const unsigned char* data, size_t len);

  bool Done() const;  // nothing more to learn from this direction
  const ClientHelloSeen& client() const { return client_; }
  const ServerHelloSeen& server() const { return server_; }
  const std::string& error() const { return error_; }  // non-empty if the stream was not TLS

 private:
  void OnRecord(unsigned type, const unsigned char* body, size_t len);
  void OnHandshakeMessage(const unsigned char* msg, size_t len);
  void ParseClientHello(const unsigned char* body, size_t len);
  void ParseServerHello(const unsigned char* body, size_t len);

  bool from_client_;
  size_t skip_;
  std::vector<unsigned char> pending_;    // an incomplete record
  std::vector<unsigned char> handshake_;  // handshake bytes of the first message(s)
  ClientHelloSeen client_;
  ServerHelloSeen server_;
  std::string error_;
};

}  // namespace sslshim::programs
