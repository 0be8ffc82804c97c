// The semantics layer and the handle table on their own, over a scriptable backend.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <vector>

#include "core/bio_binding.h"
#include "core/fail_closed.h"
#include "core/handle_table.h"
#include "core/io.h"
#include "core/objects.h"
#include "fake_backend.h"

namespace sslshim {

namespace testing {
namespace {
FakeBackend* g_backend = nullptr;
}
FakeBackend* TheFakeBackend() { return g_backend; }
}  // namespace testing

std::unique_ptr<Backend> MakeBoringSslBackend(std::string*) {
  auto backend = std::make_unique<testing::FakeBackend>();
  testing::g_backend = backend.get();
  return backend;
}
std::unique_ptr<Backend> MakeOpenSslBackend(std::string* why) {
  *why = "not in the core tests";
  return nullptr;
}

namespace {

using testing::FakeConn;

constexpr int kWantWrite = SSL_ERROR_WANT_WRITE;

class CoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ERR_clear_error();
    method_.spec = {Endpoint::kClient, 0, 0};
    method_.handle = NewHandle(HandleKind::kMethod, &method_);
    ctx_ = NewCtx(&method_);
    ASSERT_NE(ctx_, nullptr);
    ssl_ = NewSsl(ctx_);
    ASSERT_NE(ssl_, nullptr);
    conn_ = testing::TheFakeBackend()->last_ctx->last_conn;
    EXPECT_EQ(ssl_->role, Ssl::Role::kUnset) << "no role before SSL_set_connect_state (W06)";
    ssl_->role = Ssl::Role::kClient;
    BIO* bio = BIO_new(BIO_s_mem());
    SetBio(ssl_, bio, bio);
  }
  void TearDown() override {
    FreeSsl(ssl_);
    CtxRelease(ctx_);
    FreeHandle(method_.handle);
    ERR_clear_error();
  }

  // The last error's reason, and the queue emptied.
  static int TakeReason() {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    return ERR_GET_LIB(e) == ERR_LIB_SSL ? ERR_GET_REASON(e) : -1;
  }

  Method method_;
  Ctx* ctx_ = nullptr;
  Ssl* ssl_ = nullptr;
  FakeConn* conn_ = nullptr;
  char buf_[64] = {};
  char other_[64] = {};
};

TEST_F(CoreTest, HandlesResolveByKindAndFreedOnesAreCaught) {
  auto live = Resolve<Ssl>(ssl_->handle(), HandleKind::kSsl);
  EXPECT_EQ(live.state, HandleState::kLive);
  EXPECT_EQ(live.object, ssl_);
  EXPECT_EQ((Resolve<Ctx>(ssl_->handle(), HandleKind::kCtx).state), HandleState::kInvalid);
  HandleSlot elsewhere;  // same shape, but not in the shim's region
  elsewhere.kind = HandleKind::kSsl;
  EXPECT_EQ((Resolve<Ssl>(&elsewhere, HandleKind::kSsl).state), HandleState::kForeign);
  int local = 0;
  EXPECT_EQ((Resolve<Ssl>(nullptr, HandleKind::kSsl).state), HandleState::kForeign);
  void* handle = NewHandle(HandleKind::kSsl, &local);
  FreeHandle(handle);
  EXPECT_EQ((Resolve<Ssl>(handle, HandleKind::kSsl).state), HandleState::kInvalid);
  EXPECT_EQ((Resolve<Ssl>(static_cast<char*>(ssl_->handle()) + 1, HandleKind::kSsl).state),
            HandleState::kInvalid);
}

