// TLS 1.3 early data on the BoringSSL backend, through the Backend interface as the core drives
// it: OpenSSL 3's SSL_read_early_data / SSL_write_early_data semantics (FINISH at EndOfEarlyData,
// never 1-RTT data as early data, half-RTT writes, rejection as OpenSSL reports it), the session's
// early-data limit, OpenSSL's anti-replay (single-use tickets), and SSL_sendfile's refusal
// without kernel TLS.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "boringssl/ticket_anti_replay.h"
#include "boringssl_fake_program_bio.h"
#include "boringssl_test_support.h"
#include "gtest/gtest.h"

namespace sslshim {
namespace {

using testing_support::ByteQueue;
using testing_support::FakeBio;
using testing_support::FakeBioOps;
using testing_support::IsWant;

// OpenSSL 3's numbers, as the program sees them.
constexpr int kErrorSsl = 1;
constexpr int kLibSsl = 20;
constexpr int kReasonUninitialized = 276;  // SSL_R_UNINITIALIZED
constexpr int kTls13 = 0x0304;
constexpr long kSessCacheClient = 1;                     // SSL_SESS_CACHE_CLIENT
constexpr long kSessCacheOff = 0;                        // SSL_SESS_CACHE_OFF
constexpr uint64_t kOpNoAntiReplay = uint64_t{1} << 24;  // SSL_OP_NO_ANTI_REPLAY

class BoringSslEarlyDataTest : public testing_support::BoringSslConnPairTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(MakeContexts(false, FakeBioOps()));
    for (BackendCtx* ctx : {client_ctx_.get(), server_ctx_.get()}) {
      ASSERT_TRUE(ctx->SetMinVersion(kTls13));
      ASSERT_TRUE(ctx->SetMaxVersion(kTls13));
    }
    client_ctx_->SetSessionCacheMode(kSessCacheClient);
    EXPECT_EQ(server_ctx_->MaxEarlyData(), 0u);  // OpenSSL's defaults
    EXPECT_EQ(server_ctx_->RecvMaxEarlyData(), 16384u);
    ASSERT_TRUE(server_ctx_->SetMaxEarlyData(16384));
    EXPECT_EQ(server_ctx_->MaxEarlyData(), 16384u);
    session_ = TakeTicket();
    ASSERT_NE(session_, nullptr);
  }

  // A fresh client/server pair over fresh queues.
  void Connect() {
    client_to_server_.bytes.clear();
    server_to_client_.bytes.clear();
    client_bio_ = FakeBio{&server_to_client_, &client_to_server_};
    server_bio_ = FakeBio{&client_to_server_, &server_to_client_};
    NewConns(&observer_, &observer_, &client_bio_, &server_bio_);
  }

  std::string ReadSome(BackendConn* conn) {
    char buf[256];
    IoResult r = conn->Read(buf, sizeof buf, false);
    return r.ret > 0 ? std::string(buf, r.ret) : std::string();
  }

  // A full handshake; the client reads the server's tickets and keeps the latest session.
  std::unique_ptr<BackendSession> TakeTicket() {
    Connect();
    if (!Handshake()) return nullptr;
    if (server_->Write("t", 1).ret != 1 || ReadSome(client_.get()) != "t") return nullptr;
    return client_->Get1Session();
  }

  // One use of `session` for early data on a fresh pair: whether the server accepted the early
  // data (read up to FINISH); `*resumed` says whether the handshake resumed at all.
  bool UseForEarlyData(BackendSession* session, bool* resumed) {
    Connect();
    *resumed = false;
    if (!client_->SetSession(session) || client_->WriteEarlyData("early", 5).ret != 5) {
      ADD_FAILURE() << "the client could not send early data";
      return false;
    }
    char buf[256];
    std::string early;
    int status = kReadEarlyDataError;
    for (int i = 0; i < 20 && status != kReadEarlyDataFinish; i++) {
      IoResult r = server_->ReadEarlyData(buf, sizeof buf, &status);
      if (status == kReadEarlyDataSuccess) early.append(buf, r.ret);
      if (status == kReadEarlyDataError) {
        if (!IsWant(r)) break;
        client_->Handshake();
      }
    }
    EXPECT_EQ(status, kReadEarlyDataFinish);
    bool accepted = server_->EarlyDataStatus() == kEarlyDataAccepted;
    EXPECT_EQ(early, accepted ? "early" : "");
    EXPECT_TRUE(Handshake());
    *resumed = server_->SessionReused() && client_->SessionReused();
    return accepted;
  }

  ByteQueue client_to_server_, server_to_client_;
  FakeBio client_bio_, server_bio_;
  testing_support::QuietObserver observer_;
  std::unique_ptr<BackendSession> session_;
};

