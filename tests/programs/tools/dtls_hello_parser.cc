#include "dtls_hello_parser.h"

#include <cstdio>

namespace sslshim::programs {
namespace {

constexpr size_t kRecordHeader = 13;
constexpr size_t kFragmentHeader = 12;
constexpr unsigned kHandshake = 22;
constexpr unsigned kApplicationData = 23;
constexpr unsigned kClientHello = 1, kServerHello = 2, kHelloVerifyRequest = 3;

unsigned Get16(const unsigned char* p) { return (p[0] << 8) | p[1]; }
size_t Get24(const unsigned char* p) { return (size_t{p[0]} << 16) | (size_t{p[1]} << 8) | p[2]; }

}  // namespace

void DtlsHelloParser::FeedDatagram(const unsigned char* data, size_t len) {
  datagrams_++;
  bytes_ += len;
  if (len > largest_) largest_ = len;
  size_t at = 0;
  while (at + kRecordHeader <= len) {
    unsigned type = data[at];
    unsigned version = Get16(data + at + 1);
    size_t body_len = Get16(data + at + 11);
    if (at + kRecordHeader + body_len > len) {
      error_ = "a record runs past its datagram";
      return;
    }
    if ((version >> 8) != 0xfe) {
      error_ = "not DTLS: record version " + testsupport::DtlsVersionName(version);
      return;
    }
    if (record_version_.empty() || type == kApplicationData)
      record_version_ = testsupport::DtlsVersionName(version);
    unsigned epoch = Get16(data + at + 3);
    const unsigned char* body = data + at + kRecordHeader;
    if (type == kApplicationData) application_records_++;
    // Epoch 0 handshake records are plaintext; later ones are encrypted (Finished).
    if (type == kHandshake && epoch == 0) {
      size_t f = 0;
      while (f + kFragmentHeader <= body_len) {
        size_t fragment_len = Get24(body + f + 9);
        if (f + kFragmentHeader + fragment_len > body_len) break;
        OnHandshakeFragment(body + f, kFragmentHeader + fragment_len);
        f += kFragmentHeader + fragment_len;
      }
    }
    at += kRecordHeader + body_len;
  }
}

void DtlsHelloParser::OnHandshakeFragment(const unsigned char* fragment, size_t len) {
  unsigned type = fragment[0];
  size_t total = Get24(fragment + 1);
  unsigned seq = Get16(fragment + 4);
  size_t offset = Get24(fragment + 6);
  size_t fragment_len = Get24(fragment + 9);
  if (offset + fragment_len > total || total > (1u << 20)) return;
  Pending& p = pending_[seq];
  if (p.body.size() != total || p.type != type) {
    p = Pending{type, std::vector<unsigned char>(total), std::vector<bool>(total, false), total};
  }
  for (size_t i = 0; i < fragment_len; i++) {
    if (!p.have[offset + i]) {
      p.have[offset + i] = true;
      p.body[offset + i] = fragment[kFragmentHeader + i];
      p.missing--;
    }
  }
  if (p.missing == 0 && total == p.body.size()) {
    std::vector<unsigned char> body = std::move(p.body);
    pending_.erase(seq);
    OnMessage(type, body);
  }
}

void DtlsHelloParser::OnMessage(unsigned type, const std::vector<unsigned char>& body) {
  if (from_client_ && type == kClientHello) {
    ParseClientHello(body);  // after a HelloVerifyRequest the second one (with the cookie) wins
  } else if (!from_client_ && type == kHelloVerifyRequest) {
    hello_verify_requests_++;
  } else if (!from_client_ && type == kServerHello && !server_.complete) {
    ParseServerHello(body);
  }
}

void DtlsHelloParser::ParseClientHello(const std::vector<unsigned char>& body) {
  ClientHelloSeen hello;
  if (!testsupport::ParseClientHello(body.data(), body.size(), testsupport::Transport::kDtls,
                                     &hello)) {
    error_ = "a ClientHello that does not parse";
    return;
  }
  client_ = hello;
}

void DtlsHelloParser::ParseServerHello(const std::vector<unsigned char>& body) {
  if (testsupport::ParseServerHello(body.data(), body.size(), testsupport::Transport::kDtls,
                                    &server_) != testsupport::ServerHelloKind::kServerHello) {
    error_ = "a ServerHello that does not parse";
  }
}

}  // namespace sslshim::programs
