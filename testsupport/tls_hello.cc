#include "testsupport/tls_hello.h"

#include <cstdio>
#include <cstring>

namespace sslshim::testsupport {
namespace {

constexpr unsigned kServerName = 0, kSupportedGroups = 10, kAlpn = 16, kSessionTicket = 35,
                   kPreSharedKey = 41, kSupportedVersions = 43;

// RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this random.
constexpr unsigned char kHelloRetryRandom[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

// A bounds-checked reader over one message body: a read past the end clears ok() and every read
// after it gives nothing.
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
  unsigned U16() {
    const unsigned char* p = Take(2);
    return p ? static_cast<unsigned>(p[0]) << 8 | p[1] : 0;
  }
  Reader Sub8() { return Sub(U8()); }
  Reader Sub16() { return Sub(U16()); }
  std::string Rest() {
    const size_t n = left();
    const unsigned char* p = Take(n);
    return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
  }

 private:
  Reader Sub(size_t n) {
    const unsigned char* p = Take(n);
    if (p) return Reader(p, n);
    Reader failed(nullptr, 0);
    failed.ok_ = false;
    return failed;
  }
  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

// The extension block (absent: none); false when an extension runs past it.
template <typename OnExtension>
bool ReadExtensions(Reader* message, OnExtension on_extension) {
  if (message->left() == 0) return true;
  Reader block = message->Sub16();
  while (block.ok() && block.left() >= 4) {
    const unsigned type = block.U16();
    Reader data = block.Sub16();
    if (!data.ok()) return false;
    on_extension(type, data);
  }
  return block.ok() && block.left() == 0 && message->ok();
}

}  // namespace

std::string DtlsVersionName(unsigned version) {
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

std::string HexBytes(const unsigned char* p, size_t len) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; i++) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

bool ParseClientHello(const unsigned char* body, size_t len, Transport transport,
                      ClientHelloSeen* out) {
  Reader r(body, len);
  ClientHelloSeen hello;
  r.U16();  // legacy_version
  const unsigned char* random = r.Take(32);
  r.Sub8();  // legacy_session_id
  if (transport == Transport::kDtls) hello.cookie_len = r.Sub8().left();
  Reader ciphers = r.Sub16();
  r.Sub8();  // legacy_compression_methods
  if (!r.ok() || random == nullptr) return false;
  hello.random_hex = HexBytes(random, 32);
  while (ciphers.left() >= 2) hello.ciphers.push_back(ciphers.U16());
  const bool extensions_ok = ReadExtensions(&r, [&hello](unsigned type, Reader data) {
    hello.extensions.push_back(type);
    if (type == kSupportedGroups) {
      Reader list = data.Sub16();
      while (list.left() >= 2) hello.groups.push_back(list.U16());
    } else if (type == kAlpn) {
      Reader list = data.Sub16();
      while (list.left() >= 1) {
        Reader name = list.Sub8();
        if (name.ok()) hello.alpn.push_back(name.Rest());
      }
    } else if (type == kServerName) {
      Reader list = data.Sub16();
      if (list.U8() == 0) {
        Reader name = list.Sub16();
        if (name.ok()) hello.server_name = name.Rest();
      }
    } else if (type == kPreSharedKey) {
      hello.offers_psk = true;
    } else if (type == kSessionTicket) {
      hello.has_session_ticket = data.left() > 0;
    }
  });
  if (!extensions_ok) return false;
  hello.complete = true;
  *out = std::move(hello);
  return true;
}

ServerHelloKind ParseServerHello(const unsigned char* body, size_t len, Transport transport,
                                 ServerHelloSeen* out) {
  Reader r(body, len);
  const unsigned legacy_version = r.U16();
  const unsigned char* random = r.Take(32);
  r.Sub8();  // legacy_session_id_echo
  const unsigned cipher = r.U16();
  r.U8();  // legacy_compression_method
  if (!r.ok() || random == nullptr) return ServerHelloKind::kMalformed;
  if (transport == Transport::kTls && std::memcmp(random, kHelloRetryRandom, 32) == 0) {
    return ServerHelloKind::kHelloRetryRequest;  // the real ServerHello follows
  }
  ServerHelloSeen seen;
  seen.cipher = cipher;
  if (transport == Transport::kDtls) {
    seen.version = DtlsVersionName(legacy_version);
  } else {
    seen.version = legacy_version == 0x0303 ? "1.2" : legacy_version == 0x0302 ? "1.1" : "other";
  }
  bool psk = false;
  const bool extensions_ok = ReadExtensions(&r, [&](unsigned type, Reader data) {
    seen.extensions.push_back(type);
    if (type == kSupportedVersions && transport == Transport::kTls && data.U16() == 0x0304) {
      seen.version = "1.3";
    }
    if (type == kPreSharedKey) psk = true;
  });
  if (!extensions_ok) return ServerHelloKind::kMalformed;
  if (transport == Transport::kDtls) {
    seen.handshake = "full";  // the DTLS relay tells full handshakes only
  } else if (seen.version == "1.3") {
    seen.handshake = psk ? "psk" : "full";
  }
  seen.complete = true;
  *out = std::move(seen);
  return ServerHelloKind::kServerHello;
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

}  // namespace sslshim::testsupport
