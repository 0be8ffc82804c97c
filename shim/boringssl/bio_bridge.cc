#include "boringssl/bio_bridge.h"

#include <openssl/bio.h>
#include <sys/time.h>

#include <algorithm>
#include <cstring>

#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

struct BridgeTarget {
  const ProgramBioOps* ops;
  void* program_bio;
  const bool* hold_reads;         // may be null
  ReadAheadBuffer* read_ahead;    // may be null
  const SSL* dtls_ssl = nullptr;  // DTLS: whose timer arms the program's BIO (SetBridgeDtlsTimer)
  timeval armed{};                // the deadline last handed to the program's BIO
};

BridgeTarget* TargetOf(BIO* bio) { return static_cast<BridgeTarget*>(BIO_get_data(bio)); }

// After the program's BIO_read/BIO_write returned <= 0: copy its BIO_should_retry /
// BIO_should_read / BIO_should_write onto our BIO, where BoringSSL's SSL_get_error looks.
void CopyRetryFlags(BIO* bio, const BridgeTarget& target) {
  int flags = target.ops->retry_flags(target.program_bio);
  if (!(flags & kBioRetry)) return;
  if (flags & kBioRetryRead) BIO_set_retry_read(bio);
  if (flags & kBioRetryWrite) BIO_set_retry_write(bio);
  // A retry that is neither read nor write (OpenSSL's io_special: connect/accept BIOs) has no
  // reason we could pass on (ProgramBioOps has no BIO_get_retry_reason), so it is reported as
  // BoringSSL reports an I/O failure.
}

int BridgeWrite(BIO* bio, const char* in, int len) {
  BIO_clear_retry_flags(bio);
  BridgeTarget* target = TargetOf(bio);
  int n = target->ops->write(target->program_bio, in, len);
  if (n <= 0) CopyRetryFlags(bio, *target);
  return n;
}

// The DTLS timer's deadline, as OpenSSL passes it: absolute on gettimeofday's clock, zero if none.
timeval DtlsDeadline(const SSL* ssl) {
  timeval deadline{};
  timeval left{};
  if (!DTLSv1_get_timeout(ssl, &left)) return deadline;
  gettimeofday(&deadline, nullptr);
  deadline.tv_sec += left.tv_sec;
  deadline.tv_usec += left.tv_usec;
  if (deadline.tv_usec >= 1000000) {
    deadline.tv_sec += 1;
    deadline.tv_usec -= 1000000;
  }
  return deadline;
}

void ArmDtlsTimer(BridgeTarget* target) {
  timeval deadline = DtlsDeadline(target->dtls_ssl);
  if (deadline.tv_sec == target->armed.tv_sec && deadline.tv_usec == target->armed.tv_usec) return;
  target->armed = deadline;
  target->ops->ctrl(target->program_bio,
                    static_cast<int>(openssl3::kBIO_CTRL_DGRAM_SET_NEXT_TIMEOUT), 0, &deadline);
}

// BoringSSL's read served from the read-ahead buffer, filling it first with one read of the
// program's BIO when it is empty.
int ReadThroughBuffer(BIO* bio, BridgeTarget* target, char* out, int len) {
  ReadAheadBuffer& buffer = *target->read_ahead;
  if (buffer.empty()) {
    size_t want = std::max(static_cast<size_t>(len), ReadAheadBuffer::kReadAheadBytes);
    auto data = std::make_unique<uint8_t[]>(want);
    int n = target->ops->read(target->program_bio, reinterpret_cast<char*>(data.get()),
                              static_cast<int>(want));
    if (n <= 0) {
      CopyRetryFlags(bio, *target);
      return n;
    }
    buffer.data = std::move(data);
    buffer.pos = 0;
    buffer.end = static_cast<size_t>(n);
  }
  size_t take = std::min(static_cast<size_t>(len), buffer.end - buffer.pos);
  std::memcpy(out, buffer.data.get() + buffer.pos, take);
  buffer.pos += take;
  if (buffer.empty()) {
    buffer.data.reset();
    buffer.pos = buffer.end = 0;
  }
  return static_cast<int>(take);
}

