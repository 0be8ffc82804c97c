#include "hello_sniffer.h"

namespace sslshim::programs {
namespace {

constexpr unsigned kChangeCipherSpec = 20;
constexpr unsigned kHandshake = 22;
constexpr unsigned kApplicationData = 23;
constexpr unsigned kClientHello = 1;
constexpr unsigned kServerHello = 2;
constexpr unsigned kNewSessionTicket = 4;
constexpr size_t kMaxRecord = 16384 + 2048;
constexpr size_t kMaxKeptRecord = 4096;

unsigned U16(const unsigned char* p) { return static_cast<unsigned>(p[0]) << 8 | p[1]; }
size_t U24(const unsigned char* p) {
  return static_cast<size_t>(p[0]) << 16 | static_cast<size_t>(p[1]) << 8 | p[2];
}

}  // namespace

HelloSniffer::HelloSniffer(bool from_client, size_t skip_prefix)
    : from_client_(from_client), skip_(skip_prefix) {}

bool HelloSniffer::Done() const {
  if (!error_.empty()) return true;
  if (from_client_) return client_.complete;
  if (!server_.complete || server_.handshake.empty()) return false;
  return server_.version != "1.3" || !server_.first_encrypted_record_hex.empty();
}

void HelloSniffer::Feed(const unsigned char* data, size_t len) {
  if (Done()) return;
  const size_t skipped = skip_ < len ? skip_ : len;
  skip_ -= skipped;
  pending_.insert(pending_.end(), data + skipped, data + len);
  size_t at = 0;
  while (!Done() && pending_.size() - at >= 5) {
    const unsigned char* rec = pending_.data() + at;
    const size_t body_len = U16(rec + 3);
    if (rec[1] != 3 || body_len > kMaxRecord || rec[0] < 20 || rec[0] > 24) {
      error_ = "not a TLS record stream (header " + testsupport::HexBytes(rec, 5) + ")";
      break;
    }
    if (pending_.size() - at < 5 + body_len) break;
    OnRecord(rec[0], rec, 5 + body_len);
    at += 5 + body_len;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(at));
  if (Done()) pending_.clear();
}

void HelloSniffer::OnRecord(unsigned type, const unsigned char* rec, size_t len) {
  if (from_client_ ? client_.complete : server_.complete) {
    if (from_client_) return;
    if (server_.version == "1.2" && server_.handshake.empty() && type == kChangeCipherSpec) {
      server_.handshake = "abbreviated";  // RFC 5246 7.3: resumption skips the Certificate
    }
    if (server_.version == "1.3" && type == kApplicationData &&
        server_.first_encrypted_record_hex.empty() && len <= kMaxKeptRecord) {
      server_.first_encrypted_record_hex = testsupport::HexBytes(rec, len);
    }
    if (type != kHandshake || server_.version != "1.2" || !server_.handshake.empty()) return;
  }
  if (type != kHandshake) return;
  handshake_.insert(handshake_.end(), rec + 5, rec + len);
  while (handshake_.size() >= 4 && handshake_.size() >= 4 + U24(handshake_.data() + 1)) {
    const size_t msg_len = 4 + U24(handshake_.data() + 1);
    std::vector<unsigned char> msg(handshake_.begin(), handshake_.begin() + msg_len);
    handshake_.erase(handshake_.begin(), handshake_.begin() + msg_len);
    OnHandshakeMessage(msg.data(), msg.size());
  }
}

void HelloSniffer::OnHandshakeMessage(const unsigned char* msg, size_t len) {
  const unsigned type = msg[0];
  if (from_client_) {
    if (type == kClientHello && !client_.complete) ParseClientHello(msg + 4, len - 4);
    return;
  }
  if (!server_.complete) {
    if (type == kServerHello) ParseServerHello(msg + 4, len - 4);
    return;
  }
  // TLS 1.2, after the ServerHello: a resumed session's server may send a NewSessionTicket before
  // its ChangeCipherSpec; any other message (Certificate, ServerKeyExchange) means a full
  // handshake.
  if (server_.handshake.empty() && type != kNewSessionTicket) server_.handshake = "full";
}

void HelloSniffer::ParseClientHello(const unsigned char* body, size_t len) {
  if (!testsupport::ParseClientHello(body, len, testsupport::Transport::kTls, &client_)) {
    error_ = "malformed ClientHello";
  }
}

void HelloSniffer::ParseServerHello(const unsigned char* body, size_t len) {
  ServerHelloSeen seen;
  switch (testsupport::ParseServerHello(body, len, testsupport::Transport::kTls, &seen)) {
    case testsupport::ServerHelloKind::kMalformed:
      error_ = "malformed ServerHello";
      return;
    case testsupport::ServerHelloKind::kHelloRetryRequest:
      server_.hello_retry_request = true;  // the real ServerHello follows the second ClientHello
      return;
    case testsupport::ServerHelloKind::kServerHello:
      seen.hello_retry_request = server_.hello_retry_request;
      server_ = seen;
      return;
  }
}

}  // namespace sslshim::programs
