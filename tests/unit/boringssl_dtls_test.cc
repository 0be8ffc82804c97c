// The BoringSSL backend's DTLS over real datagrams: a client and a server BackendConn over a
// socketpair(AF_UNIX, SOCK_DGRAM), each driving a "program BIO" that behaves as OpenSSL's
// BIO_s_datagram does for the ctrls BoringSSL and the backend send (MTU query and overhead, the
// retransmission deadline, the receive timer). Everything goes through the Backend interface;
// every number checked is OpenSSL 3's.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "boringssl_test_support.h"
#include "gtest/gtest.h"

namespace sslshim {
namespace {

// OpenSSL 3's numbers, as the program sees them.
constexpr int kErrorSsl = 1, kErrorWantRead = 2;
constexpr int kLibSsl = 20;
constexpr int kDtls1 = 0xfeff, kDtls12 = 0xfefd;
// OpenSSL's SSL_OP_NO_DTLSv1_2 is its SSL_OP_NO_TLSv1_2 bit (as in BoringSSL); its
// SSL_OP_NO_TLSv1_1 has no DTLS meaning (DTLS 1.1 does not exist).
constexpr uint64_t kOpNoDtls12 = uint64_t{1} << 27;
constexpr uint64_t kOpNoTls11 = uint64_t{1} << 28;
constexpr int kCtrlFlush = 11;                 // BIO_CTRL_FLUSH
constexpr int kCtrlGetRecvTimerExp = 37;       // BIO_CTRL_DGRAM_GET_RECV_TIMER_EXP
constexpr int kCtrlQueryMtu = 40;              // BIO_CTRL_DGRAM_QUERY_MTU
constexpr int kCtrlSetNextTimeout = 45;        // BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT
constexpr int kCtrlGetMtuOverhead = 49;        // BIO_CTRL_DGRAM_GET_MTU_OVERHEAD
constexpr int kReasonDtlsMessageTooBig = 334;  // SSL_R_DTLS_MESSAGE_TOO_BIG
constexpr size_t kDtlsRecordHeader = 13;

// One end of the socketpair as a program BIO.
struct DgramBio {
  int fd = -1;
  int refs = 1;
  int retry_flags = 0;
  long queried_mtu = 0;  // BIO_CTRL_DGRAM_QUERY_MTU's answer (0: unknown, as a socket BIO)
  long mtu_overhead = 0;
  // A blocking datagram BIO: this many reads wait for the deadline set with SET_NEXT_TIMEOUT
  // (as OpenSSL's dgram BIO sets SO_RCVTIMEO); later reads do not wait.
  int timed_reads = 0;
  timeval deadline{};
  bool timer_expired = false;   // what GET_RECV_TIMER_EXP reports (then clears), as OpenSSL's
  std::vector<size_t> written;  // each datagram's size
};

int WaitMillisUntil(const timeval& deadline) {
  timeval now{};
  gettimeofday(&now, nullptr);
  long long ms = (deadline.tv_sec - now.tv_sec) * 1000LL + (deadline.tv_usec - now.tv_usec) / 1000;
  return ms < 0 ? 0 : static_cast<int>(ms);
}

int DgramRead(void* b, char* out, int len) {
  DgramBio* bio = static_cast<DgramBio*>(b);
  bio->retry_flags = 0;
  if (bio->timed_reads > 0 && bio->deadline.tv_sec != 0) {
    bio->timed_reads--;
    pollfd p{bio->fd, POLLIN, 0};
    if (poll(&p, 1, WaitMillisUntil(bio->deadline)) == 0) {
      bio->timer_expired = true;
      bio->retry_flags = kBioRetry | kBioRetryRead;
      return -1;
    }
  }
  ssize_t n = recv(bio->fd, out, static_cast<size_t>(len), MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    bio->timer_expired = true;  // OpenSSL's dgram BIO says "expired" for any EAGAIN
    bio->retry_flags = kBioRetry | kBioRetryRead;
    return -1;
  }
  return static_cast<int>(n);
}

int DgramWrite(void* b, const char* in, int len) {
  DgramBio* bio = static_cast<DgramBio*>(b);
  bio->retry_flags = 0;
  ssize_t n = send(bio->fd, in, static_cast<size_t>(len), MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    bio->retry_flags = kBioRetry | kBioRetryWrite;
    return -1;
  }
  if (n > 0) bio->written.push_back(static_cast<size_t>(n));
  return static_cast<int>(n);
}

long DgramCtrl(void* b, int cmd, long /*larg*/, void* parg) {
  DgramBio* bio = static_cast<DgramBio*>(b);
  switch (cmd) {
    case kCtrlFlush:
      return 1;
    case kCtrlQueryMtu:
      return bio->queried_mtu;
    case kCtrlGetMtuOverhead:
      return bio->mtu_overhead;
    case kCtrlSetNextTimeout:
      bio->deadline = *static_cast<const timeval*>(parg);
      return 1;
    case kCtrlGetRecvTimerExp: {
      bool expired = bio->timer_expired;
      bio->timer_expired = false;
      return expired ? 1 : 0;
    }
    default:
      return 0;
  }
}

int DgramRetryFlags(void* b) { return static_cast<DgramBio*>(b)->retry_flags; }
void DgramFreeAll(void* b) { static_cast<DgramBio*>(b)->refs--; }
int DgramUpRef(void* b) {
  static_cast<DgramBio*>(b)->refs++;
  return 1;
}

const ProgramBioOps kDgramOps = {DgramRead,       DgramWrite,   DgramCtrl,
                                 DgramRetryFlags, DgramFreeAll, DgramUpRef};

bool HasError(const std::vector<ErrorRecord>& errors, int lib, int reason) {
  for (const ErrorRecord& e : errors) {
    if (e.lib == lib && e.reason == reason) return true;
  }
  return false;
}

class BoringSslDtlsTest : public testing_support::BoringSslConnPairTest {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, fds), 0);
    client_bio_.fd = fds[0];
    server_bio_.fd = fds[1];
    ASSERT_NO_FATAL_FAILURE(MakeContexts(true, &kDgramOps));
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    close(client_bio_.fd);
    close(server_bio_.fd);
  }

  void Connect() { NewConns(&observer_, &observer_, &client_bio_, &server_bio_); }

  // The next datagram waiting on `fd`, without taking it.
  std::vector<uint8_t> PeekDatagram(int fd) {
    std::vector<uint8_t> datagram(70000);
    ssize_t n = recv(fd, datagram.data(), datagram.size(), MSG_PEEK | MSG_DONTWAIT);
    datagram.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return datagram;
  }

  DgramBio client_bio_, server_bio_;
  testing_support::QuietObserver observer_;
};

