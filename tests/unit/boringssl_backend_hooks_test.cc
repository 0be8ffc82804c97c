// The BoringSSL backend's optional hooks, sessions and per-connection settings (what
// curl, psql, python3's ssl, socat and nginx use), end to end through the Backend interface over
// in-memory program BIOs. Every number checked is OpenSSL 3's.
#include <algorithm>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "boringssl_fake_program_bio.h"
#include "boringssl_test_credentials.h"
#include "gtest/gtest.h"

namespace sslshim {
namespace {

using testing_support::ByteQueue;
using testing_support::Credentials;
using testing_support::FakeBio;
using testing_support::FakeBioOps;

// OpenSSL 3's numbers.
constexpr int kErrorWantRead = 2, kErrorWantWrite = 3, kErrorWantX509Lookup = 4;
constexpr int kLibSsl = 20;
constexpr int kTls12 = 0x0303, kTls13 = 0x0304;
constexpr int kTlsextErrOk = 0, kTlsextErrAlertFatal = 2, kTlsextErrNoAck = 3;
constexpr int kRtHeader = 256, kRtHandshake = 22;
constexpr long kSessCacheClient = 0x1;
constexpr uint64_t kOpNoTicket = uint64_t{1} << 14, kOpNoTls13 = uint64_t{1} << 29;
constexpr int kVerifyPeer = 0x1;

std::string Text(const std::vector<uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

bool HasError(const std::vector<ErrorRecord>& errors, int lib, int reason) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const ErrorRecord& e) { return e.lib == lib && e.reason == reason; });
}

// --- An observer whose optional answers each test sets ------------------------------------------

struct Message {
  int write_p, version, content_type;
  std::vector<uint8_t> bytes;
};

class HookObserver : public ConnObserver {
 public:
  void OnInfo(int /*where*/, int /*ret*/) override {}
  VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>&) override { return {true, 0}; }
  void OnKeyLog(const char* line) override { keylog.emplace_back(line); }
  void OnMessage(int write_p, int version, int content_type, const void* buf, size_t len) override {
    const auto* bytes = static_cast<const uint8_t*>(buf);
    messages.push_back({write_p, version, content_type, std::vector<uint8_t>(bytes, bytes + len)});
  }
  bool OnNewSession(std::unique_ptr<BackendSession> session) override {
    sessions.push_back(std::move(session));
    return true;
  }
  int SelectAlpn(const uint8_t* in, size_t inlen, const uint8_t** out, uint8_t* outlen) override {
    alpn_offered.assign(in, in + inlen);
    return select_alpn ? select_alpn(in, inlen, out, outlen) : kTlsextErrNoAck;
  }
  int OnServerName(int* alert) override {
    server_name_calls++;
    return on_server_name ? on_server_name(alert) : kTlsextErrOk;
  }
  int OnCertificateNeeded() override {
    cert_calls++;
    if (cert_answers.empty()) return 1;
    int answer = cert_answers.front();
    cert_answers.pop_front();
    return answer;
  }
  int OnClientHello(const ClientHelloView&, int*) override { return kClientHelloSuccess; }
  int AdvertiseNextProtos(const uint8_t** out, unsigned* outlen) override {
    if (npn_advertised.empty()) return kTlsextErrNoAck;
    *out = npn_advertised.data();
    *outlen = static_cast<unsigned>(npn_advertised.size());
    return kTlsextErrOk;
  }
  int SelectNextProto(uint8_t** out, uint8_t* outlen, const uint8_t* in, unsigned inlen) override {
    npn_offers.emplace_back(in, in + inlen);
    if (npn_choice.empty()) return kTlsextErrAlertFatal;
    *out = npn_choice.data();
    *outlen = static_cast<uint8_t>(npn_choice.size());
    return kTlsextErrOk;
  }

  int OnStatus(bool server) override {
    status_calls++;
    if (on_status) return on_status(server);
    return server ? kTlsextErrOk : 1;
  }
  // A toy sealing standing in for the core's (which uses the program's callback): a marker, then
  // the session's bytes flipped; the answers each test sets.
  int SealTicket(const uint8_t* in, size_t len, std::vector<uint8_t>* out) override {
    seal_calls++;
    if (seal_answer <= 0) return seal_answer;
    out->assign(kToyMarker, kToyMarker + sizeof kToyMarker);
    for (size_t i = 0; i < len; i++) out->push_back(in[i] ^ 0x5a);
    return 1;
  }
  int OpenTicket(const uint8_t* in, size_t len, std::vector<uint8_t>* out) override {
    open_calls++;
    if (len < sizeof kToyMarker || memcmp(in, kToyMarker, sizeof kToyMarker) != 0) return 0;
    if (open_answer <= 0) return open_answer;
    out->clear();
    for (size_t i = sizeof kToyMarker; i < len; i++) out->push_back(in[i] ^ 0x5a);
    return open_answer;
  }
  static constexpr uint8_t kToyMarker[4] = {'t', 'o', 'y', '!'};

  std::function<int(bool)> on_status;
  int status_calls = 0;
  int seal_answer = 1, open_answer = 1;
  int seal_calls = 0, open_calls = 0;
  std::vector<uint8_t> npn_advertised;  // NPN: the server's list, the client's choice
  std::vector<uint8_t> npn_choice;
  std::vector<std::vector<uint8_t>> npn_offers;
  std::vector<std::string> keylog;
  std::vector<Message> messages;
  std::vector<std::unique_ptr<BackendSession>> sessions;
  std::vector<uint8_t> alpn_offered;
  std::function<int(const uint8_t*, size_t, const uint8_t**, uint8_t*)> select_alpn;
  std::function<int(int*)> on_server_name;
  std::deque<int> cert_answers;
  int server_name_calls = 0;
  int cert_calls = 0;
};

// One client/server pair over its own two byte queues. Members are destroyed in reverse order:
// the connections go first, then the BIOs and observers they point at.
struct Pair {
  ByteQueue client_to_server, server_to_client;
  FakeBio client_bio{&server_to_client, &client_to_server};
  FakeBio server_bio{&client_to_server, &server_to_client};
  HookObserver client_observer, server_observer;
  std::unique_ptr<BackendConn> client, server;
  std::vector<int> server_errors_seen;  // SSL_get_error values the server's handshake gave
};

class BoringSslHooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Credentials().leaf_cert_der.empty()) << "the openssl command could not make certs";
    std::string why;
    backend_ = MakeBoringSslBackend(&why);
    ASSERT_NE(backend_, nullptr) << why;
    client_ctx_ = backend_->NewCtx({Endpoint::kClient, 0, 0}, FakeBioOps());
    server_ctx_ = backend_->NewCtx({Endpoint::kServer, 0, 0}, FakeBioOps());
    ASSERT_NE(client_ctx_, nullptr);
    ASSERT_NE(server_ctx_, nullptr);
    ASSERT_TRUE(
        server_ctx_->UseCertificateChain({Credentials().leaf_cert_der, Credentials().ca_cert_der}));
    ASSERT_TRUE(server_ctx_->UsePrivateKey(Credentials().leaf_key_der));
  }

  void PinVersion(int version) {
    for (BackendCtx* ctx : {client_ctx_.get(), server_ctx_.get()}) {
      ASSERT_TRUE(ctx->SetMinVersion(version));
      ASSERT_TRUE(ctx->SetMaxVersion(version));
    }
  }

  std::unique_ptr<Pair> MakePair(uint32_t client_hooks, uint32_t server_hooks) {
    auto pair = std::make_unique<Pair>();
    pair->client = client_ctx_->NewConn(&pair->client_observer);
    pair->server = server_ctx_->NewConn(&pair->server_observer);
    EXPECT_NE(pair->client, nullptr);
    EXPECT_NE(pair->server, nullptr);
    if (pair->client == nullptr || pair->server == nullptr) return nullptr;
    pair->client->EnableHooks(client_hooks);
    pair->server->EnableHooks(server_hooks);
    pair->client->SetConnectState();
    pair->server->SetAcceptState();
    pair->client->SetBio(&pair->client_bio, &pair->client_bio);
    pair->server->SetBio(&pair->server_bio, &pair->server_bio);
    return pair;
  }

  // Steps both sides until both finish; false if either fails with anything but a retry.
  static bool Handshake(Pair* pair) {
    for (int step = 0; step < 50; step++) {
      IoResult c = pair->client->Handshake();
      IoResult s = pair->server->Handshake();
      if (s.ret != 1) pair->server_errors_seen.push_back(s.ssl_error);
      if (c.ret == 1 && s.ret == 1) return true;
      for (const IoResult& r : {c, s}) {
        if (r.ret != 1 && r.ssl_error != kErrorWantRead && r.ssl_error != kErrorWantWrite &&
            r.ssl_error != kErrorWantX509Lookup) {
          return false;
        }
      }
    }
    return false;
  }

  // Sends `text` from `writer` and reads it on `reader` (which also takes any tickets sent first).
  static std::string Exchange(BackendConn* writer, BackendConn* reader, const std::string& text) {
    IoResult w = writer->Write(text.data(), static_cast<int>(text.size()));
    EXPECT_EQ(w.ret, static_cast<int>(text.size()));
    char buf[256];
    IoResult r = reader->Read(buf, sizeof buf, false);
    return r.ret > 0 ? std::string(buf, static_cast<size_t>(r.ret)) : "";
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendCtx> client_ctx_, server_ctx_;
};

// --- Sessions -----------------------------------------------------------------------------------

TEST_F(BoringSslHooksTest, Tls12SessionSurvivesItsEncodingAndResumes) {
  PinVersion(kTls12);
  ASSERT_TRUE(server_ctx_->SetSessionIdContext(reinterpret_cast<const uint8_t*>("sid"), 3));
  auto first = MakePair(0, 0);
  EXPECT_EQ(first->client->Get1Session(), nullptr);  // nothing before the handshake
  ASSERT_TRUE(Handshake(first.get()));
  EXPECT_FALSE(first->client->SessionReused());

  std::unique_ptr<BackendSession> session = first->client->Get1Session();
  ASSERT_NE(session, nullptr);
  EXPECT_TRUE(session->IsResumable());
  EXPECT_EQ(session->ProtocolVersion(), kTls12);
  EXPECT_GT(session->Timeout(), 0);
  EXPECT_LE(std::labs(session->Time() - static_cast<long>(std::time(nullptr))), 60);
  std::vector<uint8_t> bytes = session->Serialize();
  ASSERT_FALSE(bytes.empty());

  std::unique_ptr<BackendSession> parsed = backend_->ParseSession(bytes.data(), bytes.size());
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(parsed->Serialize(), bytes);
  EXPECT_EQ(parsed->Id(), session->Id());
  EXPECT_EQ(parsed->HasTicket(), session->HasTicket());

  auto second = MakePair(0, 0);
  ASSERT_TRUE(second->client->SetSession(parsed.get()));
  ASSERT_TRUE(Handshake(second.get()));
  EXPECT_TRUE(second->client->SessionReused());
  EXPECT_TRUE(second->server->SessionReused());

  // Too late now: refused with an error instead of BoringSSL's abort.
  EXPECT_FALSE(second->client->SetSession(nullptr));
  std::vector<ErrorRecord> errors;
  second->client->TakeErrors(&errors);
  EXPECT_FALSE(errors.empty());

  const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x07};
  EXPECT_EQ(backend_->ParseSession(garbage, sizeof garbage), nullptr);
  errors.clear();
  backend_->TakeErrors(&errors);
  EXPECT_FALSE(errors.empty());
}

TEST_F(BoringSslHooksTest, Tls12ServerCacheByIdReportsNewSessionsWithItsTimeout) {
  PinVersion(kTls12);
  server_ctx_->SetOptions(kOpNoTicket);  // resumption through the server's cache, by session ID
  server_ctx_->SetSessionTimeout(120);
  client_ctx_->SetSessionCacheMode(kSessCacheClient);
  auto first = MakePair(kHookNewSession, kHookNewSession);
  ASSERT_TRUE(Handshake(first.get()));
  ASSERT_EQ(first->server_observer.sessions.size(), 1u);
  ASSERT_EQ(first->client_observer.sessions.size(), 1u);
  EXPECT_EQ(first->server_observer.sessions[0]->Timeout(), 120);
  EXPECT_FALSE(first->client_observer.sessions[0]->HasTicket());
  EXPECT_FALSE(first->client_observer.sessions[0]->Id().empty());
  EXPECT_EQ(first->server->Get1Session()->Timeout(), 120);

  auto second = MakePair(0, 0);
  ASSERT_TRUE(second->client->SetSession(first->client_observer.sessions[0].get()));
  ASSERT_TRUE(Handshake(second.get()));
  EXPECT_TRUE(second->server->SessionReused());
}