// core/fail_closed.h: a backend that cannot apply a setting OpenSSL would makes the connection
// refuse every data call, before the backend sees it; a plain failure (OpenSSL fails it too)
// does not.
TEST_F(CoreTest, ASettingTheBackendCannotApplyMarksTheConnectionAndItRefusesIo) {
  ErrorRecord plain{ERR_LIB_SSL, SSL_R_NO_CIPHER_MATCH, "", "rejected by OpenSSL too"};
  conn_->pending_errors.push_back(plain);
  EXPECT_EQ(FinishConnCall(ssl_, false, 0, "SSL_set_ciphersuites"), 0);
  ERR_clear_error();
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), 5);

  ErrorRecord cannot = plain;
  cannot.backend_cannot_apply = true;
  conn_->pending_errors.push_back(cannot);
  EXPECT_EQ(FinishConnCall(ssl_, false, 0, "SSL_set_ciphersuites"), 0);
  ERR_clear_error();
  const size_t writes = conn_->writes.size();
  EXPECT_EQ(Handshake(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_SSL_HANDSHAKE_FAILURE);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  ERR_clear_error();
  char in[8];
  EXPECT_EQ(ReadBytes(ssl_, in, sizeof in, false), -1);
  ERR_clear_error();
  EXPECT_EQ(conn_->writes.size(), writes) << "nothing reached the backend";
}

TEST_F(CoreTest, AContextsMarkPassesToConnectionsMadeAfterIt) {
  MarkUnappliedSetting(ctx_, "SSL_CTX_enable_ct", "certificate transparency validation");
  Ssl* later = NewSsl(ctx_);
  ASSERT_NE(later, nullptr);
  EXPECT_FALSE(later->unapplied_setting.empty());
  EXPECT_TRUE(ssl_->unapplied_setting.empty()) << "a connection made before keeps its settings";
  FreeSsl(later);
}

TEST_F(CoreTest, SuccessfulWriteReturnsNumAndSslErrorNone) {
  EXPECT_EQ(WriteBytes(ssl_, buf_, 10), 10);
  EXPECT_EQ(GetError(ssl_, 10), SSL_ERROR_NONE);
  ASSERT_EQ(conn_->writes.size(), 1u);
  EXPECT_EQ(conn_->writes[0].num, 10);
}

TEST_F(CoreTest, NegativeLengthIsBadLengthAndNeverReachesTheBackend) {
  EXPECT_EQ(WriteBytes(ssl_, buf_, -1), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_BAD_LENGTH);
  EXPECT_TRUE(conn_->writes.empty());
}

TEST_F(CoreTest, NullBufferWithPositiveLengthIsRefused) {
  EXPECT_EQ(WriteBytes(ssl_, nullptr, 5), -1);
  EXPECT_EQ(TakeReason(), ERR_R_PASSED_NULL_PARAMETER);
  EXPECT_TRUE(conn_->writes.empty());
}

TEST_F(CoreTest, NeitherConnectNorAcceptStateIsUninitialized) {
  ssl_->role = Ssl::Role::kUnset;
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(TakeReason(), SSL_R_UNINITIALIZED);
  EXPECT_TRUE(conn_->writes.empty());
}

TEST_F(CoreTest, NoBioIsBioNotSet) {
  Set0Rbio(ssl_, nullptr);
  Set0Wbio(ssl_, nullptr);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_BIO_NOT_SET);
}

TEST_F(CoreTest, WriteAfterOwnShutdownIsProtocolIsShutdown) {
  Shutdown(ssl_);
  ASSERT_TRUE(ssl_->connection.sent_shutdown);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(TakeReason(), SSL_R_PROTOCOL_IS_SHUTDOWN);
  EXPECT_TRUE(conn_->writes.empty());
}

TEST_F(CoreTest, WriteAfterAFatalErrorIsRefusedWithAReason) {
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_PROTOCOL_IS_SHUTDOWN);
  EXPECT_EQ(conn_->writes.size(), 1u);
}

TEST_F(CoreTest, WriteAfterATransportFailureTriesTheTransportAgain) {
  // OpenSSL 3: EPIPE does not end the connection; the same write is pending and meets the
  // transport again (the differential engine's first finding).
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SYSCALL);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(conn_->writes.size(), 2u);
  EXPECT_EQ(WriteBytes(ssl_, other_, 5), -1) << "still the pending write: W17 applies";
  EXPECT_EQ(TakeReason(), SSL_R_BAD_WRITE_RETRY);
}

