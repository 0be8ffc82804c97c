// The measured work, one template for every column: against OpenSSL 3's API as the process
// links it (openssl_api_loop.cc: the preloaded shim, when it is), against the real libssl reached
// by dlvsym (openssl_direct_loop.cc) and against BoringSSL's API (boringssl_direct_loop.cc). One
// text keeps the measurement identical on every side; each side gives it an `Api`: a struct of
// static functions over its library, which the compiler inlines, so a call costs what the
// library's own call costs. Library-free: it names no TLS type.
//
// Api must provide:
//   using Ssl, Ctx, Bio;                                // the library's SSL, SSL_CTX, BIO
//   static Ctx* NewContext(bool server);                 // SSL_CTX_new(TLS_{client,server}_method)
//   static bool ConfigureContext(Ctx*, TlsVersion);      // version bounds and cipher
//   static bool LoadServerCredentials(Ctx*);             // BenchCredentials() into the context
//   static void FreeContext(Ctx*);
//   static Ssl* NewSsl(Ctx*);  static void FreeSsl(Ssl*);
//   static bool NewBioPair(Bio** a, Bio** b, size_t buffer_size);
//   static void SetBio(Ssl*, Bio*);                      // both directions
//   static void SetConnectState(Ssl*);  static void SetAcceptState(Ssl*);
//   static int DoHandshake(Ssl*);
//   static bool MustWait(const Ssl*, int result);        // SSL_ERROR_WANT_READ / _WANT_WRITE
//   static int Write(Ssl*, const void*, int);  static int Read(Ssl*, void*, int);
//   static int BioRead(Bio*, void*, int);
//   static std::string CipherName(const Ssl*);           // the current cipher, or "none"
//   static std::string ErrorText(const char* what);      // `what` and the queue's first error
//   static std::string SslWriteProvider();               // what serves SSL_write here
//
// The work: a client and a server SSL joined by one BIO pair, handshaken once (untimed), then
// SSL_write of the case's payload, and either the ciphertext taken out raw or the server's
// SSL_read of it. The pair's buffers hold more than one full TLS record, so SSL_write never waits
// for the peer and only TLS work (and the BIO it writes to) is timed.
#ifndef SSLSHIM_BENCH_TLS_PAIR_LOOP_H_
#define SSLSHIM_BENCH_TLS_PAIR_LOOP_H_

#include <cstddef>
#include <string>
#include <vector>

#include "bench_matrix.h"
#include "write_loop.h"

namespace sslshim_bench {

// One full TLS record is 16 KiB of plaintext plus at most a few hundred bytes of overhead.
inline constexpr size_t kPairBufferSize = 64 * 1024;
inline constexpr int kMaxHandshakeRounds = 64;

template <typename Api>
class TlsPair {
 public:
  using Ssl = typename Api::Ssl;
  using Ctx = typename Api::Ctx;
  using Bio = typename Api::Bio;

  TlsPair() = default;
  TlsPair(const TlsPair&) = delete;
  TlsPair& operator=(const TlsPair&) = delete;
  ~TlsPair() {
    if (client_ != nullptr) Api::FreeSsl(client_);
    if (server_ != nullptr) Api::FreeSsl(server_);
    if (client_ctx_ != nullptr) Api::FreeContext(client_ctx_);
    if (server_ctx_ != nullptr) Api::FreeContext(server_ctx_);
  }

  // Empty on success, else what failed.
  std::string Connect(TlsVersion version) {
    client_ctx_ = Api::NewContext(/*server=*/false);
    server_ctx_ = Api::NewContext(/*server=*/true);
    if (client_ctx_ == nullptr || server_ctx_ == nullptr ||
        !Api::ConfigureContext(client_ctx_, version) ||
        !Api::ConfigureContext(server_ctx_, version)) {
      return Api::ErrorText("SSL_CTX set-up");
    }
    if (!Api::LoadServerCredentials(server_ctx_)) {
      return Api::ErrorText("server certificate and key");
    }
    client_ = Api::NewSsl(client_ctx_);
    server_ = Api::NewSsl(server_ctx_);
    Bio* client_end = nullptr;
    if (client_ == nullptr || server_ == nullptr ||
        !Api::NewBioPair(&client_end, &server_end_, kPairBufferSize)) {
      return Api::ErrorText("SSL_new / BIO_new_bio_pair");
    }
    Api::SetBio(client_, client_end);
    Api::SetBio(server_, server_end_);
    Api::SetConnectState(client_);
    Api::SetAcceptState(server_);
    return Handshake();
  }

  Ssl* client() const { return client_; }
  Ssl* server() const { return server_; }
  // The server's half of the pair: reading it takes the client's records without decrypting them.
  Bio* server_end() const { return server_end_; }
  std::string CipherName() const { return Api::CipherName(client_); }

 private:
  std::string Handshake() {
    for (int round = 0; round < kMaxHandshakeRounds; ++round) {
      int client_result = Api::DoHandshake(client_);
      if (client_result != 1 && !Api::MustWait(client_, client_result)) {
        return Api::ErrorText("client handshake");
      }
      int server_result = Api::DoHandshake(server_);
      if (server_result != 1 && !Api::MustWait(server_, server_result)) {
        return Api::ErrorText("server handshake");
      }
      if (client_result == 1 && server_result == 1) return std::string();
    }
    return "handshake did not finish in " + std::to_string(kMaxHandshakeRounds) + " rounds";
  }

  Ctx* client_ctx_ = nullptr;
  Ctx* server_ctx_ = nullptr;
  Ssl* client_ = nullptr;
  Ssl* server_ = nullptr;
  Bio* server_end_ = nullptr;
};

template <typename Api>
class TlsPairLoop final : public WriteLoop {
 public:
  std::string Connect(const BenchCase& bench_case) override {
    bench_case_ = bench_case;
    payload_.assign(bench_case.payload_size, 0x5a);
    sink_.resize(kPairBufferSize);
    return pair_.Connect(bench_case.version);
  }

  std::string Run(int count) override {
    const int size = static_cast<int>(bench_case_.payload_size);
    for (int i = 0; i < count; ++i) {
      if (Api::Write(pair_.client(), payload_.data(), size) != size) {
        return Api::ErrorText("SSL_write");
      }
      if (bench_case_.workload == Workload::kWrite) {
        DiscardCiphertext();
      } else if (!ServerReadsAll()) {
        return Api::ErrorText("server SSL_read");
      }
    }
    return std::string();
  }

  std::string Label() const override { return pair_.CipherName() + " " + Api::SslWriteProvider(); }

 private:
  // Takes every byte the client wrote out of the pair, undecrypted.
  void DiscardCiphertext() {
    while (Api::BioRead(pair_.server_end(), sink_.data(), static_cast<int>(sink_.size())) > 0) {
    }
  }

  bool ServerReadsAll() {
    size_t received = 0;
    while (received < bench_case_.payload_size) {
      int n = Api::Read(pair_.server(), sink_.data(), static_cast<int>(sink_.size()));
      if (n <= 0) return false;
      received += static_cast<size_t>(n);
    }
    return received == bench_case_.payload_size;
  }

  TlsPair<Api> pair_;
  BenchCase bench_case_{};
  std::vector<unsigned char> payload_;
  std::vector<unsigned char> sink_;
};

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_TLS_PAIR_LOOP_H_