TEST_F(BoringSslDtlsTest, HandshakesAtDtls12AndKeepsEachWriteOneDatagram) {
  Connect();
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(client_->VersionNumber(), kDtls12);
  EXPECT_STREQ(client_->Version(), "DTLSv1.2");
  EXPECT_STREQ(server_->Version(), "DTLSv1.2");
  EXPECT_TRUE(client_->IsInitFinished());

  // Three writes, three datagrams, three reads that each give exactly one write back, even with
  // a read buffer large enough for all of them (a stream transport would run them together).
  const std::vector<std::string> messages = {"first", std::string(3000, 'b'), "third!"};
  for (const std::string& m : messages) {
    IoResult w = client_->Write(m.data(), static_cast<int>(m.size()));
    ASSERT_EQ(w.ret, static_cast<int>(m.size()));
  }
  char buf[20000];
  for (const std::string& m : messages) {
    IoResult r = server_->Read(buf, sizeof buf, false);
    ASSERT_EQ(r.ret, static_cast<int>(m.size()));
    EXPECT_EQ(std::string(buf, static_cast<size_t>(r.ret)), m);
  }
  EXPECT_EQ(server_->Read(buf, sizeof buf, false).ssl_error, kErrorWantRead);
}

TEST_F(BoringSslDtlsTest, PinnedToDtls10) {
  for (BackendCtx* ctx : {client_ctx_.get(), server_ctx_.get()}) {
    // DTLS 1.0 signs with SHA-1, which OpenSSL refuses from security level 1 (as the shim).
    ASSERT_TRUE(ctx->SetSecurityLevel(0));
    ASSERT_TRUE(ctx->SetMinVersion(kDtls1));
    ASSERT_TRUE(ctx->SetMaxVersion(kDtls1));
  }
  Connect();
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(server_->VersionNumber(), kDtls1);
  EXPECT_STREQ(server_->Version(), "DTLSv1");
}

TEST_F(BoringSslDtlsTest, OpenSslsDtlsVersionOptionApplies) {
  // SSL_OP_NO_TLSv1_1 leaves DTLS alone; SSL_OP_NO_DTLSv1_2 leaves DTLS 1.0.
  client_ctx_->SetOptions(kOpNoTls11);
  Connect();
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(client_->VersionNumber(), kDtls12);

  client_ctx_->SetOptions(kOpNoDtls12);
  for (BackendCtx* ctx : {client_ctx_.get(), server_ctx_.get()}) {
    ASSERT_TRUE(ctx->SetSecurityLevel(0));  // DTLS 1.0 needs level 0 (see PinnedToDtls10)
  }
  Connect();
  ASSERT_TRUE(Handshake());
  EXPECT_EQ(client_->VersionNumber(), kDtls1);
}

