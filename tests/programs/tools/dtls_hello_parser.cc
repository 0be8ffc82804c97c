#include "dtls_hello_parser.h"

#include <cstdio>

namespace sslshim::programs {
namespace {

constexpr size_t kRecordHeader = 13;
constexpr size_t kFragmentHeader = 12;
constexpr unsigned kHandshake = 22;
constexpr unsigned kApplicationData = 23;
constexpr unsigned kClientHello = 1, kServerHello = 2, kHelloVerifyRequest = 3;
constexpr int64_t kSupportedGroups = 10, kAlpn = 16, kServerName = 0;

unsigned Get16(const unsigned char* p) { return (p[0] << 8) | p[1]; }
size_t Get24(const unsigned char* p) { return (size_t{p[0]} << 16) | (size_t{p[1]} << 8) | p[2]; }

std::string VersionName(unsigned version) {
  switch (version) {
    case 0xfeff:
      return "DTLS1.0";
    case 0xfefd:
      return "DTLS1.2";
    case 0xfefc:
      return "DTLS1.3";
    default: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%04x", version);
      return buf;
    }
  }
}

// A bounds-checked reader over one message body.
struct Reader {
  const std::vector<unsigned char>& b;
  size_t at = 0;
  bool ok = true;
  bool Need(size_t n) {
    if (!ok || b.size() - at < n || at > b.size()) ok = false;
    return ok;
  }
  unsigned U8() { return Need(1) ? b[at++] : 0; }
  unsigned U16() {
    if (!Need(2)) return 0;
    unsigned v = Get16(&b[at]);
    at += 2;
    return v;
  }
  void Skip(size_t n) {
    if (Need(n)) at += n;
  }
};

// Extensions as (type, body) pairs; false when they do not parse.
bool ReadExtensions(Reader* r, std::vector<std::pair<unsigned, std::vector<unsigned char>>>* out) {
  if (r->at == r->b.size()) return true;  // no extensions at all
  size_t total = r->U16();
  if (!r->Need(total)) return false;
  size_t end = r->at + total;
  while (r->at + 4 <= end) {
    unsigned type = r->U16();
    size_t len = r->U16();
    if (!r->Need(len) || r->at + len > end) return false;
    out->push_back(
        {type, std::vector<unsigned char>(r->b.begin() + r->at, r->b.begin() + r->at + len)});
    r->at += len;
  }
  return r->at == end;
}

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
      error_ = "not DTLS: record version " + VersionName(version);
      return;
    }
    if (record_version_.empty() || type == kApplicationData) record_version_ = VersionName(version);
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
  Reader r{body};
  ClientHelloSeen hello;
  r.U16();  // client_version
  if (r.Need(32)) {
    char hex[3];
    for (size_t i = 0; i < 32; i++) {
      std::snprintf(hex, sizeof hex, "%02x", body[r.at + i]);
      hello.random_hex += hex;
    }
  }
  r.Skip(32);
  r.Skip(r.U8());  // session_id
  size_t cookie = r.U8();
  r.Skip(cookie);
  size_t cipher_bytes = r.U16();
  for (size_t i = 0; i + 1 < cipher_bytes && r.ok; i += 2) hello.ciphers.push_back(r.U16());
  r.Skip(r.U8());  // compression methods
  std::vector<std::pair<unsigned, std::vector<unsigned char>>> extensions;
  if (!r.ok || !ReadExtensions(&r, &extensions)) {
    error_ = "a ClientHello that does not parse";
    return;
  }
  for (const auto& [ext, data] : extensions) {
    hello.extensions.push_back(ext);
    if (ext == kSupportedGroups && data.size() >= 2) {
      for (size_t i = 2; i + 1 < data.size(); i += 2) hello.groups.push_back(Get16(&data[i]));
    } else if (ext == kAlpn && data.size() >= 2) {
      for (size_t i = 2; i < data.size();) {
        size_t n = data[i];
        if (i + 1 + n > data.size()) break;
        hello.alpn.emplace_back(data.begin() + i + 1, data.begin() + i + 1 + n);
        i += 1 + n;
      }
    } else if (ext == kServerName && data.size() >= 5) {
      size_t n = Get16(&data[3]);
      if (5 + n <= data.size()) hello.server_name.assign(data.begin() + 5, data.begin() + 5 + n);
    }
  }
  hello.complete = true;
  cookie_len_ = cookie;
  client_ = hello;
}

void DtlsHelloParser::ParseServerHello(const std::vector<unsigned char>& body) {
  Reader r{body};
  unsigned version = r.U16();
  r.Skip(32);
  r.Skip(r.U8());  // session_id
  unsigned cipher = r.U16();
  r.U8();  // compression
  std::vector<std::pair<unsigned, std::vector<unsigned char>>> extensions;
  if (!r.ok || !ReadExtensions(&r, &extensions)) {
    error_ = "a ServerHello that does not parse";
    return;
  }
  server_.version = VersionName(version);
  server_.cipher = cipher;
  for (const auto& extension : extensions) server_.extensions.push_back(extension.first);
  server_.handshake = "full";
  server_.complete = true;
}

}  // namespace sslshim::programs