// SSL_SESSION_set_time/set_timeout on a server's session reach BoringSSL's cache (which then
// misses and flushes it); on a client's they answer the getters only, so BoringSSL still offers
// the session, as OpenSSL's client does.
TEST_F(BoringSslHooksTest, SessionTimesHoldTheServersCacheAndFlushReturnsWhatExpired) {
  PinVersion(kTls12);
  server_ctx_->SetOptions(kOpNoTicket);
  auto first = MakePair(0, 0);
  ASSERT_TRUE(Handshake(first.get()));
  std::unique_ptr<BackendSession> client_session = first->client->Get1Session();
  std::unique_ptr<BackendSession> server_session = first->server->Get1Session();
  ASSERT_TRUE(client_session && server_session);
  const long now = static_cast<long>(std::time(nullptr));
  client_session->SetTime(now - 1000);
  client_session->SetTimeout(5000000000L);
  EXPECT_EQ(client_session->Time(), now - 1000);
  EXPECT_EQ(client_session->Timeout(), 5000000000L);
  client_session->SetTimeout(10);

  auto second = MakePair(0, 0);
  ASSERT_TRUE(second->client->SetSession(client_session.get()));
  ASSERT_TRUE(Handshake(second.get()));
  EXPECT_TRUE(second->server->SessionReused());

  EXPECT_TRUE(server_ctx_->FlushSessions(now).empty());
  server_session->SetTime(now - 1000);
  server_session->SetTimeout(10);
  std::vector<std::unique_ptr<BackendSession>> removed = server_ctx_->FlushSessions(now);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0]->Id(), server_session->Id());
  auto third = MakePair(0, 0);
  ASSERT_TRUE(third->client->SetSession(client_session.get()));
  ASSERT_TRUE(Handshake(third.get()));
  EXPECT_FALSE(third->server->SessionReused());
}

TEST_F(BoringSslHooksTest, NewSessionHookFollowsTheProgramsCacheMode) {
  PinVersion(kTls12);
  // OpenSSL's default mode is server-only: a client's callback does not run.
  auto pair = MakePair(kHookNewSession, 0);
  ASSERT_TRUE(Handshake(pair.get()));
  EXPECT_TRUE(pair->client_observer.sessions.empty());

  server_ctx_->SetSessionCacheMode(0);  // SSL_SESS_CACHE_OFF
  auto off = MakePair(0, kHookNewSession);
  ASSERT_TRUE(Handshake(off.get()));
  EXPECT_TRUE(off->server_observer.sessions.empty());
}

TEST_F(BoringSslHooksTest, Tls13TicketsReachTheClientAndResume) {
  PinVersion(kTls13);
  client_ctx_->SetSessionCacheMode(kSessCacheClient);
  auto first = MakePair(kHookNewSession, kHookNewSession);
  ASSERT_TRUE(Handshake(first.get()));
  // OpenSSL calls a TLS 1.3 server's callback as it makes tickets, within the handshake.
  ASSERT_EQ(first->server_observer.sessions.size(), 1u);
  EXPECT_EQ(first->server_observer.sessions[0]->ProtocolVersion(), kTls13);

  // A BoringSSL server sends its tickets with its first write.
  EXPECT_EQ(Exchange(first->server.get(), first->client.get(), "hello"), "hello");
  ASSERT_EQ(first->client_observer.sessions.size(), 2u);  // the default two tickets
  for (const auto& ticket : first->client_observer.sessions) {
    EXPECT_TRUE(ticket->HasTicket());
    EXPECT_TRUE(ticket->IsResumable());
    EXPECT_EQ(ticket->ProtocolVersion(), kTls13);
  }
  // As OpenSSL's SSL_get1_session: the ticketed session, not the handshake's.
  std::unique_ptr<BackendSession> current = first->client->Get1Session();
  ASSERT_NE(current, nullptr);
  EXPECT_TRUE(current->IsResumable());
  EXPECT_TRUE(current->HasTicket());

  std::vector<uint8_t> bytes = current->Serialize();
  std::unique_ptr<BackendSession> parsed = backend_->ParseSession(bytes.data(), bytes.size());
  ASSERT_NE(parsed, nullptr);
  auto second = MakePair(0, 0);
  ASSERT_TRUE(second->client->SetSession(parsed.get()));
  ASSERT_TRUE(Handshake(second.get()));
  EXPECT_TRUE(second->client->SessionReused());
  EXPECT_TRUE(second->server->SessionReused());
}

// --- OCSP stapling and ticket keys -----------------------------------------------------------

const std::vector<uint8_t> kStaple = {0x30, 0x03, 0x0a, 0x01, 0x06};

TEST_F(BoringSslHooksTest, OcspStapleReachesOnlyAClientThatAskedAndOnlyWithOk) {
  for (int version : {kTls12, kTls13}) {
    SCOPED_TRACE(version);
    PinVersion(version);
    for (const bool ask : {true, false}) {
      for (const int server_answer : {kTlsextErrOk, kTlsextErrNoAck}) {
        SCOPED_TRACE(std::to_string(ask) + " " + std::to_string(server_answer));
        auto pair = MakePair(0, 0);
        if (ask) {
          ASSERT_TRUE(pair->client->RequestOcspStatus());
        }
        BackendConn* server = pair->server.get();
        BackendConn* client = pair->client.get();
        pair->server_observer.on_status = [&](bool is_server) {
          EXPECT_TRUE(is_server);
          EXPECT_TRUE(server->SetOcspResponse(kStaple.data(), kStaple.size()));
          return server_answer;
        };
        std::vector<uint8_t> seen_in_callback = {1};
        pair->client_observer.on_status = [&](bool is_server) {
          EXPECT_FALSE(is_server);
          seen_in_callback = client->OcspResponse();
          return 1;
        };
        ASSERT_TRUE(Handshake(pair.get()));
        EXPECT_EQ(pair->server_observer.status_calls, ask ? 1 : 0);
        EXPECT_EQ(pair->client_observer.status_calls, ask ? 1 : 0);
        const bool stapled = ask && server_answer == kTlsextErrOk;
        EXPECT_EQ(pair->client->OcspResponse(), stapled ? kStaple : std::vector<uint8_t>());
        if (ask) {
          EXPECT_EQ(seen_in_callback, pair->client->OcspResponse());
        }
      }
    }
  }
}

