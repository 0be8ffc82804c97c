// The JSON lines tls_app and tls_peer print, as typed structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sslshim::e2e {

struct AppReport {
  bool ok = false;
  std::string error;
  std::string version, cipher;
  int64_t bytes_requested = 0, bytes_written = 0;
  std::string sha256, peer_sha256;  // of what it wrote; what the peer said it received
  bool digest_match = false;
  int64_t verify_result = -1;
  bool peer_close_notify = false;
  int64_t ssl_write_calls = 0, want_write_count = 0, want_read_count = 0;
  std::string ssl_write_lib;       // canonical path of the object SSL_write resolved to
  std::string ssl_ctx_new_lib;     // ... of the SSL_CTX_new that made the context
  std::string loaded_ssl_objects;  // every loaded libssl*/sslshim* object, ':'-separated
};

struct PeerReport {
  bool ok = false;
  std::string error;
  std::string version, cipher;
  int64_t bytes = 0;
  std::string sha256;
  bool got_close_notify = false;
  std::vector<int64_t> client_hello_groups;      // when the peer was the server
  std::vector<int64_t> client_hello_ciphers;     // when the peer was the server
  std::vector<int64_t> server_hello_extensions;  // when the peer was the client
  // --count-tickets: the NewSessionTicket messages, and the records they came in, that arrived
  // before the peer asked for data; -1 when not counted.
  int64_t tickets_before_data = -1, ticket_records_before_data = -1;
};

// Parse the last non-empty line of a program's stdout. nullopt and *error when it is missing,
// malformed, or lacks a field.
std::optional<AppReport> ParseAppReport(const std::string& stdout_text, std::string* error);
std::optional<PeerReport> ParsePeerReport(const std::string& stdout_text, std::string* error);

}  // namespace sslshim::e2e
