// What the OpenSSL backend's unit tests share: certificates made with libcrypto, the backend of
// this process, an observer standing in for the core, and a client/server pair over a
// non-blocking socketpair, driven in turn from one thread so every loop is bounded.
#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace sslshim::openssl_test {

using Der = std::vector<uint8_t>;
using Chain = std::vector<Der>;

struct KeyAndCert {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  Der cert_der;
  Der key_pkcs8;
};

// An EC P-256 key and a certificate for it, signed by `issuer` (self-signed when null).
KeyAndCert MakeKeyAndCert(const char* common_name, const KeyAndCert* issuer, bool is_ca);

struct TestPki {
  KeyAndCert ca = MakeKeyAndCert("sslshim test CA", nullptr, true);
  KeyAndCert server = MakeKeyAndCert("server.test", &ca, false);
  KeyAndCert client = MakeKeyAndCert("client.test", &ca, false);
  KeyAndCert other = MakeKeyAndCert("other.test", &ca, false);  // a second server identity
};
const TestPki& Pki();

// The DER of a certificate's subject name.
Der SubjectDer(X509* cert);

Backend& OpenSsl();

// The core's side of a connection: records what the backend reports, answers as scripted.
class RecordingObserver : public ConnObserver {
 public:
  struct Message {
    int write_p, version, content_type;
    Der bytes;
  };

  void OnInfo(int where, int ret) override;
  VerifyOutcome VerifyPeer(const Chain& chain_der) override;
  void OnKeyLog(const char* line) override;
  void OnMessage(int write_p, int version, int content_type, const void* buf, size_t len) override;
  bool OnNewSession(std::unique_ptr<BackendSession> session) override;
  int SelectAlpn(const uint8_t* in, size_t inlen, const uint8_t** out, uint8_t* outlen) override;
  int OnServerName(int* alert) override;
  int OnCertificateNeeded() override;
  int OnClientHello(const ClientHelloView&, int*) override { return kClientHelloSuccess; }
  int AdvertiseNextProtos(const uint8_t** out, unsigned* outlen) override;
  int SelectNextProto(uint8_t** out, uint8_t* outlen, const uint8_t* in, unsigned inlen) override;
  int OnStatus(bool server) override {
    status_calls++;
    if (on_status) return on_status(server);
    return server ? SSL_TLSEXT_ERR_OK : 1;
  }
  int OnTicketKey(uint8_t* key_name, uint8_t* iv, void* cipher_ctx, void* mac_ctx,
                  int enc) override {
    return on_ticket_key ? on_ticket_key(key_name, iv, cipher_ctx, mac_ctx, enc) : -1;
  }

  bool SawInfo(int bits) const;
  // Key log lines that start with `label` followed by a space.
  size_t KeyLogLinesWith(const std::string& label) const;

  VerifyOutcome outcome{true, X509_V_OK};
  std::vector<Chain> chains;
  std::vector<int> info_where;
  std::vector<std::string> keylog_lines;
  std::vector<Message> messages;
  bool keep_sessions = true;
  int new_session_calls = 0;
  std::vector<std::unique_ptr<BackendSession>> sessions;  // kept ones
  std::vector<Der> alpn_offers;                           // the client lists SelectAlpn saw
  std::function<int(const uint8_t*, size_t, const uint8_t**, uint8_t*)> select_alpn;
  std::function<int(int*)> server_name;  // default: SSL_TLSEXT_ERR_OK
  int server_name_calls = 0;
  std::deque<int> cert_answers;  // OnCertificateNeeded's answers in turn; then 1
  int cert_calls = 0;
  // NPN: the list a server advertises (SSL_TLSEXT_ERR_OK), and the protocol a client picks from
  // the server's list (the first of it when empty); what the client was offered.
  Der npn_advertised;
  Der npn_choice;
  std::vector<Der> npn_offers;
  std::function<int(bool)> on_status;  // OCSP: default SSL_TLSEXT_ERR_OK / 1
  int status_calls = 0;
  std::function<int(uint8_t*, uint8_t*, void*, void*, int)> on_ticket_key;
};

bool IsWant(const IoResult& r);
std::vector<unsigned long> DrainErrors();
bool HasSslError(const std::vector<unsigned long>& errors, int reason);

// Two contexts, and a client and a server connection over a non-blocking socketpair. The server
// context has Pki().server's chain and key; the client context verifies the peer.
class Link {
 public:
  explicit Link(int version);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Makes the connections (after the test has configured the contexts); again for a second pair
  // on the same contexts (resumption), dropping the first.
  void Connect();
  // Runs both handshakes in turn until both finish or one fails for real. Stops at the first
  // failure: OpenSSL's handshake clears the error queue on entry, so calling the other side again
  // would wipe the errors of the one that failed.
  bool Handshake();
  // Reads on the client until it would block: the TLS 1.3 tickets sent after the handshake.
  void ClientReadsPending();

  std::unique_ptr<BackendCtx> server_ctx, client_ctx;
  RecordingObserver client_observer, server_observer;
  std::unique_ptr<BackendConn> client, server;
  BIO* client_bio = nullptr;  // owned by the connection
  BIO* server_bio = nullptr;
  IoResult client_result, server_result;
  int fds[2] = {-1, -1};

 private:
  void Disconnect();
};

struct Transfer {
  Der received;
  int write_retries = 0;
  bool failed = false;
  IoResult failure;
};

// One SSL_write of all of `data` (retried on WANT_* as the page requires), read on the other side.
// With `move_buffer`, each retry passes an identical copy at another address.
Transfer Send(BackendConn* writer, BackendConn* reader, const Der& data, bool move_buffer);

Der Pattern(size_t size);

}  // namespace sslshim::openssl_test