TEST_F(BoringSslHooksTest, OcspCallbackFailuresFailTheHandshakeWithOpenSslsReasons) {
  constexpr int kInvalidStatusResponse = 328, kOcspCallbackFailure = 305;
  constexpr int kClientHelloTlsext = 226;
  for (int version : {kTls12, kTls13}) {
    SCOPED_TRACE(version);
    PinVersion(version);
    for (const int client_answer : {0, -1}) {
      auto pair = MakePair(0, 0);
      ASSERT_TRUE(pair->client->RequestOcspStatus());
      pair->client_observer.on_status = [&](bool) { return client_answer; };
      EXPECT_FALSE(Handshake(pair.get()));
      std::vector<ErrorRecord> errors;
      pair->client->TakeErrors(&errors);
      EXPECT_TRUE(HasError(errors, kLibSsl,
                           client_answer == 0 ? kInvalidStatusResponse : kOcspCallbackFailure));
    }
    auto pair = MakePair(0, 0);
    ASSERT_TRUE(pair->client->RequestOcspStatus());
    pair->server_observer.on_status = [](bool) { return kTlsextErrAlertFatal; };
    EXPECT_FALSE(Handshake(pair.get()));
    std::vector<ErrorRecord> errors;
    pair->server->TakeErrors(&errors);
    EXPECT_TRUE(HasError(errors, kLibSsl, kClientHelloTlsext));
  }
}

TEST_F(BoringSslHooksTest, TicketsGoThroughTheProgramsKeyCallbackWithItsAnswers) {
  for (int version : {kTls12, kTls13}) {
    SCOPED_TRACE(version);
    PinVersion(version);
    ASSERT_TRUE(server_ctx_->SetTicketKeyCallback(TicketKeyCallback::kEvpMac));
    auto first = MakePair(0, kHookTicketKey);
    ASSERT_TRUE(Handshake(first.get()));
    EXPECT_EQ(Exchange(first->server.get(), first->client.get(), "hello"), "hello");
    EXPECT_GT(first->server_observer.seal_calls, 0);
    std::unique_ptr<BackendSession> session = first->client->Get1Session();
    ASSERT_NE(session, nullptr);
    ASSERT_TRUE(session->HasTicket());
    // 1 and 2 resume; 0 is a full handshake; -1 fails it.
    for (const int answer : {1, 2, 0, -1}) {
      SCOPED_TRACE(answer);
      auto next = MakePair(0, kHookTicketKey);
      next->server_observer.open_answer = answer;
      ASSERT_TRUE(next->client->SetSession(session.get()));
      EXPECT_EQ(Handshake(next.get()), answer >= 0);
      EXPECT_EQ(next->server_observer.open_calls, 1);
      if (answer >= 0) {
        EXPECT_EQ(next->server->SessionReused(), answer > 0);
        EXPECT_EQ(Exchange(next->server.get(), next->client.get(), "x"), "x");
        // OpenSSL 3 (measured): new tickets after a full handshake, and after a TLS 1.3
        // resumption only when renewed; BoringSSL's TLS 1.2 cannot renew on resumption.
        const bool new_tickets = answer == 0 || (answer == 2 && version == kTls13);
        EXPECT_EQ(next->server_observer.seal_calls > 0, new_tickets);
      }
    }
    // Without the hook (a context without the program's callback) such a ticket never resumes.
    auto plain = MakePair(0, 0);
    ASSERT_TRUE(plain->client->SetSession(session.get()));
    ASSERT_TRUE(Handshake(plain.get()));
    EXPECT_FALSE(plain->server->SessionReused());
    EXPECT_EQ(plain->server_observer.open_calls, 0);
  }
}

TEST_F(BoringSslHooksTest, NumTicketsSetsHowManyTicketsAServerSends) {
  PinVersion(kTls13);
  client_ctx_->SetSessionCacheMode(kSessCacheClient);
  ASSERT_TRUE(server_ctx_->SetNumTickets(1));
  auto one = MakePair(kHookNewSession, 0);
  ASSERT_TRUE(Handshake(one.get()));
  EXPECT_EQ(Exchange(one->server.get(), one->client.get(), "x"), "x");
  EXPECT_EQ(one->client_observer.sessions.size(), 1u);

  ASSERT_TRUE(server_ctx_->SetNumTickets(0));
  auto none = MakePair(kHookNewSession, kHookNewSession);
  ASSERT_TRUE(Handshake(none.get()));
  EXPECT_EQ(Exchange(none->server.get(), none->client.get(), "x"), "x");
  EXPECT_TRUE(none->client_observer.sessions.empty());
  EXPECT_TRUE(none->server_observer.sessions.empty());
}

TEST_F(BoringSslHooksTest, SetSessionNullClearsBeforeTheHandshake) {
  PinVersion(kTls12);
  auto first = MakePair(0, 0);
  ASSERT_TRUE(Handshake(first.get()));
  std::unique_ptr<BackendSession> session = first->client->Get1Session();
  auto second = MakePair(0, 0);
  ASSERT_TRUE(second->client->SetSession(session.get()));
  ASSERT_TRUE(second->client->SetSession(nullptr));
  ASSERT_TRUE(Handshake(second.get()));
  EXPECT_FALSE(second->client->SessionReused());
}

// --- ALPN, SNI and the certificate callback -----------------------------------------------------

TEST_F(BoringSslHooksTest, AlpnSelectionIsSeenOnBothSides) {
  const uint8_t wire[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  ASSERT_TRUE(client_ctx_->SetAlpnProtos(wire, sizeof wire));
  auto pair = MakePair(0, kHookAlpnSelect);
  pair->server_observer.select_alpn = [](const uint8_t* in, size_t, const uint8_t** out,
                                         uint8_t* outlen) {
    *out = in + 4;  // "http/1.1", inside the client's list
    *outlen = 8;
    return kTlsextErrOk;
  };
  ASSERT_TRUE(Handshake(pair.get()));
  EXPECT_EQ(pair->server_observer.alpn_offered, std::vector<uint8_t>(wire, wire + sizeof wire));
  EXPECT_EQ(Text(pair->server->AlpnSelected()), "http/1.1");
  EXPECT_EQ(Text(pair->client->AlpnSelected()), "http/1.1");

  // Without the hook (or with NOACK) nothing is negotiated.
  auto plain = MakePair(0, 0);
  ASSERT_TRUE(Handshake(plain.get()));
  EXPECT_TRUE(plain->client->AlpnSelected().empty());
  EXPECT_TRUE(plain->server_observer.alpn_offered.empty());  // not even asked

  auto fatal = MakePair(0, kHookAlpnSelect);
  fatal->server_observer.select_alpn = [](const uint8_t*, size_t, const uint8_t**, uint8_t*) {
    return kTlsextErrAlertFatal;
  };
  EXPECT_FALSE(Handshake(fatal.get()));
  std::vector<ErrorRecord> errors;
  fatal->server->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 235));  // SSL_R_NO_APPLICATION_PROTOCOL
}