int BridgeRead(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  BridgeTarget* target = TargetOf(bio);
  if (target->hold_reads != nullptr && *target->hold_reads) {
    BIO_set_retry_read(bio);
    return -1;
  }
  if (target->dtls_ssl != nullptr) ArmDtlsTimer(target);
  if (target->read_ahead != nullptr &&
      (target->read_ahead->enabled || !target->read_ahead->empty()) && len > 0) {
    return ReadThroughBuffer(bio, target, out, len);
  }
  int n = target->ops->read(target->program_bio, out, len);
  if (n <= 0) CopyRetryFlags(bio, *target);
  return n;
}

long BridgeCtrl(BIO* bio, int cmd, long larg, void* parg) {
  int openssl_cmd = OpenSslBioCtrlForBoringSsl(cmd);
  if (openssl_cmd < 0) return 0;
  BridgeTarget* target = TargetOf(bio);
  return target->ops->ctrl(target->program_bio, openssl_cmd, larg, parg);
}

int BridgeDestroy(BIO* bio) {
  delete TargetOf(bio);
  BIO_set_data(bio, nullptr);
  BIO_set_init(bio, 0);
  return 1;
}

const BIO_METHOD* BridgeMethod() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_TYPE_SOURCE_SINK, "sslshim program BIO");
    BIO_meth_set_write(m, BridgeWrite);
    BIO_meth_set_read(m, BridgeRead);
    BIO_meth_set_ctrl(m, BridgeCtrl);
    BIO_meth_set_destroy(m, BridgeDestroy);
    return m;
  }();
  return method;
}

}  // namespace

int OpenSslBioCtrlForBoringSsl(int boringssl_cmd) {
  switch (boringssl_cmd) {
    case BIO_CTRL_FLUSH:  // BoringSSL flushes the wbio after every flight and record batch
      return static_cast<int>(openssl3::kBIO_CTRL_FLUSH);
    case BIO_CTRL_PENDING:
      return static_cast<int>(openssl3::kBIO_CTRL_PENDING);
    case BIO_CTRL_WPENDING:
      return static_cast<int>(openssl3::kBIO_CTRL_WPENDING);
    case BIO_CTRL_EOF:
      return static_cast<int>(openssl3::kBIO_CTRL_EOF);
    case BIO_C_GET_FD:  // SSL_get_fd / SSL_get_rfd; the int* argument means the same in both
      return static_cast<int>(openssl3::kBIO_C_GET_FD);
    // DTLS (d1_both.cc, d1_lib.cc): the MTU the program's datagram BIO knows (a BIO_s_datagram
    // asks the kernel), the default BoringSSL falls back to, and the smaller one after repeated
    // retransmissions. Each takes and returns a long, as in OpenSSL.
    case BIO_CTRL_DGRAM_QUERY_MTU:
      return static_cast<int>(openssl3::kBIO_CTRL_DGRAM_QUERY_MTU);
    case BIO_CTRL_DGRAM_SET_MTU:
      return static_cast<int>(openssl3::kBIO_CTRL_DGRAM_SET_MTU);
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return static_cast<int>(openssl3::kBIO_CTRL_DGRAM_GET_FALLBACK_MTU);
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
      return static_cast<int>(openssl3::kBIO_CTRL_DGRAM_MTU_EXCEEDED);
    case BIO_CTRL_DGRAM_GET_PEER:  // a struct sockaddr out, the same in both
      return static_cast<int>(openssl3::kBIO_CTRL_DGRAM_GET_PEER);
    default:
      // GET_CLOSE / SET_CLOSE concern our wrapper, not the program's BIO (the connection owns
      // that one); nothing else is sent by BoringSSL's libssl.
      return -1;
  }
}

void SetBridgeDtlsTimer(BIO* bridge, const SSL* ssl) { TargetOf(bridge)->dtls_ssl = ssl; }

BIO* NewBridgeBio(const ProgramBioOps* ops, void* program_bio, const bool* hold_reads,
                  ReadAheadBuffer* read_ahead) {
  BIO* bio = BIO_new(BridgeMethod());
  if (bio == nullptr) return nullptr;
  BIO_set_data(bio, new BridgeTarget{ops, program_bio, hold_reads, read_ahead});
  BIO_set_init(bio, 1);
  return bio;
}

}  // namespace sslshim::boringssl
