// libFuzzer target: random sequences of exported libssl calls on the shim's objects, as a
// program might make them in any order, with any lengths and settings. Clients and servers of the
// stand-in (linked as libssl.so.3) are paired over BIO pairs, so handshakes and records really
// run; the input picks the calls and their arguments. Any crash, sanitizer report or leak is a
// bug; answers are not judged here (the compatibility suite and the reliability tests do that).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_contexts.h"

namespace {

// Reads the input as the choices of one run; past its end every choice is 0.
class Choices {
 public:
  Choices(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : ((Byte() << 8) | Byte()) % n; }
  // A length that favours the edges SSL_write cares about: 0, 1, a record and one byte more.
  int Length() {
    static constexpr int kEdges[] = {0, 1, 16383, 16384, 16385, 70000};
    uint8_t b = Byte();
    return b < 48 ? kEdges[b % 6] : static_cast<int>(Below(20000));
  }
  std::string Text() {
    size_t n = Below(40);
    std::string s;
    for (size_t i = 0; i < n && !empty(); i++) s.push_back(static_cast<char>(Byte()));
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

using sslshim::fuzz::ClientContext;
using sslshim::fuzz::ServerContext;

// A client and a server of the shim joined by a BIO pair.
struct Pair {
  SSL* ssl[2] = {nullptr, nullptr};
  Pair() {
    ssl[0] = SSL_new(ClientContext());
    ssl[1] = SSL_new(ServerContext());
    BIO *a = nullptr, *b = nullptr;
    BIO_new_bio_pair(&a, 0, &b, 0);
    SSL_set_bio(ssl[0], a, a);
    SSL_set_bio(ssl[1], b, b);
    SSL_set_connect_state(ssl[0]);
    SSL_set_accept_state(ssl[1]);
  }
  ~Pair() {
    SSL_free(ssl[0]);
    SSL_free(ssl[1]);
  }
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;
};

// The ctrl commands a program may pass with an integer, or no argument at all.
constexpr int kIntegerCtrls[] = {
    SSL_CTRL_MODE,
    SSL_CTRL_CLEAR_MODE,
    SSL_CTRL_SET_MIN_PROTO_VERSION,
    SSL_CTRL_SET_MAX_PROTO_VERSION,
    SSL_CTRL_GET_MIN_PROTO_VERSION,
    SSL_CTRL_GET_MAX_PROTO_VERSION,
    SSL_CTRL_SET_READ_AHEAD,
    SSL_CTRL_GET_READ_AHEAD,
    SSL_CTRL_SET_MTU,
    SSL_CTRL_GET_RI_SUPPORT,
    SSL_CTRL_GET_TOTAL_RENEGOTIATIONS,
    DTLS_CTRL_HANDLE_TIMEOUT,
};

void OneCall(Choices& in, std::vector<std::unique_ptr<Pair>>& pairs) {
  if (pairs.empty() || in.Below(16) == 0) {
    if (pairs.size() < 4) pairs.push_back(std::make_unique<Pair>());
    return;
  }
  Pair* pair = pairs[in.Below(static_cast<uint32_t>(pairs.size()))].get();
  SSL* ssl = pair->ssl[in.Byte() & 1];
  static std::array<char, 80000> buf;
  switch (in.Below(18)) {
    case 0:
      SSL_write(ssl, buf.data(), in.Length());
      break;
    case 1: {
      size_t written = 0;
      SSL_write_ex(ssl, buf.data(), static_cast<size_t>(in.Length()), &written);
      break;
    }
    case 2:
      SSL_read(ssl, buf.data(), in.Length());
      break;
    case 3:
      SSL_peek(ssl, buf.data(), in.Length());
      break;
    case 4:
      SSL_do_handshake(ssl);
      break;
    case 5:
      SSL_shutdown(ssl);
      break;
    case 6:
      SSL_ctrl(ssl, kIntegerCtrls[in.Below(sizeof kIntegerCtrls / sizeof kIntegerCtrls[0])],
               static_cast<long>(in.Below(0x10000)) - 0x100, nullptr);
      break;
    case 7:
      SSL_set_options(ssl, (static_cast<uint64_t>(in.Byte()) << 16) | in.Byte());
      break;
    case 8:
      SSL_set_cipher_list(ssl, in.Text().c_str());
      break;
    case 9:
      SSL_set_ciphersuites(ssl, in.Text().c_str());
      break;
    case 10:
      SSL_set1_groups_list(ssl, in.Text().c_str());
      break;
    case 11:
      SSL_key_update(ssl, static_cast<int>(in.Below(3)));
      break;
    case 12:
      SSL_renegotiate(ssl);
      break;
    case 13:
      SSL_clear(ssl);
      break;
    case 14:
      SSL_set1_host(ssl, in.Text().c_str());
      break;
    case 15:
      SSL_set_tlsext_host_name(ssl, in.Text().c_str());
      break;
    case 16: {
      SSL_SESSION* session = SSL_get1_session(ssl);
      SSL_set_session(pair->ssl[0], session);
      SSL_SESSION_free(session);
      break;
    }
    default:
      SSL_set_shutdown(ssl, in.Byte() & 3);
      SSL_pending(ssl);
      SSL_get_error(ssl, -1);
      break;
  }
  ERR_clear_error();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Choices in(data, size);
  std::vector<std::unique_ptr<Pair>> pairs;
  for (int calls = 0; calls < 200 && !in.empty(); calls++) OneCall(in, pairs);
  pairs.clear();
  ERR_clear_error();
  return 0;
}