TEST_F(BoringSslHooksTest, ConnectionAlpnListReplacesTheContexts) {
  const uint8_t ctx_list[] = {2, 'h', '2'};
  const uint8_t conn_list[] = {6, 'a', 'c', 'm', 'e', '-', '1'};
  ASSERT_TRUE(client_ctx_->SetAlpnProtos(ctx_list, sizeof ctx_list));
  auto pair = MakePair(0, kHookAlpnSelect);
  ASSERT_TRUE(pair->client->SetAlpnProtos(conn_list, sizeof conn_list));
  ASSERT_TRUE(Handshake(pair.get()));
  EXPECT_EQ(pair->server_observer.alpn_offered,
            std::vector<uint8_t>(conn_list, conn_list + sizeof conn_list));

  auto cleared = MakePair(0, kHookAlpnSelect);
  ASSERT_TRUE(cleared->client->SetAlpnProtos(nullptr, 0));  // none: no ALPN extension at all
  ASSERT_TRUE(Handshake(cleared.get()));
  EXPECT_TRUE(cleared->server_observer.alpn_offered.empty());
}

// --- NPN ----------------------------------------------------------------------------------------

TEST_F(BoringSslHooksTest, NpnNegotiatesThroughBothObserversInTls12Only) {
  const std::vector<uint8_t> advertised = {6, 's', 'p', 'd', 'y', '/', '3', 2, 'h', '2'};
  client_ctx_->EnableNextProtoCallbacks(false, true);
  server_ctx_->EnableNextProtoCallbacks(true, false);
  PinVersion(kTls12);
  auto pair = MakePair(0, 0);
  pair->server_observer.npn_advertised = advertised;
  pair->client_observer.npn_choice = {'h', '2'};
  EXPECT_TRUE(pair->client->NextProtoNegotiated().empty());
  ASSERT_TRUE(Handshake(pair.get()));
  ASSERT_EQ(pair->client_observer.npn_offers.size(), 1u);
  EXPECT_EQ(pair->client_observer.npn_offers[0], advertised);
  EXPECT_EQ(Text(pair->client->NextProtoNegotiated()), "h2");
  EXPECT_EQ(Text(pair->server->NextProtoNegotiated()), "h2");

  // A client whose program refuses fails the handshake, as OpenSSL's does.
  auto refused = MakePair(0, 0);
  refused->server_observer.npn_advertised = advertised;
  EXPECT_FALSE(Handshake(refused.get()));

  // Without the program's callbacks nobody offers or asks.
  client_ctx_->EnableNextProtoCallbacks(false, false);
  auto plain = MakePair(0, 0);
  plain->server_observer.npn_advertised = advertised;
  ASSERT_TRUE(Handshake(plain.get()));
  EXPECT_TRUE(plain->client_observer.npn_offers.empty());
  EXPECT_TRUE(plain->client->NextProtoNegotiated().empty());

  // NPN does not exist in TLS 1.3.
  client_ctx_->EnableNextProtoCallbacks(false, true);
  PinVersion(kTls13);
  auto tls13 = MakePair(0, 0);
  tls13->server_observer.npn_advertised = advertised;
  tls13->client_observer.npn_choice = {'h', '2'};
  ASSERT_TRUE(Handshake(tls13.get()));
  EXPECT_TRUE(tls13->client_observer.npn_offers.empty());
  EXPECT_TRUE(tls13->server->NextProtoNegotiated().empty());
}

// --- Keying material, randoms, master secret ----------------------------------------------------

TEST_F(BoringSslHooksTest, ExportedKeyingMaterialAndSecretsAgreeOnBothEnds) {
  for (int version : {kTls12, kTls13}) {
    SCOPED_TRACE(version);
    PinVersion(version);
    auto pair = MakePair(0, 0);
    uint8_t out[32];
    EXPECT_EQ(pair->client->ExportKeyingMaterial(out, sizeof out, "x", 1, nullptr, 0, false), -1);
    ASSERT_TRUE(Handshake(pair.get()));

    auto both = [&](const char* label, const uint8_t* context, size_t context_len, bool use) {
      std::vector<uint8_t> c(40), s(40);
      EXPECT_EQ(pair->client->ExportKeyingMaterial(c.data(), c.size(), label, strlen(label),
                                                   context, context_len, use),
                1);
      EXPECT_EQ(pair->server->ExportKeyingMaterial(s.data(), s.size(), label, strlen(label),
                                                   context, context_len, use),
                1);
      EXPECT_EQ(c, s);
      return c;
    };
    const uint8_t context[] = {1, 2, 3};
    std::vector<uint8_t> none = both("EXPERIMENTAL-a", nullptr, 0, false);
    std::vector<uint8_t> empty = both("EXPERIMENTAL-a", context, 0, true);
    std::vector<uint8_t> with = both("EXPERIMENTAL-a", context, sizeof context, true);
    EXPECT_NE(none, with);
    // RFC 8446: no context and an empty one are the same in TLS 1.3, not in TLS 1.2.
    EXPECT_EQ(none == empty, version == kTls13);

    // OpenSSL's TLS 1.2 exporter refuses TLS's own labels; TLS 1.3's takes any label.
    int reserved =
        pair->client->ExportKeyingMaterial(out, sizeof out, "master secret", 13, nullptr, 0, false);
    std::vector<ErrorRecord> errors;
    pair->client->TakeErrors(&errors);
    EXPECT_EQ(reserved, version == kTls12 ? 0 : 1);
    EXPECT_EQ(HasError(errors, kLibSsl, 367), version == kTls12);  // TLS_ILLEGAL_EXPORTER_LABEL

    uint8_t client_randoms[2][kRandomSize], server_randoms[2][kRandomSize];
    pair->client->Randoms(client_randoms[0], client_randoms[1]);
    pair->server->Randoms(server_randoms[0], server_randoms[1]);
    EXPECT_EQ(0, memcmp(client_randoms, server_randoms, sizeof client_randoms));
    EXPECT_NE(0, memcmp(client_randoms[0], client_randoms[1], kRandomSize));

    uint8_t client_key[kMaxMasterKeyLength], server_key[kMaxMasterKeyLength];
    const size_t client_len = pair->client->Get1Session()->MasterKey(client_key);
    const size_t server_len = pair->server->Get1Session()->MasterKey(server_key);
    if (version == kTls12) {
      ASSERT_EQ(client_len, 48u);
      ASSERT_EQ(server_len, 48u);
      EXPECT_EQ(0, memcmp(client_key, server_key, 48));
    } else {
      EXPECT_EQ(client_len, 0u);  // OpenSSL's TLS 1.3 client session has none before a ticket
      EXPECT_EQ(server_len, 32u);
    }
  }
}