TEST_F(CoreTest, RetryWithAnotherBufferIsBadWriteRetryAndTheRightRetryStillCompletes) {
  conn_->write_results.push_back({-1, kWantWrite, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_WANT_WRITE);
  EXPECT_EQ(WriteBytes(ssl_, other_, 20), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_BAD_WRITE_RETRY);
  EXPECT_EQ(conn_->writes.size(), 1u) << "a refused retry must not reach the backend";
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), 20);
  EXPECT_EQ(conn_->writes.size(), 2u);
}

TEST_F(CoreTest, RetryWithFewerBytesIsBadWriteRetryButMoreIsAllowed) {
  conn_->write_results.push_back({-1, kWantWrite, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 19), -1);
  EXPECT_EQ(TakeReason(), SSL_R_BAD_WRITE_RETRY);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 30), 30);
}

TEST_F(CoreTest, MovingWriteBufferModeAcceptsAMovedBuffer) {
  ssl_->mode |= SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
  conn_->write_results.push_back({-1, kWantWrite, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  EXPECT_EQ(WriteBytes(ssl_, other_, 20), 20);
}

TEST_F(CoreTest, AWriteStoppedInsideTheHandshakeMayBeRetriedWithOtherArguments) {
  conn_->init_finished = false;
  conn_->write_results.push_back({-1, SSL_ERROR_WANT_READ, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  conn_->init_finished = true;
  EXPECT_EQ(WriteBytes(ssl_, other_, 5), 5);
}

TEST_F(CoreTest, ZeroLengthWriteReturnsZeroWithSyscallAndAnEmptyQueue) {
  conn_->write_results.push_back({0, SSL_ERROR_SYSCALL, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 0), 0);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_SYSCALL);
  EXPECT_FALSE(ssl_->connection.failure.ended()) << "a zero-length write is not a fatal error";
}

TEST_F(CoreTest, ZeroLengthWriteAfterThePeersCloseNotifyIsZeroReturn) {
  conn_->shutdown = SSL_RECEIVED_SHUTDOWN;
  conn_->write_results.push_back({0, SSL_ERROR_SYSCALL, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 0), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_ZERO_RETURN);
}

TEST_F(CoreTest, ShutdownBeforeTheHandshakeIsRefusedAndSendsNothing) {
  conn_->init_finished = false;
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_SHUTDOWN_WHILE_IN_INIT);
  EXPECT_FALSE(ssl_->connection.sent_shutdown);
}

TEST_F(CoreTest, ZeroLengthWriteBeforeTheHandshakeRunsIt) {
  conn_->init_finished = false;
  conn_->handshake_results.push_back({-1, SSL_ERROR_WANT_READ, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 0), -1) << "the handshake waits: so does the write";
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_WANT_READ);
  EXPECT_EQ(WriteBytes(ssl_, buf_, 0), 0) << "the handshake is done: the empty write's answer";
  EXPECT_EQ(conn_->handshake_calls, 2);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_SYSCALL);
  size_t written = 99;
  EXPECT_EQ(WriteEx(ssl_, buf_, 0, &written), 1) << "SSL_write_ex of nothing succeeds";
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(GetError(ssl_, 1), SSL_ERROR_NONE);
}

TEST_F(CoreTest, BackendErrorsReachTheProgramsQueueInOrder) {
  conn_->write_results.push_back({-1, SSL_ERROR_SSL, 0});
  conn_->pending_errors.push_back({ERR_LIB_SSL, SSL_R_BAD_RECORD_TYPE, "", ""});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_BAD_RECORD_TYPE);
}