TEST_F(BoringSslEarlyDataTest, TicketCarriesBoringSslsFixedLimitAndItCanBeRewritten) {
  EXPECT_EQ(session_->MaxEarlyData(), 14336u);  // BoringSSL's kMaxEarlyDataAccepted
  std::unique_ptr<BackendSession> smaller = session_->WithMaxEarlyData(1000);
  ASSERT_NE(smaller, nullptr);
  EXPECT_EQ(smaller->MaxEarlyData(), 1000u);
  EXPECT_EQ(smaller->Id(), session_->Id());
  std::unique_ptr<BackendSession> none = session_->WithMaxEarlyData(0);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->MaxEarlyData(), 0u);

  // A session without early data: SSL_write_early_data is refused, as OpenSSL refuses it.
  Connect();
  ASSERT_TRUE(client_->SetSession(none.get()));
  IoResult r = client_->WriteEarlyData("x", 1);
  EXPECT_LE(r.ret, 0);
  EXPECT_EQ(r.ssl_error, kErrorSsl);
  std::vector<ErrorRecord> errors;
  client_->TakeErrors(&errors);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].lib, kLibSsl);
}

// Early data, then EndOfEarlyData, the client's Finished and 1-RTT data all waiting in one burst:
// SSL_read_early_data must stop at FINISH, and the 1-RTT bytes come from a plain read after it.
TEST_F(BoringSslEarlyDataTest, AcceptedEarlyDataEndsWithFinishBeforeOneRttData) {
  Connect();
  ASSERT_TRUE(client_->SetSession(session_.get()));
  IoResult w = client_->WriteEarlyData("early", 5);
  ASSERT_EQ(w.ret, 5);

  char buf[256];
  int status = -1;
  IoResult r = server_->ReadEarlyData(buf, sizeof buf, &status);
  ASSERT_EQ(status, kReadEarlyDataSuccess);
  ASSERT_EQ(std::string(buf, r.ret), "early");
  EXPECT_EQ(server_->EarlyDataStatus(), kEarlyDataAccepted);
  EXPECT_TRUE(server_->InEarlyData());
  EXPECT_FALSE(server_->IsInitFinished());
  ASSERT_EQ(server_->WriteEarlyData("half", 4).ret, 4);  // half-RTT

  IoResult h;
  for (int i = 0; i < 10 && h.ret != 1; i++) h = client_->Handshake();
  ASSERT_EQ(h.ret, 1);
  ASSERT_EQ(client_->Write("late", 4).ret, 4);
  EXPECT_EQ(client_->EarlyDataStatus(), kEarlyDataAccepted);

  r = server_->ReadEarlyData(buf, sizeof buf, &status);
  EXPECT_EQ(status, kReadEarlyDataFinish) << "read " << r.ret << " bytes as early data";
  EXPECT_EQ(r.ret, 0);
  EXPECT_FALSE(server_->InEarlyData());
  r = server_->ReadEarlyData(buf, sizeof buf, &status);  // after FINISH: an error, as in OpenSSL
  EXPECT_EQ(status, kReadEarlyDataError);
  std::vector<ErrorRecord> errors;
  server_->TakeErrors(&errors);

  EXPECT_EQ(ReadSome(server_.get()), "late");
  EXPECT_TRUE(server_->IsInitFinished());
  EXPECT_EQ(ReadSome(client_.get()), "half");
  EXPECT_TRUE(server_->SessionReused());
}

// A HelloRetryRequest (the server takes only P-256, the client's first key share is X25519)
// rejects early data, but is not the server's flight: as OpenSSL's, SSL_read_early_data says
// FINISH only once the ServerHello answering the second ClientHello is out, not before.
TEST_F(BoringSslEarlyDataTest, AfterAHelloRetryRequestFinishWaitsForTheServerHello) {
  ASSERT_TRUE(server_ctx_->SetGroups("P-256"));
  Connect();
  ASSERT_TRUE(client_->SetSession(session_.get()));
  ASSERT_EQ(client_->WriteEarlyData("early", 5).ret, 5);
  char buf[64];
  int status = -1;
  IoResult r = server_->ReadEarlyData(buf, sizeof buf, &status);
  EXPECT_EQ(status, kReadEarlyDataError) << "FINISH right after the HelloRetryRequest";
  EXPECT_TRUE(IsWant(r));
  IoResult h;
  for (int i = 0; i < 10 && status != kReadEarlyDataFinish; i++) {
    h = client_->Handshake();
    r = server_->ReadEarlyData(buf, sizeof buf, &status);
    ASSERT_NE(status, kReadEarlyDataSuccess) << "early data handed out after a HelloRetryRequest";
  }
  EXPECT_EQ(status, kReadEarlyDataFinish);
  for (int i = 0; i < 10 && !(h.ret == 1 && server_->IsInitFinished()); i++) {
    h = client_->Handshake();
    server_->Handshake();
  }
  EXPECT_EQ(h.ret, 1);
  EXPECT_EQ(server_->EarlyDataStatus(), kEarlyDataRejected);
  EXPECT_EQ(client_->EarlyDataStatus(), kEarlyDataRejected);
}