TEST_F(BoringSslHooksTest, ConnectionSessionIdContextDecidesResumptionAndSurvivesSwitchCtx) {
  PinVersion(kTls12);
  const uint8_t app[] = {'a', 'p', 'p'}, other[] = {'o', 't', 'h', 'e', 'r'};
  std::unique_ptr<BackendCtx> vhost_ctx = backend_->NewCtx({Endpoint::kServer, 0, 0}, FakeBioOps());
  ASSERT_NE(vhost_ctx, nullptr);
  ASSERT_TRUE(vhost_ctx->UseCertificateChain({Credentials().leaf_cert_der}));
  ASSERT_TRUE(vhost_ctx->UsePrivateKey(Credentials().leaf_key_der));
  ASSERT_TRUE(vhost_ctx->SetSessionIdContext(other, sizeof other));

  auto first = MakePair(0, 0);
  ASSERT_TRUE(first->server->SetSessionIdContext(app, sizeof app));
  ASSERT_TRUE(Handshake(first.get()));
  std::unique_ptr<BackendSession> session = first->client->Get1Session();
  ASSERT_NE(session, nullptr);

  // Resumed under the same context, also after moving to a context with another one: the
  // connection's own stays (OpenSSL's SSL_set_SSL_CTX); not resumed under another context.
  for (bool switch_ctx : {false, true}) {
    auto again = MakePair(0, switch_ctx ? uint32_t{kHookServerName} : 0u);
    ASSERT_TRUE(again->server->SetSessionIdContext(app, sizeof app));
    BackendConn* server = again->server.get();
    again->server_observer.on_server_name = [&](int*) {
      EXPECT_TRUE(server->SwitchCtx(vhost_ctx.get()));
      return kTlsextErrOk;
    };
    ASSERT_TRUE(again->client->SetHostName("localhost"));
    ASSERT_TRUE(again->client->SetSession(session.get()));
    ASSERT_TRUE(Handshake(again.get()));
    EXPECT_TRUE(again->server->SessionReused()) << "switched: " << switch_ctx;
  }
  auto elsewhere = MakePair(0, 0);
  ASSERT_TRUE(elsewhere->server->SetSessionIdContext(other, sizeof other));
  ASSERT_TRUE(elsewhere->client->SetSession(session.get()));
  ASSERT_TRUE(Handshake(elsewhere.get()));
  EXPECT_FALSE(elsewhere->server->SessionReused());
}

TEST_F(BoringSslHooksTest, ServerNameCallbackCanSwitchToAContextWithAnotherCertificate) {
  std::unique_ptr<BackendCtx> second_ctx =
      backend_->NewCtx({Endpoint::kServer, 0, 0}, FakeBioOps());
  ASSERT_NE(second_ctx, nullptr);
  ASSERT_TRUE(second_ctx->UseCertificateChain({Credentials().second_cert_der}));
  ASSERT_TRUE(second_ctx->UsePrivateKey(Credentials().second_key_der));

  auto pair = MakePair(0, kHookServerName | kHookCert);
  ASSERT_TRUE(pair->client->SetHostName("other.sslshim.test"));
  BackendConn* server = pair->server.get();
  std::string name_seen;
  pair->server_observer.on_server_name = [&](int*) {
    name_seen = server->ServerName();  // already parsed when the callback runs
    EXPECT_TRUE(server->SwitchCtx(second_ctx.get()));
    return kTlsextErrOk;
  };
  ASSERT_TRUE(Handshake(pair.get()));
  EXPECT_EQ(name_seen, "other.sslshim.test");
  EXPECT_EQ(pair->server_observer.server_name_calls, 1);
  EXPECT_EQ(pair->server_observer.cert_calls, 1);  // the certificate hook survived the switch
  EXPECT_EQ(pair->client->PeerCertificateDer(), Credentials().second_cert_der);
  EXPECT_EQ(pair->client->ServerName(), "other.sslshim.test");
  EXPECT_EQ(pair->server->ServerName(), "other.sslshim.test");

  // No switch: the first context's certificate.
  auto same = MakePair(0, kHookServerName);
  ASSERT_TRUE(same->client->SetHostName("leaf.sslshim.test"));
  ASSERT_TRUE(Handshake(same.get()));
  EXPECT_EQ(same->server_observer.server_name_calls, 1);
  EXPECT_EQ(same->client->PeerCertificateDer(), Credentials().leaf_cert_der);
}

TEST_F(BoringSslHooksTest, ServerNameCallbackCanRefuseWithAnAlert) {
  auto pair = MakePair(0, kHookServerName);
  ASSERT_TRUE(pair->client->SetHostName("unknown.example"));
  pair->server_observer.on_server_name = [](int* alert) {
    *alert = 112;  // unrecognized_name
    return kTlsextErrAlertFatal;
  };
  EXPECT_FALSE(Handshake(pair.get()));
  EXPECT_EQ(pair->client->Handshake().ret, -1);  // the client reads the server's alert
  std::vector<ErrorRecord> errors;
  pair->client->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 1112));  // SSL_R_TLSV1_UNRECOGNIZED_NAME
}