TEST_F(CoreTest, SetBioKeepsOpenSslsReferenceCounts) {
  BIO* a = BIO_new(BIO_s_mem());
  BIO* b = BIO_new(BIO_s_mem());
  SetBio(ssl_, a, b);
  EXPECT_EQ(conn_->rbio(), a);
  EXPECT_EQ(conn_->wbio(), b);
  // The caller's references now belong to the SSL: one more reference each must survive a free.
  BIO_up_ref(a);
  BIO_up_ref(b);
  SetBio(ssl_, nullptr, nullptr);
  // Only our extra references remain: freeing them destroys the BIOs (ASan would see a leak or
  // a double free otherwise).
  BIO_free(a);
  BIO_free(b);
  EXPECT_EQ(conn_->rbio(), nullptr);
}

TEST_F(CoreTest, ModeAndOptionDefaultsAreOpenSsl3s) {
  EXPECT_EQ(ctx_->mode, SSL_MODE_AUTO_RETRY);
  EXPECT_EQ(ssl_->mode, SSL_MODE_AUTO_RETRY);
  EXPECT_EQ(conn_->mode, SSL_MODE_AUTO_RETRY);
  EXPECT_TRUE(ctx_->options & SSL_OP_NO_COMPRESSION);
}

// The transport ends without close_notify; BoringSSL says SSL_ERROR_SYSCALL with errno 0.
constexpr IoResult kReadEof{0, SSL_ERROR_SYSCALL, 0};
constexpr IoResult kShutdownEof{-1, SSL_ERROR_SYSCALL, 0};

TEST_F(CoreTest, TransportEofIsUnexpectedEofWithoutTheOption) {
  ssl_->options &= ~SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->read_results.push_back(kReadEof);
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_UNEXPECTED_EOF_WHILE_READING);
  EXPECT_EQ(conn_->shutdown & SSL_RECEIVED_SHUTDOWN, 0);
}

// OpenSSL 3 with SSL_OP_IGNORE_UNEXPECTED_EOF (Python sets it on every context) treats the end as
// close_notify: SSL_get_shutdown says SSL_RECEIVED_SHUTDOWN, which Python checks before taking
// SSL_ERROR_ZERO_RETURN as a clean close.
TEST_F(CoreTest, TransportEofWithIgnoreUnexpectedEofIsAReceivedShutdown) {
  ssl_->options |= SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->read_results.push_back(kReadEof);
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_ZERO_RETURN);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(conn_->shutdown & SSL_RECEIVED_SHUTDOWN, SSL_RECEIVED_SHUTDOWN);
}

TEST_F(CoreTest, ShutdownWaitingForThePeerCompletesAtTransportEofWithIgnoreUnexpectedEof) {
  ssl_->options |= SSL_OP_IGNORE_UNEXPECTED_EOF;
  // The first call sends close_notify and answers 0 (which BoringSSL calls SSL_ERROR_SYSCALL).
  conn_->shutdown_results.push_back({0, SSL_ERROR_SYSCALL, 0});
  conn_->shutdown_results.push_back(kShutdownEof);
  EXPECT_EQ(Shutdown(ssl_), 0);
  EXPECT_EQ(Shutdown(ssl_), 1);
  EXPECT_EQ(GetError(ssl_, 1), SSL_ERROR_NONE);
  EXPECT_EQ(conn_->shutdown, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
}

TEST_F(CoreTest, ShutdownWaitingForThePeerFailsAtTransportEofWithoutTheOption) {
  ssl_->options &= ~SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->shutdown_results.push_back({0, SSL_ERROR_SYSCALL, 0});
  conn_->shutdown_results.push_back(kShutdownEof);
  EXPECT_EQ(Shutdown(ssl_), 0);
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_UNEXPECTED_EOF_WHILE_READING);
}

