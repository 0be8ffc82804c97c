// libFuzzer target: mutated peer flights, to a shim client and a shim server, during and past
// the handshake. Both ends are the stand-in's (linked as libssl.so.3), joined through this
// program, which applies the input's edits to the bytes crossing in either direction: flip a
// byte, insert one, drop a run, or end the stream at some offset. In the fuzz preset BoringSSL
// is built in its fuzzer mode (null record encryption, no signature or Finished checks,
// deterministic randomness), so an edit reaches the parsers behind the record layer rather than
// failing its MAC. Any crash or sanitizer report is a bug.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_contexts.h"

namespace {

enum class EditKind : uint8_t { kFlip, kInsert, kDrop, kEnd };

// One edit to one direction's byte stream, at an offset counted from the stream's start.
struct Edit {
  int direction;  // 0: client to server, 1: server to client
  EditKind kind;
  size_t offset;
  uint8_t value;  // the byte to flip with or insert, or how many to drop
};

std::vector<Edit> ParseEdits(const uint8_t* data, size_t size, uint8_t* settings) {
  std::vector<Edit> edits;
  *settings = size > 0 ? data[0] : 0;
  for (size_t i = 1; i + 4 <= size && edits.size() < 64; i += 4) {
    Edit e;
    e.direction = data[i] & 1;
    e.kind = static_cast<EditKind>((data[i] >> 1) % 4);
    e.offset = (static_cast<size_t>(data[i + 1]) << 8 | data[i + 2]) * ((data[i] >> 3) + 1);
    e.value = data[i + 3];
    edits.push_back(e);
  }
  return edits;
}

using sslshim::fuzz::ClientContext;
using sslshim::fuzz::ServerContext;

// One direction: what the sender's BIO holds goes, edited, into the receiver's BIO.
class Link {
 public:
  // Keeps this direction's edits, ordered by offset; edits at one offset stay in input order.
  Link(BIO* from, BIO* to, int direction, const std::vector<Edit>& edits) : from_(from), to_(to) {
    for (const Edit& e : edits) {
      if (e.direction == direction) edits_.push_back(e);
    }
    std::stable_sort(edits_.begin(), edits_.end(),
                     [](const Edit& a, const Edit& b) { return a.offset < b.offset; });
  }

  // Moves what is waiting; true if anything moved. Unedited runs are copied whole: a byte at a
  // time, the harness cost more than the TLS stack it drives.
  bool Pump() {
    if (ended_) return false;
    uint8_t buf[4096];
    int read = BIO_read(from_, buf, sizeof buf);
    if (read <= 0) return false;
    const size_t n = static_cast<size_t>(read);
    std::vector<uint8_t> out;
    out.reserve(n);
    size_t i = 0;
    while (i < n && !ended_) {
      if (skip_ > 0) {  // a drop in progress: these bytes never arrive
        size_t k = std::min(skip_, n - i);
        skip_ -= k, i += k, offset_ += k;
        continue;
      }
      while (next_ < edits_.size() && edits_[next_].offset < offset_) next_++;
      size_t run = n - i;
      if (next_ < edits_.size()) run = std::min(run, edits_[next_].offset - offset_);
      if (run > 0) {
        out.insert(out.end(), buf + i, buf + i + run);
        i += run, offset_ += run;
        continue;
      }
      ApplyEditsAt(buf[i], out);
      i++, offset_++;
    }
    if (!out.empty()) BIO_write(to_, out.data(), static_cast<int>(out.size()));
    if (ended_) BIO_set_mem_eof_return(to_, 0);  // the receiver reads the end of the stream
    return true;
  }

 private:
  // The edits at offset_, in input order, to `byte`; a drop counts `byte` as its first.
  void ApplyEditsAt(uint8_t byte, std::vector<uint8_t>& out) {
    for (; next_ < edits_.size() && edits_[next_].offset == offset_; next_++) {
      const Edit& e = edits_[next_];
      switch (e.kind) {
        case EditKind::kFlip:
          byte ^= e.value == 0 ? 1 : e.value;
          break;
        case EditKind::kInsert:
          out.push_back(e.value);
          break;
        case EditKind::kDrop:
          skip_ = e.value;
          break;
        case EditKind::kEnd:
          ended_ = true;
          break;
      }
    }
    if (ended_) return;
    if (skip_ > 0) {
      skip_--;
      return;
    }
    out.push_back(byte);
  }