// BoringSSL follows a handshake_failure alert answering the ClientHello with a hint of its own
// (SSL_R_HANDSHAKE_FAILURE_ON_CLIENT_HELLO); OpenSSL queues the alert alone, and programs read the
// last error as the cause (Python's SSLError.reason): the client's errors must end with the alert.
TEST_F(BoringSslHooksTest, HandshakeFailureAlertIsTheClientsLastError) {
  auto pair = MakePair(0, kHookServerName);
  ASSERT_TRUE(pair->client->SetHostName("unknown.example"));
  pair->server_observer.on_server_name = [](int* alert) {
    *alert = 40;  // handshake_failure
    return kTlsextErrAlertFatal;
  };
  EXPECT_FALSE(Handshake(pair.get()));
  EXPECT_EQ(pair->client->Handshake().ret, -1);
  std::vector<ErrorRecord> errors;
  pair->client->TakeErrors(&errors);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.back().lib, kLibSsl);
  EXPECT_EQ(errors.back().reason, 1040);  // SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE
}

TEST_F(BoringSslHooksTest, CertificateCallbackRetryIsWantX509LookupThenSucceeds) {
  auto pair = MakePair(0, kHookCert);
  pair->server_observer.cert_answers = {-1, -1, 1};
  ASSERT_TRUE(Handshake(pair.get()));
  EXPECT_EQ(pair->server_observer.cert_calls, 3);
  EXPECT_EQ(std::count(pair->server_errors_seen.begin(), pair->server_errors_seen.end(),
                       kErrorWantX509Lookup),
            2);

  auto failing = MakePair(0, kHookCert);
  failing->server_observer.cert_answers = {0};
  EXPECT_FALSE(Handshake(failing.get()));
  std::vector<ErrorRecord> errors;
  failing->server->TakeErrors(&errors);
  EXPECT_TRUE(HasError(errors, kLibSsl, 377));  // SSL_R_CERT_CB_ERROR

  auto unhooked = MakePair(0, 0);  // the hook is off: the observer is never asked
  unhooked->server_observer.cert_answers = {0};
  ASSERT_TRUE(Handshake(unhooked.get()));
  EXPECT_EQ(unhooked->server_observer.cert_calls, 0);
}

TEST_F(BoringSslHooksTest, PeerChainIsEverythingThePeerSentLeafFirst) {
  auto pair = MakePair(0, 0);
  ASSERT_TRUE(Handshake(pair.get()));
  std::vector<std::vector<uint8_t>> chain = pair->client->PeerChainDer();
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0], Credentials().leaf_cert_der);
  EXPECT_EQ(chain[1], Credentials().ca_cert_der);
  EXPECT_TRUE(pair->server->PeerChainDer().empty());  // no client certificate
}

// --- Key log and message callbacks --------------------------------------------------------------

TEST_F(BoringSslHooksTest, KeyLogGivesNssLinesForTls12AndTls13) {
  PinVersion(kTls12);
  auto tls12 = MakePair(kHookKeyLog, 0);
  ASSERT_TRUE(Handshake(tls12.get()));
  ASSERT_EQ(tls12->client_observer.keylog.size(), 1u);
  const std::string& line = tls12->client_observer.keylog[0];
  EXPECT_EQ(line.rfind("CLIENT_RANDOM ", 0), 0u) << line;
  EXPECT_EQ(line.size(), std::string("CLIENT_RANDOM ").size() + 64 + 1 + 96) << line;  // no '\n'
  EXPECT_TRUE(tls12->server_observer.keylog.empty());  // its hook is off

  PinVersion(kTls13);
  auto tls13 = MakePair(kHookKeyLog, kHookKeyLog);
  ASSERT_TRUE(Handshake(tls13.get()));
  for (const auto* observer : {&tls13->client_observer, &tls13->server_observer}) {
    for (const char* label :
         {"CLIENT_HANDSHAKE_TRAFFIC_SECRET ", "SERVER_HANDSHAKE_TRAFFIC_SECRET ",
          "CLIENT_TRAFFIC_SECRET_0 ", "SERVER_TRAFFIC_SECRET_0 "}) {
      EXPECT_EQ(std::count_if(observer->keylog.begin(), observer->keylog.end(),
                              [&](const std::string& l) { return l.rfind(label, 0) == 0; }),
                1)
          << label;
    }
  }

  auto cleared = MakePair(kHookKeyLog, 0);
  cleared->client->EnableHooks(0);  // the program cleared its callback
  ASSERT_TRUE(Handshake(cleared.get()));
  EXPECT_TRUE(cleared->client_observer.keylog.empty());
}

TEST_F(BoringSslHooksTest, MessageCallbackSeesHandshakeMessagesAndRecordHeaders) {
  PinVersion(kTls13);
  auto pair = MakePair(kHookMessage, 0);
  ASSERT_TRUE(Handshake(pair.get()));
  const std::vector<Message>& messages = pair->client_observer.messages;
  auto find = [&](int write_p, int type, int first_byte) {
    return std::find_if(messages.begin(), messages.end(), [&](const Message& m) {
      return m.write_p == write_p && m.content_type == type && !m.bytes.empty() &&
             (first_byte < 0 || m.bytes[0] == first_byte);
    });
  };
  auto client_hello = find(1, kRtHandshake, 1);
  ASSERT_NE(client_hello, messages.end());
  auto server_hello = find(0, kRtHandshake, 2);
  ASSERT_NE(server_hello, messages.end());
  // SSL_version when the message came: BoringSSL has not switched to TLS 1.3 yet while it reads
  // the ServerHello; the messages after it carry 0x0304.
  EXPECT_GE(server_hello->version, kTls12);
  auto server_finished = find(0, kRtHandshake, 20);
  ASSERT_NE(server_finished, messages.end());
  EXPECT_EQ(server_finished->version, kTls13);
  for (int write_p : {0, 1}) {
    auto header = find(write_p, kRtHeader, -1);
    ASSERT_NE(header, messages.end());
    EXPECT_EQ(header->version, 0);  // as OpenSSL: no version for record headers
    EXPECT_EQ(header->bytes.size(), 5u);
  }
  EXPECT_TRUE(std::none_of(messages.begin(), messages.end(),
                           [](const Message& m) { return m.content_type == 0x101; }));
  EXPECT_TRUE(pair->server_observer.messages.empty());
}