TEST_F(BoringSslDtlsTest, DefaultSecurityLevelRefusesDtls10) {
  client_ctx_->SetMaxVersion(kDtls1);
  Connect();
  EXPECT_FALSE(Handshake());
}

TEST_F(BoringSslDtlsTest, RecordLimitsAsOpenSsl) {
  Connect();
  ASSERT_TRUE(Handshake());
  // OpenSSL 3 sends a 16384-byte write as one record in one datagram, whatever the MTU; BoringSSL
  // the same.
  std::vector<char> data(16384);
  for (size_t i = 0; i < data.size(); i++) data[i] = static_cast<char>(i * 7);
  ASSERT_EQ(client_->Write(data.data(), 16384).ret, 16384);
  ASSERT_EQ(client_bio_.written.back(), PeekDatagram(server_bio_.fd).size());
  EXPECT_GT(client_bio_.written.back(), 16384u);
  std::vector<char> got(20000);
  ASSERT_EQ(server_->Read(got.data(), static_cast<int>(got.size()), false).ret, 16384);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), got.begin()));

  // One byte more: SSL_R_DTLS_MESSAGE_TOO_BIG, nothing sent, as OpenSSL. (The core refuses it
  // before the backend, keeping the connection usable as OpenSSL does; the backend itself says
  // the same.)
  std::vector<char> big(16385, 'x');
  size_t datagrams = client_bio_.written.size();
  IoResult r = client_->Write(big.data(), 16385);
  EXPECT_EQ(r.ret, -1);
  EXPECT_EQ(r.ssl_error, kErrorSsl);
  std::vector<ErrorRecord> errors;
  client_->TakeErrors(&errors);
  std::string seen;
  for (const ErrorRecord& e : errors) {
    seen += std::to_string(e.lib) + ":" + std::to_string(e.reason) + " " + e.data + "; ";
  }
  EXPECT_TRUE(HasError(errors, kLibSsl, kReasonDtlsMessageTooBig)) << seen;
  EXPECT_EQ(client_bio_.written.size(), datagrams);
}

TEST_F(BoringSslDtlsTest, MtuBoundsHandshakeDatagramsAndDataMtuFillsOne) {
  Connect();
  EXPECT_FALSE(client_->DtlsSetMtu(227));  // under the floor (OpenSSL's for UDP over IPv4)
  ASSERT_TRUE(server_->DtlsSetMtu(300));
  // DTLS_set_link_mtu: the link MTU less the BIO's overhead (IP + UDP) is the datagram payload.
  client_bio_.mtu_overhead = 28;
  EXPECT_FALSE(client_->DtlsSetLinkMtu(255));
  ASSERT_TRUE(client_->DtlsSetLinkMtu(528));
  EXPECT_EQ(client_->DtlsDataMtu(), 0u);  // no cipher yet: 0, as OpenSSL
  ASSERT_TRUE(Handshake());
  ASSERT_GT(server_bio_.written.size(), 2u);  // the certificate flight was fragmented
  for (size_t n : server_bio_.written) EXPECT_LE(n, 300u);
  for (size_t n : client_bio_.written) EXPECT_LE(n, 500u);

  // DTLS_get_data_mtu: the largest write that still fits one datagram at the MTU.
  size_t data_mtu = server_->DtlsDataMtu();
  ASSERT_GT(data_mtu, 200u);
  ASSERT_LT(data_mtu, 300u - kDtlsRecordHeader);
  std::vector<char> data(data_mtu + 1, 'd');
  ASSERT_EQ(server_->Write(data.data(), static_cast<int>(data_mtu)).ret,
            static_cast<int>(data_mtu));
  EXPECT_LE(server_bio_.written.back(), 300u);
  EXPECT_GE(server_bio_.written.back(), 300u - 16);  // an AEAD suite: no padding, near the MTU
}

