#include "hello_sniffer.h"

#include <cstring>

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

// RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this random.
constexpr unsigned char kHelloRetryRandom[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

unsigned U16(const unsigned char* p) { return static_cast<unsigned>(p[0]) << 8 | p[1]; }
size_t U24(const unsigned char* p) {
  return static_cast<size_t>(p[0]) << 16 | static_cast<size_t>(p[1]) << 8 | p[2];
}

std::string Hex(const unsigned char* p, size_t len) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; i++) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

// A bounds-checked reader over one message body.
class Reader {
 public:
  Reader(const unsigned char* p, size_t len) : p_(p), end_(p + len) {}
  bool ok() const { return ok_; }
  size_t left() const { return ok_ ? static_cast<size_t>(end_ - p_) : 0; }
  const unsigned char* Take(size_t n) {
    if (!ok_ || left() < n) {
      ok_ = false;
      return nullptr;
    }
    const unsigned char* at = p_;
    p_ += n;
    return at;
  }
  unsigned U8() {
    const unsigned char* p = Take(1);
    return p ? p[0] : 0;
  }
  unsigned Read16() {
    const unsigned char* p = Take(2);
    return p ? U16(p) : 0;
  }
  Reader Sub8() { return Sub(U8()); }
  Reader Sub16() { return Sub(Read16()); }

 private:
  Reader Sub(size_t n) {
    const unsigned char* p = Take(n);
    return p ? Reader(p, n) : Reader(nullptr, 0);
  }
  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

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
      error_ = "not a TLS record stream (header " + Hex(rec, 5) + ")";
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
      server_.first_encrypted_record_hex = Hex(rec, len);
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
  Reader r(body, len);
  r.Read16();  // legacy_version
  const unsigned char* random = r.Take(32);
  r.Sub8();  // legacy_session_id
  Reader ciphers = r.Sub16();
  r.Sub8();  // legacy_compression_methods
  Reader exts = r.Sub16();
  if (!r.ok() || random == nullptr) {
    error_ = "malformed ClientHello";
    return;
  }
  client_.random_hex = Hex(random, 32);
  while (ciphers.ok() && ciphers.left() >= 2) client_.ciphers.push_back(ciphers.Read16());
  while (exts.ok() && exts.left() >= 4) {
    const unsigned ext_type = exts.Read16();
    Reader data = exts.Sub16();
    client_.extensions.push_back(ext_type);
    if (ext_type == 10) {  // supported_groups
      Reader list = data.Sub16();
      while (list.ok() && list.left() >= 2) client_.groups.push_back(list.Read16());
    } else if (ext_type == 16) {  // application_layer_protocol_negotiation
      Reader list = data.Sub16();
      while (list.ok() && list.left() >= 1) {
        Reader name = list.Sub8();
        const size_t n = name.left();
        const unsigned char* p = name.Take(n);
        if (p) client_.alpn.emplace_back(reinterpret_cast<const char*>(p), n);
      }
    } else if (ext_type == 0) {  // server_name
      Reader list = data.Sub16();
      if (list.U8() == 0) {
        Reader name = list.Sub16();
        const size_t n = name.left();
        const unsigned char* p = name.Take(n);
        if (p) client_.server_name.assign(reinterpret_cast<const char*>(p), n);
      }
    } else if (ext_type == 41) {  // pre_shared_key
      client_.offers_psk = true;
    } else if (ext_type == 35) {  // session_ticket
      client_.has_session_ticket = data.left() > 0;
    }
  }
  client_.complete = true;
}

void HelloSniffer::ParseServerHello(const unsigned char* body, size_t len) {
  Reader r(body, len);
  const unsigned legacy_version = r.Read16();
  const unsigned char* random = r.Take(32);
  r.Sub8();  // legacy_session_id_echo
  const unsigned cipher = r.Read16();
  r.U8();  // legacy_compression_method
  Reader exts = r.left() > 0 ? r.Sub16() : Reader(nullptr, 0);
  if (!r.ok() || random == nullptr) {
    error_ = "malformed ServerHello";
    return;
  }
  if (std::memcmp(random, kHelloRetryRandom, 32) == 0) {
    server_.hello_retry_request = true;  // the real ServerHello follows the second ClientHello
    return;
  }
  ServerHelloSeen seen;
  seen.hello_retry_request = server_.hello_retry_request;
  seen.cipher = cipher;
  seen.version = legacy_version == 0x0303 ? "1.2" : legacy_version == 0x0302 ? "1.1" : "other";
  bool psk = false;
  while (exts.ok() && exts.left() >= 4) {
    const unsigned ext_type = exts.Read16();
    Reader data = exts.Sub16();
    seen.extensions.push_back(ext_type);
    if (ext_type == 43 && data.Read16() == 0x0304) seen.version = "1.3";  // supported_versions
    if (ext_type == 41) psk = true;
  }
  if (seen.version == "1.3") seen.handshake = psk ? "psk" : "full";
  seen.complete = true;
  server_ = seen;
}

std::string ClassifyClientHelloByExtensions(const ClientHelloSeen& hello, std::string* reason) {
  auto has = [](const std::vector<int64_t>& v, int64_t x) {
    for (int64_t e : v) {
      if (e == x) return true;
    }
    return false;
  };
  const bool etm = has(hello.extensions, 22), scsv = has(hello.ciphers, 0x00FF);
  const bool reneg_ext = has(hello.extensions, 65281);
  if (etm || scsv) {
    *reason = std::string("ClientHello offers") + (etm ? " encrypt_then_mac (22)" : "") +
              (scsv ? " the renegotiation SCSV (0x00FF)" : "") + ": OpenSSL";
    return "OpenSSL";
  }
  if (reneg_ext) {
    *reason = "ClientHello has renegotiation_info (65281), no encrypt_then_mac, no SCSV: BoringSSL";
    return "BoringSSL";
  }
  *reason = "ClientHello extensions match neither library";
  return "";
}

}  // namespace sslshim::programs