// A server limit of 0: the client's early data is rejected; OpenSSL's server says FINISH without
// handing any of it out, both sides say REJECTED, and the client's handshake simply goes on.
TEST_F(BoringSslEarlyDataTest, RejectedEarlyDataIsNeverHandedOut) {
  Connect();
  ASSERT_TRUE(server_->SetMaxEarlyData(0));
  ASSERT_TRUE(client_->SetSession(session_.get()));
  ASSERT_EQ(client_->WriteEarlyData("early", 5).ret, 5);
  char buf[256];
  int status = kReadEarlyDataError;
  for (int i = 0; i < 10 && status == kReadEarlyDataError; i++) {
    IoResult r = server_->ReadEarlyData(buf, sizeof buf, &status);
    if (status == kReadEarlyDataError) {
      ASSERT_TRUE(IsWant(r)) << r.ssl_error;
      client_->Handshake();
    }
  }
  ASSERT_EQ(status, kReadEarlyDataFinish);
  EXPECT_EQ(server_->EarlyDataStatus(), kEarlyDataRejected);
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(client_->EarlyDataStatus(), kEarlyDataRejected);
  ASSERT_EQ(client_->Write("again", 5).ret, 5);
  EXPECT_EQ(ReadSome(server_.get()), "again");
}

// A server that runs a plain handshake does not accept early data (OpenSSL accepts it only in
// SSL_read_early_data), yet still says the client offered it.
TEST_F(BoringSslEarlyDataTest, PlainHandshakeRejectsEarlyData) {
  Connect();
  ASSERT_TRUE(client_->SetSession(session_.get()));
  ASSERT_EQ(client_->WriteEarlyData("early", 5).ret, 5);
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(server_->EarlyDataStatus(), kEarlyDataRejected);
  EXPECT_EQ(client_->EarlyDataStatus(), kEarlyDataRejected);
  EXPECT_TRUE(server_->SessionReused());
}

// OpenSSL's anti-replay: with early data allowed and SSL_OP_NO_ANTI_REPLAY off, a ticket is
// single-use; its second use is a full handshake (no resumption, no early data), as OpenSSL's
// stateful ticket is no longer in the cache then.
TEST_F(BoringSslEarlyDataTest, ReplayedTicketGetsAFullHandshake) {
  bool resumed = false;
  EXPECT_TRUE(UseForEarlyData(session_.get(), &resumed));
  EXPECT_TRUE(resumed);
  EXPECT_FALSE(UseForEarlyData(session_.get(), &resumed));
  EXPECT_FALSE(resumed);
  EXPECT_EQ(server_->EarlyDataStatus(), kEarlyDataRejected);
  // The full handshake issued new tickets; one of them resumes with early data once.
  ASSERT_EQ(server_->Write("t", 1).ret, 1);
  ASSERT_EQ(ReadSome(client_.get()), "t");
  std::unique_ptr<BackendSession> fresh = client_->Get1Session();
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(UseForEarlyData(fresh.get(), &resumed));
  EXPECT_TRUE(resumed);
}

// With SSL_OP_NO_ANTI_REPLAY, OpenSSL's tickets are stateless: a ticket resumes, with early data,
// every time it is used.
TEST_F(BoringSslEarlyDataTest, NoAntiReplayTicketsResumeWithEarlyDataAgain) {
  server_ctx_->SetOptions(kOpNoAntiReplay);
  std::unique_ptr<BackendSession> reusable = TakeTicket();
  ASSERT_NE(reusable, nullptr);
  for (int use = 0; use < 3; use++) {
    bool resumed = false;
    EXPECT_TRUE(UseForEarlyData(reusable.get(), &resumed)) << "use " << use;
    EXPECT_TRUE(resumed) << "use " << use;
  }
  // A ticket of the other kind is not taken (OpenSSL decrypts the one, looks the other up): the
  // single-use ticket from SetUp gets a full handshake here, and a reusable ticket at a
  // connection with anti-replay too.
  bool resumed = true;
  EXPECT_FALSE(UseForEarlyData(session_.get(), &resumed));
  EXPECT_FALSE(resumed);
  server_ctx_->SetOptions(0);
  EXPECT_FALSE(UseForEarlyData(reusable.get(), &resumed));
  EXPECT_FALSE(resumed);
}

