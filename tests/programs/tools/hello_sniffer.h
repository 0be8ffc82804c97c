// Reads one direction of a TLS connection as raw bytes (as a TCP relay forwards them) and picks out
// what identifies the library that wrote it: the ClientHello's supported_groups and extensions, or
// the ServerHello's extension order. It never decrypts and never changes a byte; it only watches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "testsupport/tls_hello.h"

namespace sslshim::programs {

using testsupport::ClassifyClientHelloByExtensions;
using testsupport::ClientHelloSeen;
using testsupport::ServerHelloSeen;

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
