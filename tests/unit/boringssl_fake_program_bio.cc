#include "boringssl_fake_program_bio.h"

#include <algorithm>

namespace sslshim::testing_support {
namespace {

constexpr int kOpenSslCtrlFlush = 11;  // OpenSSL's BIO_CTRL_FLUSH

FakeBio* AsFake(void* bio) { return static_cast<FakeBio*>(bio); }

int Read(void* bio, char* out, int len) {
  FakeBio* fake = AsFake(bio);
  fake->retry_flags = 0;
  if (fake->in->bytes.empty()) {
    if (fake->eof) return 0;
    fake->retry_flags = kBioRetry | kBioRetryRead;
    return -1;
  }
  int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(len), fake->in->bytes.size()));
  std::copy_n(fake->in->bytes.begin(), n, out);
  fake->in->bytes.erase(fake->in->bytes.begin(), fake->in->bytes.begin() + n);
  return n;
}

int Write(void* bio, const char* in, int len) {
  FakeBio* fake = AsFake(bio);
  fake->retry_flags = 0;
  size_t room = fake->out->capacity - std::min(fake->out->capacity, fake->out->bytes.size());
  if (room == 0) {
    fake->retry_flags = kBioRetry | kBioRetryWrite;
    return -1;
  }
  int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(len), room));
  fake->out->bytes.insert(fake->out->bytes.end(), in, in + n);
  return n;
}

long Ctrl(void* bio, int cmd, long /*larg*/, void* /*parg*/) {
  if (cmd == kOpenSslCtrlFlush) {
    AsFake(bio)->flushes++;
    return 1;
  }
  return 0;
}

int RetryFlags(void* bio) { return AsFake(bio)->retry_flags; }

void FreeAll(void* bio) {
  FakeBio* fake = AsFake(bio);
  if (--fake->refs == 0) fake->freed = true;
}

int UpRef(void* bio) {
  AsFake(bio)->refs++;
  return 1;
}

constexpr ProgramBioOps kFakeBioOps = {Read, Write, Ctrl, RetryFlags, FreeAll, UpRef};

}  // namespace

const ProgramBioOps* FakeBioOps() { return &kFakeBioOps; }

}  // namespace sslshim::testing_support