  BIO* from_;
  BIO* to_;
  std::vector<Edit> edits_;  // this direction's, by offset
  size_t next_ = 0;          // the first edit not yet behind offset_
  size_t offset_ = 0;
  size_t skip_ = 0;
  bool ended_ = false;
};

// One end's next call; the order follows a program that writes, reads, and shuts down.
void Drive(SSL* ssl, int round, uint8_t settings) {
  static char buf[20000];
  ERR_clear_error();
  if (!SSL_is_init_finished(ssl)) {
    SSL_do_handshake(ssl);
  } else if (round % 3 == 0) {
    SSL_write(ssl, buf, 1 + (settings * 67 + round * 131) % sizeof buf);
  } else if (round % 3 == 1) {
    SSL_read(ssl, buf, sizeof buf);
  } else if (round > 30 && (settings & 0x40) != 0) {
    SSL_shutdown(ssl);
  } else if ((settings & 0x20) != 0 && round == 20) {
    SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED);
  } else {
    SSL_peek(ssl, buf, 1);
  }
  ERR_clear_error();
}

// The client verifies the server by a DANE-EE record of its key, so a changed Certificate
// message reaches the shim's TLSA matching and the program's X509_verify_cert.
void VerifyByDane(SSL* client) {
  static unsigned char digest[EVP_MAX_MD_SIZE];
  static unsigned int digest_len = 0;
  if (digest_len == 0) {
    X509_pubkey_digest(SSL_CTX_get0_certificate(ServerContext()), EVP_sha256(), digest,
                       &digest_len);
    SSL_CTX_dane_enable(ClientContext());
  }
  SSL_dane_enable(client, "fuzz.example");
  SSL_dane_tlsa_add(client, 3, 1, 1, digest, digest_len);
  SSL_set_verify(client, SSL_VERIFY_PEER, nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t settings = 0;
  std::vector<Edit> edits = ParseEdits(data, size, &settings);
  SSL* client = SSL_new(ClientContext());
  SSL* server = SSL_new(ServerContext());
  // Settings: the version (both, 1.2 or 1.3), DANE on the client, and what the ends do besides
  // data.
  const int version = (settings & 1) != 0 ? TLS1_2_VERSION : TLS1_3_VERSION;
  SSL_set_min_proto_version(client, version);
  SSL_set_max_proto_version(client, version);
  if ((settings & 2) != 0) SSL_set_mode(client, SSL_MODE_ENABLE_PARTIAL_WRITE);
  if ((settings & 4) != 0) SSL_set_options(server, SSL_OP_NO_TICKET);
  if ((settings & 8) != 0) VerifyByDane(client);
  BIO* client_in = BIO_new(BIO_s_mem());
  BIO* client_out = BIO_new(BIO_s_mem());
  BIO* server_in = BIO_new(BIO_s_mem());
  BIO* server_out = BIO_new(BIO_s_mem());
  for (BIO* b : {client_in, client_out, server_in, server_out}) BIO_set_mem_eof_return(b, -1);
  SSL_set_bio(client, client_in, client_out);
  SSL_set_bio(server, server_in, server_out);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  Link to_server(client_out, server_in, 0, edits);
  Link to_client(server_out, client_in, 1, edits);
  // Up to 60 rounds, but no more once the handshake has stalled: neither end has finished it and
  // nothing has crossed for two write cycles, so both have failed or wait on each other and every
  // later round would repeat the same calls on the same state (most mutated inputs end there, and
  // running them all 60 rounds cost most of the time). An end that has finished keeps its rounds:
  // its writes, key update and shutdown still run against a peer that failed or went silent.
  int idle_rounds = 0;
  for (int round = 0; round < 60; round++) {
    Drive(client, round, settings);
    bool moved = to_server.Pump();
    Drive(server, round, settings);
    moved = to_client.Pump() || moved;
    idle_rounds = moved ? 0 : idle_rounds + 1;
    if (idle_rounds >= 6 && !SSL_is_init_finished(client) && !SSL_is_init_finished(server)) break;
  }
  SSL_free(client);
  SSL_free(server);
  sslshim::fuzz::EndInput();
  return 0;
}
