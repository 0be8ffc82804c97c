// libFuzzer target: random sequences of exported libssl calls on the shim's objects, as a
// program might make them in any order, with any lengths and settings. Clients and servers of the
// stand-in (linked as libssl.so.3) are paired over BIO pairs, so handshakes and records really
// run; the input picks the calls and their arguments. Any crash, sanitizer report or leak is a
// bug; answers are not judged here (the compatibility suite and the reliability tests do that).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/lhash.h>
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
  std::string Text(uint32_t longest = 40) {
    size_t n = Below(longest);
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

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// A connection's session rewritten (ALPN, SNI, early data limit) and read back from its encoding
// with one byte changed: the fields the BoringSSL backend keeps in, or writes into, the encoding.
void RewriteSession(Choices& in, Pair* pair, SSL* ssl) {
  SSL_SESSION* session = SSL_get1_session(ssl);
  if (session == nullptr) return;
  const std::string alpn = in.Text();
  SSL_SESSION_set1_alpn_selected(session, Bytes(alpn), alpn.size());
  SSL_SESSION_set1_hostname(session, in.Text().c_str());
  SSL_SESSION_set_max_early_data(session, in.Below(0x10000));
  const unsigned char* selected = nullptr;
  size_t selected_len = 0;
  SSL_SESSION_get0_alpn_selected(session, &selected, &selected_len);
  const int len = i2d_SSL_SESSION(session, nullptr);
  if (len > 0) {
    std::vector<unsigned char> der(static_cast<size_t>(len));
    unsigned char* out = der.data();
    i2d_SSL_SESSION(session, &out);
    der[in.Below(static_cast<uint32_t>(der.size()))] ^= in.Byte();
    const unsigned char* read = der.data();
    if (SSL_SESSION* back = d2i_SSL_SESSION(nullptr, &read, len)) {
      SSL_SESSION_get0_alpn_selected(back, &selected, &selected_len);
      SSL_SESSION_get0_hostname(back);
      SSL_SESSION* copy = SSL_SESSION_dup(back);
      SSL_set_session(pair->ssl[0], copy != nullptr ? copy : back);
      SSL_SESSION_free(copy);
      SSL_SESSION_free(back);
    }
  }
  SSL_SESSION_free(session);
}

// The server cache as a program walks it (SSL_CTX_sessions), counts it and flushes it.
void WalkSessionCache(Choices& in, SSL* ssl) {
  SSL_CTX* ctx = SSL_get_SSL_CTX(ssl);
  if (LHASH_OF(SSL_SESSION)* table = SSL_CTX_sessions(ctx)) {
    OPENSSL_LH_doall_arg(
        reinterpret_cast<OPENSSL_LHASH*>(table),
        [](void* session, void*) {
          unsigned int id_len = 0;
          SSL_SESSION_get_id(static_cast<SSL_SESSION*>(session), &id_len);
        },
        nullptr);
  }
  SSL_CTX_sess_number(ctx);
  if (in.Byte() < 32) SSL_CTX_flush_sessions(ctx, static_cast<long>(in.Below(0x10000)) << 16);
}

// DANE records with any usage, selector, matching type and data, then the answers.
void AddDaneRecords(Choices& in, SSL* ssl) {
  SSL_CTX_dane_enable(SSL_get_SSL_CTX(ssl));
  if (in.Byte() < 128) SSL_dane_enable(ssl, in.Text().c_str());
  const uint8_t usage = in.Byte() % 5, selector = in.Byte() % 3, mtype = in.Byte() % 4;
  const std::string data = in.Text(100);
  SSL_dane_tlsa_add(ssl, usage, selector, mtype, Bytes(data), data.size());
  SSL_dane_set_flags(ssl, in.Byte());
  X509* cert = nullptr;
  EVP_PKEY* spki = nullptr;
  SSL_get0_dane_authority(ssl, &cert, &spki);
  uint8_t u = 0, s = 0, m = 0;
  const unsigned char* record = nullptr;
  size_t record_len = 0;
  SSL_get0_dane_tlsa(ssl, &u, &s, &m, &record, &record_len);
}

// SSL_MODE_ASYNC's calls, with and without the mode.
void AskAsync(Choices& in, SSL* ssl) {
  if (in.Byte() & 1) {
    SSL_set_mode(ssl, SSL_MODE_ASYNC);
  } else {
    SSL_clear_mode(ssl, SSL_MODE_ASYNC);
  }
  size_t fds = 0, added = 0, removed = 0;
  SSL_get_all_async_fds(ssl, nullptr, &fds);
  SSL_get_changed_async_fds(ssl, nullptr, &added, nullptr, &removed);
  SSL_waiting_for_async(ssl);
}

void OneCall(Choices& in, std::vector<std::unique_ptr<Pair>>& pairs) {
  if (pairs.empty() || in.Below(16) == 0) {
    if (pairs.size() < 4) pairs.push_back(std::make_unique<Pair>());
    return;
  }
  Pair* pair = pairs[in.Below(static_cast<uint32_t>(pairs.size()))].get();
  SSL* ssl = pair->ssl[in.Byte() & 1];
  static std::array<char, 80000> buf;
  switch (in.Below(23)) {
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
    case 17:
      RewriteSession(in, pair, ssl);
      break;
    case 18: {
      const std::string der = in.Text(600);  // any bytes as an encoded session
      const unsigned char* read = Bytes(der);
      SSL_SESSION* session = d2i_SSL_SESSION(nullptr, &read, static_cast<long>(der.size()));
      if (session != nullptr) SSL_set_session(ssl, session);
      SSL_SESSION_free(session);
      break;
    }
    case 19:
      WalkSessionCache(in, ssl);
      break;
    case 20:
      AddDaneRecords(in, ssl);
      break;
    case 21:
      AskAsync(in, ssl);
      break;
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
  sslshim::fuzz::EndInput();
  return 0;
}