// OpenSSL 3 calls a read of nothing the end of the transport only when the BIO says so
// (BIO_eof); a program's BIO that never does gets SSL_ERROR_SYSCALL, errno 0, nothing queued,
// and the connection goes on. A BIO pair whose other half is still open is such a BIO.
TEST_F(CoreTest, NothingReadFromABioThatDoesNotReportItsEndIsSyscallAndNotFatal) {
  BIO* internal = nullptr;
  BIO* external = nullptr;
  ASSERT_EQ(BIO_new_bio_pair(&internal, 0, &external, 0), 1);
  SetBio(ssl_, internal, internal);
  ssl_->options &= ~SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->read_results.push_back(kReadEof);
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_SYSCALL);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_FALSE(ssl_->connection.failure.ended());
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), 5) << "the connection goes on";

  conn_->init_finished = false;  // inside the handshake: -1, and it may be tried again
  conn_->read_results.push_back(kReadEof);
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SYSCALL);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_FALSE(ssl_->connection.failure.ended());

  BIO_shutdown_wr(external);  // now the pair reports its end: OpenSSL's unexpected EOF
  conn_->init_finished = true;
  conn_->read_results.push_back(kReadEof);
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(TakeReason(), SSL_R_UNEXPECTED_EOF_WHILE_READING);
  SetBio(ssl_, nullptr, nullptr);
  BIO_free(external);
}

// After a fatal error OpenSSL 3's reads answer SSL_ERROR_SYSCALL with nothing queued; the shim
// repeats the error that ended the connection, without asking the backend.
TEST_F(CoreTest, AReadAfterAFatalErrorRepeatsItsReason) {
  ssl_->options &= ~SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->read_results.push_back(kReadEof);
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(TakeReason(), SSL_R_UNEXPECTED_EOF_WHILE_READING);
  conn_->read_results.push_back({5, 0, 0});  // what the backend would say: never asked
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, true), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SSL);
  EXPECT_EQ(TakeReason(), SSL_R_UNEXPECTED_EOF_WHILE_READING);

  conn_->write_results.push_back({-1, SSL_ERROR_SSL, 0});
  conn_->pending_errors.push_back({ERR_LIB_SSL, SSL_R_BAD_RECORD_TYPE, "", ""});
  ssl_->connection.failure.Clear();
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(TakeReason(), SSL_R_BAD_RECORD_TYPE);
  conn_->pending_errors.clear();
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), -1);
  EXPECT_EQ(TakeReason(), SSL_R_BAD_RECORD_TYPE);
}

// While a write is pending, close_notify can only queue behind it: OpenSSL 3's SSL_shutdown
// answers -1 and SSL_get_error says what it said about the write. BoringSSL says SSL_ERROR_SYSCALL
// with errno 0, which is no end of the transport.
TEST_F(CoreTest, ShutdownBehindAPendingWriteAnswersAsThatWrite) {
  ssl_->options &= ~SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->write_results.push_back({-1, kWantWrite, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  conn_->shutdown_results.push_back(kShutdownEof);
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_WANT_WRITE);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_TRUE(ssl_->connection.sent_shutdown);
  EXPECT_FALSE(ssl_->connection.failure.protocol());
}

TEST_F(CoreTest, ShutdownBehindAWriteThatMetAFailedTransportIsSyscall) {
  ssl_->options &= ~SSL_OP_IGNORE_UNEXPECTED_EOF;
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  conn_->shutdown_results.push_back(kShutdownEof);
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SYSCALL);
  EXPECT_EQ(ERR_peek_error(), 0u) << "no unexpected EOF: nothing was read";
}

// After the peer's close_notify, close_notify queued behind a write that met the closed transport
// answers what that write's failure is then: SSL_ERROR_ZERO_RETURN, as OpenSSL 3.
TEST_F(CoreTest, ShutdownBehindAFailedWriteAfterThePeersCloseNotifyIsZeroReturn) {
  conn_->shutdown = SSL_RECEIVED_SHUTDOWN;
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_ZERO_RETURN);
  conn_->shutdown_results.push_back({-1, SSL_ERROR_SYSCALL, 0});
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_ZERO_RETURN);
}

