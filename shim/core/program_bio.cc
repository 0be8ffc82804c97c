// The program's BIOs, driven through OpenSSL's libcrypto on behalf of a backend that cannot touch
// OpenSSL objects itself (BoringSSL's SSL calls these from its own BIO method).
#include <openssl/bio.h>

#include "core/objects.h"

namespace sslshim {
namespace {

int Read(void* bio, char* out, int len) { return BIO_read(static_cast<BIO*>(bio), out, len); }

int Write(void* bio, const char* in, int len) { return BIO_write(static_cast<BIO*>(bio), in, len); }

long Ctrl(void* bio, int cmd, long larg, void* parg) {
  return BIO_ctrl(static_cast<BIO*>(bio), cmd, larg, parg);
}

int RetryFlags(void* bio) {
  auto* b = static_cast<BIO*>(bio);
  int flags = 0;
  if (BIO_should_retry(b)) flags |= kBioRetry;
  if (BIO_should_read(b)) flags |= kBioRetryRead;
  if (BIO_should_write(b)) flags |= kBioRetryWrite;
  return flags;
}

void FreeAll(void* bio) { BIO_free_all(static_cast<BIO*>(bio)); }

int UpRef(void* bio) { return BIO_up_ref(static_cast<BIO*>(bio)); }

constexpr ProgramBioOps kOps = {Read, Write, Ctrl, RetryFlags, FreeAll, UpRef};

}  // namespace

const ProgramBioOps* ProgramBioFunctions() { return &kOps; }

}  // namespace sslshim