// Without early data on the server (max_early_data 0), tickets are reusable, as OpenSSL's
// stateless ones.
TEST_F(BoringSslEarlyDataTest, TicketsWithoutEarlyDataResumeAgain) {
  ASSERT_TRUE(server_ctx_->SetMaxEarlyData(0));
  std::unique_ptr<BackendSession> plain = TakeTicket();
  ASSERT_NE(plain, nullptr);
  for (int use = 0; use < 2; use++) {
    Connect();
    ASSERT_TRUE(client_->SetSession(plain.get()));
    ASSERT_TRUE(Handshake());
    EXPECT_TRUE(server_->SessionReused()) << "use " << use;
  }
}

// OpenSSL keeps a stateful ticket's session only when its cache mode has SSL_SESS_CACHE_SERVER:
// with the cache off, such a ticket never resumes.
TEST_F(BoringSslEarlyDataTest, SingleUseTicketsNeedTheServerCache) {
  server_ctx_->SetSessionCacheMode(kSessCacheOff);
  std::unique_ptr<BackendSession> uncached = TakeTicket();
  ASSERT_NE(uncached, nullptr);
  bool resumed = true;
  EXPECT_FALSE(UseForEarlyData(uncached.get(), &resumed));
  EXPECT_FALSE(resumed);
}

using boringssl::IssuedTicketSet;
using boringssl::TicketId;

TicketId IdOf(uint8_t n) {
  TicketId id{};
  id[0] = n;
  return id;
}

TEST(IssuedTicketSetTest, EachTicketIsTakenOnce) {
  IssuedTicketSet set;
  set.Add(IdOf(1), std::chrono::seconds(60), 10);
  set.Add(IdOf(2), std::chrono::seconds(60), 10);
  EXPECT_FALSE(set.Take(IdOf(3)));  // never issued
  EXPECT_TRUE(set.Take(IdOf(1)));
  EXPECT_FALSE(set.Take(IdOf(1)));  // the replay
  EXPECT_TRUE(set.Take(IdOf(2)));
  EXPECT_EQ(set.size(), 0u);
}

// When full, the oldest ticket is dropped (as OpenSSL's cache drops its oldest session): that
// ticket then fails (a full handshake), it is never accepted twice.
TEST(IssuedTicketSetTest, FullSetDropsTheOldest) {
  IssuedTicketSet set;
  for (uint8_t n = 0; n < 5; n++) set.Add(IdOf(n), std::chrono::seconds(60), 3);
  EXPECT_EQ(set.size(), 3u);
  EXPECT_FALSE(set.Take(IdOf(0)));
  EXPECT_FALSE(set.Take(IdOf(1)));
  EXPECT_TRUE(set.Take(IdOf(2)));
  EXPECT_TRUE(set.Take(IdOf(4)));
  EXPECT_TRUE(set.Take(IdOf(3)));
}

// An entry lives as long as its ticket: afterwards it is gone (and dropped when the set is used).
TEST(IssuedTicketSetTest, ExpiredTicketsAreNotTaken) {
  IssuedTicketSet set;
  IssuedTicketSet::Clock::time_point start = IssuedTicketSet::Clock::now();
  set.Add(IdOf(1), std::chrono::seconds(10), 0, start);
  set.Add(IdOf(2), std::chrono::seconds(100), 0, start);
  EXPECT_FALSE(set.Take(IdOf(1), start + std::chrono::seconds(10)));
  EXPECT_TRUE(set.Take(IdOf(2), start + std::chrono::seconds(99)));
  set.Add(IdOf(3), std::chrono::seconds(10), 0, start);
  set.Add(IdOf(4), std::chrono::seconds(10), 0, start + std::chrono::seconds(20));
  EXPECT_EQ(set.size(), 1u);  // 3 had expired when 4 came
}

TEST_F(BoringSslEarlyDataTest, SendFileFailsAsOpenSslDoesWithoutKernelTls) {
  Connect();
  ASSERT_TRUE(Handshake());
  IoResult r = server_->SendFile(0, 0, 1, 0);
  EXPECT_EQ(r.ret, -1);
  EXPECT_EQ(r.ssl_error, kErrorSsl);
  std::vector<ErrorRecord> errors;
  server_->TakeErrors(&errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].lib, kLibSsl);
  EXPECT_EQ(errors[0].reason, kReasonUninitialized);
}

}  // namespace
}  // namespace sslshim
