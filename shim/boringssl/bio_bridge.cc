#include "boringssl/bio_bridge.h"

#include <openssl/bio.h>

#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

struct BridgeTarget {
  const ProgramBioOps* ops;
  void* program_bio;
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

int BridgeRead(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  BridgeTarget* target = TargetOf(bio);
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
    default:
      // GET_CLOSE / SET_CLOSE concern our wrapper, not the program's BIO (the connection owns
      // that one); DGRAM_* are DTLS only; nothing else is sent by BoringSSL's libssl.
      return -1;
  }
}

BIO* NewBridgeBio(const ProgramBioOps* ops, void* program_bio) {
  BIO* bio = BIO_new(BridgeMethod());
  if (bio == nullptr) return nullptr;
  BIO_set_data(bio, new BridgeTarget{ops, program_bio});
  BIO_set_init(bio, 1);
  return bio;
}

}  // namespace sslshim::boringssl
