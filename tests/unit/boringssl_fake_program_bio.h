// A stand-in for the program's OpenSSL BIOs in the BoringSSL backend's tests: an in-memory duplex
// pipe end with a bounded outgoing queue, reached only through ProgramBioOps, as the core's BIOs
// are. Retry flags and reference counts behave as OpenSSL's BIO pair does.
#pragma once

#include <cstddef>
#include <deque>

#include "backend/backend.h"

namespace sslshim::testing_support {

struct ByteQueue {
  std::deque<char> bytes;
  size_t capacity = 1 << 20;
};

struct FakeBio {
  ByteQueue* in = nullptr;   // what this end reads
  ByteQueue* out = nullptr;  // what this end writes
  int refs = 1;
  int retry_flags = 0;  // kBioRetry* after the last read/write returned <= 0
  int flushes = 0;
  bool eof = false;    // reading an empty queue gives 0 (transport closed) instead of a retry
  bool freed = false;  // refs reached zero through free_all
};

// The ProgramBioOps over FakeBio (the `bio` pointers are FakeBio*).
const ProgramBioOps* FakeBioOps();

}  // namespace sslshim::testing_support