TEST_F(BoringSslHooksTest, ClientCaNamesGoIntoTheCertificateRequest) {
  PinVersion(kTls12);
  // Name ::= SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 (CN), UTF8String "sslshim-ca-name" } } }
  const std::string cn = "sslshim-ca-name";
  std::vector<uint8_t> atv = {0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, static_cast<uint8_t>(cn.size())};
  atv.insert(atv.end(), cn.begin(), cn.end());
  std::vector<uint8_t> name = {0x30, static_cast<uint8_t>(atv.size() + 4),
                               0x31, static_cast<uint8_t>(atv.size() + 2),
                               0x30, static_cast<uint8_t>(atv.size())};
  name.insert(name.end(), atv.begin(), atv.end());
  ASSERT_TRUE(server_ctx_->SetClientCaNames({name}));
  server_ctx_->SetVerify(kVerifyPeer);
  auto pair = MakePair(kHookMessage, 0);
  ASSERT_TRUE(Handshake(pair.get()));  // the client has no certificate; the server lets it be
  const std::vector<Message>& messages = pair->client_observer.messages;
  auto request = std::find_if(messages.begin(), messages.end(), [](const Message& m) {
    return m.write_p == 0 && m.content_type == kRtHandshake && !m.bytes.empty() && m.bytes[0] == 13;
  });
  ASSERT_NE(request, messages.end());
  EXPECT_NE(std::search(request->bytes.begin(), request->bytes.end(), name.begin(), name.end()),
            request->bytes.end());

  EXPECT_FALSE(server_ctx_->SetClientCaNames({{0x30, 0x05, 0x01}}));
  std::vector<ErrorRecord> errors;
  server_ctx_->TakeErrors(&errors);
  EXPECT_FALSE(errors.empty());
}

// --- Cipher suites ------------------------------------------------------------------------------

TEST_F(BoringSslHooksTest, CipherInfoOfATls12AeadSuiteIsOpenSsls) {
  PinVersion(kTls12);
  auto pair = MakePair(0, 0);
  CipherInfo info;
  EXPECT_FALSE(pair->client->CurrentCipher(&info));  // before the handshake
  ASSERT_TRUE(pair->client->SetCipherList("ECDHE-ECDSA-AES128-GCM-SHA256"));
  std::vector<CipherInfo> offered = pair->client->Ciphers();
  ASSERT_EQ(offered.size(), 4u);  // the three TLS 1.3 suites first, as OpenSSL lists them
  EXPECT_EQ(offered[0].version, "TLSv1.3");
  EXPECT_EQ(offered[3].name, "ECDHE-ECDSA-AES128-GCM-SHA256");
  ASSERT_TRUE(Handshake(pair.get()));
  ASSERT_TRUE(pair->client->CurrentCipher(&info));
  EXPECT_EQ(info.name, "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(info.standard_name, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(info.id, 0x0300C02Bu);
  EXPECT_EQ(info.bits, 128);
  EXPECT_EQ(info.alg_bits, 128);
  EXPECT_EQ(info.version, "TLSv1.2");
  EXPECT_EQ(info.kx_sn, "KxECDHE");
  EXPECT_EQ(info.auth_sn, "AuthECDSA");
  EXPECT_EQ(info.cipher_sn, "id-aes128-GCM");  // OpenSSL's OBJ_nid2sn(NID_aes_128_gcm)
  EXPECT_EQ(info.digest_sn, "");               // AEAD: NID_undef, as OpenSSL
  EXPECT_TRUE(info.is_aead);
}

TEST_F(BoringSslHooksTest, CipherInfoOfACbcSuiteAndOfTls13) {
  PinVersion(kTls12);
  auto cbc = MakePair(0, 0);
  ASSERT_TRUE(cbc->client->SetCipherList("ECDHE-ECDSA-AES128-SHA"));
  ASSERT_TRUE(Handshake(cbc.get()));
  CipherInfo info;
  ASSERT_TRUE(cbc->client->CurrentCipher(&info));
  EXPECT_EQ(info.id, 0x0300C009u);
  EXPECT_EQ(info.version, "TLSv1.0");  // OpenSSL's minimum version for the ECDHE CBC suites
  EXPECT_EQ(info.cipher_sn, "AES-128-CBC");
  EXPECT_EQ(info.digest_sn, "SHA1");
  EXPECT_FALSE(info.is_aead);

  PinVersion(kTls13);
  auto tls13 = MakePair(0, 0);
  ASSERT_TRUE(Handshake(tls13.get()));
  ASSERT_TRUE(tls13->server->CurrentCipher(&info));
  EXPECT_TRUE(info.id == 0x03001301u || info.id == 0x03001302u || info.id == 0x03001303u)
      << info.id;
  EXPECT_EQ(info.name, info.standard_name);  // OpenSSL names TLS 1.3 suites by their IETF names
  EXPECT_EQ(info.version, "TLSv1.3");
  EXPECT_EQ(info.kx_sn, "KxANY");
  EXPECT_EQ(info.auth_sn, "AuthANY");
  EXPECT_EQ(info.digest_sn, "");
  EXPECT_TRUE(info.is_aead);
}

// --- Per-connection settings and state ----------------------------------------------------------

TEST_F(BoringSslHooksTest, PerConnectionCertificateOptionsAndState) {
  auto pair = MakePair(0, 0);
  EXPECT_STRNE(pair->client->StateString(true), "SSL negotiation finished successfully");
  ASSERT_TRUE(pair->server->UseCertificateChain({Credentials().second_cert_der}));
  ASSERT_TRUE(pair->server->UsePrivateKey(Credentials().second_key_der));
  pair->server->SetOptions(kOpNoTls13);
  ASSERT_TRUE(Handshake(pair.get()));
  EXPECT_EQ(pair->client->PeerCertificateDer(), Credentials().second_cert_der);
  EXPECT_EQ(pair->client->VersionNumber(), kTls12);
  EXPECT_STREQ(pair->client->StateString(true), "SSL negotiation finished successfully");
  EXPECT_NE(pair->client->StateString(false), nullptr);

  // Quiet shutdown: reported done, nothing sent.
  pair->client->SetQuietShutdown(true);
  size_t before = pair->client_to_server.bytes.size();
  EXPECT_EQ(pair->client->Shutdown().ret, 1);
  EXPECT_EQ(pair->client_to_server.bytes.size(), before);

  EXPECT_FALSE(pair->server->UsePrivateKey({1, 2, 3}));
  EXPECT_FALSE(pair->server->UseCertificateChain({}));
  std::vector<ErrorRecord> errors;
  pair->server->TakeErrors(&errors);
  EXPECT_GE(errors.size(), 2u);
}

}  // namespace
}  // namespace sslshim
