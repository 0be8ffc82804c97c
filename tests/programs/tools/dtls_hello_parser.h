// Reads the datagrams of one direction of a DTLS association, as a UDP relay forwards them, and
// picks out the ClientHello or ServerHello (the same fields hello_sniffer.h takes from TLS), so
// the same classifiers can say which library built each side. Never decrypts, never changes a
// byte. DTLS framing: a datagram holds records of a 13-byte header (type, version, epoch, 48-bit
// sequence number, length); a handshake record holds fragments with a 12-byte header (type,
// length, message_seq, fragment_offset, fragment_length); a ClientHello carries a cookie after
// its session_id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hello_sniffer.h"

namespace sslshim::programs {

class DtlsHelloParser {
 public:
  explicit DtlsHelloParser(bool from_client) : from_client_(from_client) {}

  void FeedDatagram(const unsigned char* data, size_t len);

  bool Done() const { return from_client_ ? client_.complete : server_.complete; }
  const ClientHelloSeen& client() const { return client_; }
  const ServerHelloSeen& server() const { return server_; }
  const std::string& error() const { return error_; }
  // What the datagrams showed: record versions ("DTLS1.0", "DTLS1.2"), counts and sizes.
  const std::string& record_version() const { return record_version_; }
  size_t cookie_len() const { return client_.cookie_len; }
  size_t hello_verify_requests() const { return hello_verify_requests_; }
  size_t datagrams() const { return datagrams_; }
  size_t bytes() const { return bytes_; }
  size_t largest_datagram() const { return largest_; }
  size_t application_records() const { return application_records_; }

 private:
  void OnHandshakeFragment(const unsigned char* fragment, size_t len);
  void OnMessage(unsigned type, const std::vector<unsigned char>& body);
  void ParseClientHello(const std::vector<unsigned char>& body);
  void ParseServerHello(const std::vector<unsigned char>& body);

  // A handshake message being reassembled from fragments, by message_seq.
  struct Pending {
    unsigned type = 0;
    std::vector<unsigned char> body;
    std::vector<bool> have;
    size_t missing = 0;
  };

  bool from_client_;
  std::map<unsigned, Pending> pending_;
  ClientHelloSeen client_;
  ServerHelloSeen server_;
  std::string error_;
  std::string record_version_;
  size_t hello_verify_requests_ = 0;
  size_t datagrams_ = 0, bytes_ = 0, largest_ = 0, application_records_ = 0;
};

}  // namespace sslshim::programs