TEST_F(BoringSslDtlsTest, MtuQueriedFromTheBioUnlessTold) {
  // BoringSSL asks the program's BIO (BIO_CTRL_DGRAM_QUERY_MTU, through the bridge): the server's
  // certificate flight, one datagram at the default MTU, is cut to the BIO's 300 bytes.
  server_bio_.queried_mtu = 300;
  Connect();
  ASSERT_TRUE(Handshake());
  ASSERT_GT(server_bio_.written.size(), 2u);
  for (size_t n : server_bio_.written) EXPECT_LE(n, 300u);
  size_t data_mtu = server_->DtlsDataMtu();
  EXPECT_GT(data_mtu, 200u);
  EXPECT_LT(data_mtu, 300u);
  std::vector<char> data(data_mtu, 'q');
  ASSERT_EQ(server_->Write(data.data(), static_cast<int>(data_mtu)).ret,
            static_cast<int>(data_mtu));
  EXPECT_LE(server_bio_.written.back(), 300u);

  // SSL_set_mtu wins over the BIO's answer (as in OpenSSL, with SSL_OP_NO_QUERY_MTU set).
  server_bio_.written.clear();
  Connect();
  ASSERT_TRUE(server_->DtlsSetMtu(1000));
  ASSERT_TRUE(Handshake());
  size_t largest = 0;
  for (size_t n : server_bio_.written) largest = std::max(largest, n);
  EXPECT_GT(largest, 300u);
  EXPECT_LE(largest, 1000u);
}

TEST_F(BoringSslDtlsTest, TimerArmsTheBioAndALostFlightIsResent) {
  Connect();
  // The client's first flight goes out; the server does not answer yet.
  IoResult c = client_->Handshake();
  ASSERT_EQ(c.ssl_error, kErrorWantRead);
  long seconds = -1, microseconds = -1;
  ASSERT_TRUE(client_->DtlsGetTimeout(&seconds, &microseconds));
  EXPECT_LE(seconds * 1000000 + microseconds, 1000000);  // BoringSSL's first timeout: 1 s
  EXPECT_NE(client_bio_.deadline.tv_sec, 0);             // the BIO was given the deadline
  EXPECT_EQ(client_->DtlsHandleTimeout(), 0);            // not due yet
  ASSERT_EQ(client_bio_.written.size(), 1u);

  // The ClientHello is lost.
  std::vector<uint8_t> first = PeekDatagram(server_bio_.fd);
  ASSERT_GT(first.size(), kDtlsRecordHeader);
  char sink[4096];
  ASSERT_GT(recv(server_bio_.fd, sink, sizeof sink, 0), 0);

  // A blocking datagram BIO's read returns at the deadline; the flight is resent, as OpenSSL
  // does, and the handshake call carries on reading.
  client_bio_.timed_reads = 1;
  auto start = std::chrono::steady_clock::now();
  c = client_->Handshake();
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(c.ssl_error, kErrorWantRead);
  EXPECT_GT(waited, 0.5);
  EXPECT_LT(waited, 5.0);
  ASSERT_EQ(client_bio_.written.size(), 2u);
  std::vector<uint8_t> resent = PeekDatagram(server_bio_.fd);
  ASSERT_EQ(resent.size(), first.size());
  // The same handshake message in a record with the next sequence number.
  EXPECT_TRUE(std::equal(first.begin() + kDtlsRecordHeader, first.end(),
                         resent.begin() + kDtlsRecordHeader));
  EXPECT_NE(std::memcmp(first.data() + 3, resent.data() + 3, 8), 0);

  ASSERT_TRUE(Handshake());
  EXPECT_FALSE(client_->DtlsGetTimeout(&seconds, &microseconds));  // done: no timer
}

TEST_F(BoringSslDtlsTest, TlsConnectionsAnswerTheDtlsCallsAsOpenSsl) {
  std::unique_ptr<BackendCtx> tls_ctx = backend_->NewCtx({Endpoint::kClient, 0, 0}, &kDgramOps);
  ASSERT_NE(tls_ctx, nullptr);
  std::unique_ptr<BackendConn> tls = tls_ctx->NewConn(&observer_);
  long seconds = 0, microseconds = 0;
  EXPECT_FALSE(tls->DtlsGetTimeout(&seconds, &microseconds));
  EXPECT_EQ(tls->DtlsHandleTimeout(), 0);
  EXPECT_FALSE(tls->DtlsSetMtu(1000));
  EXPECT_FALSE(tls->DtlsSetLinkMtu(1000));
  EXPECT_EQ(tls->DtlsDataMtu(), 0u);
  // And DTLS versions are refused on a TLS context, TLS ones on a DTLS context.
  EXPECT_FALSE(tls_ctx->SetMaxVersion(kDtls12));
  EXPECT_FALSE(client_ctx_->SetMaxVersion(0x0303));
  std::vector<ErrorRecord> drained;
  tls_ctx->TakeErrors(&drained);
  client_ctx_->TakeErrors(&drained);
}

}  // namespace
}  // namespace sslshim