// After the peer's close_notify SSL_peek answers 0 without reading; while a write waits to be
// retried, OpenSSL 3's SSL_get_error says what the last call that reached the transport stopped
// on (rwstate): here the write, made after a read met the close_notify (the replay
// "client tls1.2 biopair write:100 peer:close_notify read peer:close write:16384 write:16385
// peek"). SSL_read clears the wait first and says ZERO_RETURN.
TEST_F(CoreTest, APeekAfterThePeersCloseNotifyWhileAWriteWaitsSaysWhatTheWriteSaid) {
  conn_->read_results.push_back({0, SSL_ERROR_ZERO_RETURN, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_ZERO_RETURN) << "this read met the close_notify";
  conn_->shutdown = SSL_RECEIVED_SHUTDOWN;
  conn_->write_results.push_back({-1, SSL_ERROR_WANT_WRITE, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  conn_->read_results.push_back({0, SSL_ERROR_ZERO_RETURN, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, true), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_WANT_WRITE);
  conn_->read_results.push_back({0, SSL_ERROR_ZERO_RETURN, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_ZERO_RETURN) << "SSL_read clears the wait";
  ssl_->connection.pending_write.Clear();
  conn_->read_results.push_back({0, SSL_ERROR_ZERO_RETURN, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_ZERO_RETURN) << "nothing waits";
}

// A read that reaches the transport clears OpenSSL's rwstate (ssl3_read_bytes sets SSL_NOTHING
// before it reads): when it is the one that meets the close_notify, behind a waiting write, a
// later SSL_peek says ZERO_RETURN, not the write's WANT_WRITE.
TEST_F(CoreTest, APeekAfterAReadMetTheCloseNotifyBehindAWaitingWriteIsZeroReturn) {
  conn_->write_results.push_back({-1, SSL_ERROR_WANT_WRITE, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  conn_->read_results.push_back({0, SSL_ERROR_ZERO_RETURN, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 0);
  conn_->shutdown = SSL_RECEIVED_SHUTDOWN;
  conn_->read_results.push_back({0, SSL_ERROR_ZERO_RETURN, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, true), 0);
  EXPECT_EQ(GetError(ssl_, 0), SSL_ERROR_ZERO_RETURN);
}

// SSL_shutdown queued behind a waiting write touches no transport: SSL_get_error says what the
// last call that did stopped on, the write or a read made since (differential seed 121), and a
// finished handshake's SSL_do_handshake changes nothing (it touches no transport either).
TEST_F(CoreTest, AShutdownQueuedBehindAWriteSaysWhatTheLastCallThatWaitedSaid) {
  conn_->write_results.push_back({-1, SSL_ERROR_WANT_WRITE, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 20), -1);
  conn_->read_results.push_back({-1, SSL_ERROR_WANT_READ, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), -1);
  EXPECT_EQ(Handshake(ssl_), 1);
  conn_->shutdown_results.push_back({-1, SSL_ERROR_SYSCALL, 0});
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_WANT_READ);
}

// SSL_key_update puts OpenSSL 3 back into its handshake state until the update is sent.
TEST_F(CoreTest, ShutdownWhileAKeyUpdateWaitsIsShutdownWhileInInit) {
  ssl_->connection.key_update_pending = SSL_KEY_UPDATE_REQUESTED;
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(TakeReason(), SSL_R_SHUTDOWN_WHILE_IN_INIT);
  EXPECT_FALSE(ssl_->connection.sent_shutdown) << "nothing sent";
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), 5);  // the update goes out with it
  EXPECT_EQ(Shutdown(ssl_), 0);
}

// A client that has sent its ClientHello has no version yet in OpenSSL 3 (its method is still
// TLS_ANY_VERSION), whatever SSL_version says: SSL_key_update is WRONG_SSL_VERSION, not
// STILL_IN_INIT.
TEST_F(CoreTest, KeyUpdateBeforeTheServerHelloIsWrongSslVersion) {
  conn_->init_finished = false;
  conn_->handshake_state = HandshakeState::kCwClntHello;
  EXPECT_EQ(KeyUpdate(ssl_, SSL_KEY_UPDATE_REQUESTED), 0);
  EXPECT_EQ(TakeReason(), SSL_R_WRONG_SSL_VERSION);
  conn_->handshake_state = HandshakeState::kCrSrvrHello;
  EXPECT_EQ(KeyUpdate(ssl_, SSL_KEY_UPDATE_REQUESTED), 0);
  EXPECT_EQ(TakeReason(), SSL_R_STILL_IN_INIT);
  conn_->init_finished = true;
  conn_->handshake_state = HandshakeState::kOk;
  EXPECT_EQ(KeyUpdate(ssl_, SSL_KEY_UPDATE_REQUESTED), 1);
  EXPECT_EQ(ssl_->connection.key_update_pending, SSL_KEY_UPDATE_REQUESTED);
}

// After a fatal error OpenSSL 3's state machine is in its error state: SSL_key_update is
// STILL_IN_INIT there (BoringSSL would accept it).
TEST_F(CoreTest, KeyUpdateAfterAFatalErrorIsStillInInit) {
  conn_->handshake_state = HandshakeState::kOk;
  ssl_->connection.failure.EndByProtocol({ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING});
  EXPECT_EQ(KeyUpdate(ssl_, SSL_KEY_UPDATE_REQUESTED), 0);
  EXPECT_EQ(TakeReason(), SSL_R_STILL_IN_INIT);
  EXPECT_EQ(conn_->key_updates, 0);
}

// A write whose data waits has taken the KeyUpdate out of OpenSSL 3's handshake state: close_notify
// then queues behind the write (WANT_WRITE), not SHUTDOWN_WHILE_IN_INIT.
TEST_F(CoreTest, AWaitingWriteTakesTheKeyUpdateOut) {
  conn_->handshake_state = HandshakeState::kOk;
  ASSERT_EQ(KeyUpdate(ssl_, SSL_KEY_UPDATE_REQUESTED), 1);
  conn_->write_results.push_back({-1, SSL_ERROR_WANT_WRITE, 0});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 100), -1);
  EXPECT_EQ(ssl_->connection.key_update_pending, SSL_KEY_UPDATE_NONE);
  conn_->shutdown_results.push_back({-1, SSL_ERROR_SYSCALL, 0});
  EXPECT_EQ(Shutdown(ssl_), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_WANT_WRITE);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

// close_notify promised the peer nothing more, so SSL_key_update after it is refused on every
// backend (OpenSSL 3 would send the KeyUpdate after its close_notify on the next read).
TEST_F(CoreTest, KeyUpdateAfterOwnCloseNotifyIsProtocolIsShutdown) {
  conn_->handshake_state = HandshakeState::kOk;
  EXPECT_EQ(Shutdown(ssl_), 0);
  ASSERT_TRUE(ssl_->connection.sent_shutdown);
  EXPECT_EQ(KeyUpdate(ssl_, SSL_KEY_UPDATE_REQUESTED), 0);
  EXPECT_EQ(TakeReason(), SSL_R_PROTOCOL_IS_SHUTDOWN);
  EXPECT_EQ(ssl_->connection.key_update_pending, SSL_KEY_UPDATE_NONE);
  EXPECT_EQ(conn_->key_updates, 0) << "the backend was not asked";
}

// OpenSSL 3's read sends a KeyUpdate asked for before it reads; a transport that will not take it
// is the read's answer. BoringSSL's read would leave it for the next write.
TEST_F(CoreTest, AReadSendsAKeyUpdateAskedForFirst) {
  ssl_->connection.key_update_pending = SSL_KEY_UPDATE_REQUESTED;
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  conn_->read_results.push_back({5, 0, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SYSCALL);
  EXPECT_EQ(errno, EPIPE);
  ASSERT_EQ(conn_->writes.size(), 1u);
  EXPECT_EQ(conn_->writes[0].num, 0) << "an empty write sends it";
  EXPECT_EQ(ssl_->connection.key_update_pending, SSL_KEY_UPDATE_REQUESTED) << "not sent yet";
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 5) << "sent: the read goes on";
  EXPECT_EQ(conn_->writes.size(), 2u);
  EXPECT_EQ(ssl_->connection.key_update_pending, SSL_KEY_UPDATE_NONE);

  // After close_notify nothing more is sent: the read reads.
  ssl_->connection.sent_shutdown = true;
  ssl_->connection.key_update_pending = SSL_KEY_UPDATE_REQUESTED;
  conn_->read_results.push_back({5, 0, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 5);
  EXPECT_EQ(conn_->writes.size(), 2u);
}

// A write that carried the KeyUpdate met a failed transport and is pending: the read sends what
// that write left (an empty write would be its bad retry) and answers the transport's error; the
// write stays pending. One that waits (WANT_WRITE) is left to its retry.
TEST_F(CoreTest, AReadAfterAFailedWriteSendsTheKeyUpdateAgain) {
  ssl_->connection.key_update_pending = SSL_KEY_UPDATE_REQUESTED;
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, ECONNRESET});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 100), -1);
  ASSERT_TRUE(ssl_->connection.pending_write.active());
  conn_->flush_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), -1);
  EXPECT_EQ(conn_->flush_calls, 1);
  EXPECT_EQ(conn_->writes.size(), 1u) << "no empty write while one is pending";
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SYSCALL);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_TRUE(ssl_->connection.pending_write.active());
  EXPECT_EQ(ssl_->connection.key_update_pending, SSL_KEY_UPDATE_REQUESTED) << "not sent yet";

  ssl_->connection.pending_write.Start(buf_, 100, SSL_ERROR_WANT_WRITE);
  conn_->read_results.push_back({5, 0, 0});
  EXPECT_EQ(ReadBytes(ssl_, buf_, sizeof buf_, false), 5);
  EXPECT_EQ(conn_->flush_calls, 1) << "a waiting write is left to its retry";
}

// Once the peer's close_notify has come, OpenSSL 3's SSL_get_error calls a failure with nothing
// queued SSL_ERROR_ZERO_RETURN, a write that met a closed transport included.
TEST_F(CoreTest, AFailureAfterThePeersCloseNotifyIsZeroReturn) {
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_SYSCALL) << "before close_notify";
  ssl_->connection.pending_write.Clear();
  conn_->shutdown = SSL_RECEIVED_SHUTDOWN;
  conn_->write_results.push_back({-1, SSL_ERROR_SYSCALL, EPIPE});
  EXPECT_EQ(WriteBytes(ssl_, buf_, 5), -1);
  EXPECT_EQ(GetError(ssl_, -1), SSL_ERROR_ZERO_RETURN);
  EXPECT_EQ(errno, EPIPE);
}

// SSL_CTX_sess_connect() and company count the info events of the context's connections.
TEST_F(CoreTest, SessionStatisticsCountHandshakesFromInfoEvents) {
  const SessionStats& stats = ctx_->session_stats();
  ssl_->OnInfo(SSL_CB_HANDSHAKE_START, 1);
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_CONNECT), 1);
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_CONNECT_GOOD), 0);
  ssl_->OnInfo(SSL_CB_HANDSHAKE_DONE, 1);
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_CONNECT_GOOD), 1);
  ssl_->OnInfo(SSL_CB_HANDSHAKE_START, 1);  // a renegotiation: not a new connect
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_CONNECT), 1);
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_CONNECT_RENEGOTIATE), 1);
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_ACCEPT), 0);
  EXPECT_EQ(SessionStatistic(stats, SSL_CTRL_SESS_HIT), 0);  // the fake never resumes
}

}  // namespace
}  // namespace sslshim
