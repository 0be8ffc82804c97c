// The handle table (shim/core/handle_table.h): a pointer kept after its object was freed must
// never reach another live object, however many objects are made after it, and the memory behind
// freed handles goes back to the system.
#include "core/handle_table.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace sslshim {
namespace {

// Pages of [begin, end) the process has in memory.
size_t ResidentPages(uintptr_t begin, uintptr_t end) {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  begin &= ~(page - 1);
  std::vector<unsigned char> vec((end - begin + page - 1) / page);
  if (mincore(reinterpret_cast<void*>(begin), end - begin, vec.data()) != 0) return SIZE_MAX;
  size_t resident = 0;
  for (unsigned char v : vec) resident += v & 1;
  return resident;
}

TEST(HandleTable, AStaleHandleNeverReachesAnotherObjectInAMillionCycles) {
  int first = 0, other = 0;
  void* stale = NewHandle(HandleKind::kSsl, &first);
  ASSERT_NE(stale, nullptr);
  FreeHandle(stale);
  void* lowest = nullptr;
  void* highest = nullptr;
  // A long-lived object (a context) among the churn, as in a server.
  void* context = NewHandle(HandleKind::kCtx, &other);
  constexpr int kCycles = 1000000;
  for (int i = 0; i < kCycles; i++) {
    void* h = NewHandle(HandleKind::kSsl, &other);
    ASSERT_NE(h, nullptr);
    ASSERT_NE(h, stale) << "a freed address was handed out again after " << i << " handles";
    if (i == 0) lowest = h;
    highest = h;
    ASSERT_EQ((Resolve<int>(stale, HandleKind::kSsl).state), HandleState::kInvalid);
    FreeHandle(h);
  }
  EXPECT_EQ((Resolve<int>(context, HandleKind::kCtx).state), HandleState::kLive);
  // A million freed handles leave almost nothing in memory: the live context's page and the
  // pages the bump pointer has not passed yet.
  size_t resident = ResidentPages(reinterpret_cast<uintptr_t>(lowest),
                                  reinterpret_cast<uintptr_t>(highest) + sizeof(HandleSlot));
  EXPECT_LE(resident, 4u) << "of " << (kCycles * sizeof(HandleSlot)) / 4096 << " pages used";
  FreeHandle(context);
}

TEST(HandleTable, FreeingTwiceIsHarmless) {
  int object = 0;
  void* h = NewHandle(HandleKind::kSession, &object);
  FreeHandle(h);
  FreeHandle(h);
  void* next = NewHandle(HandleKind::kSession, &object);
  EXPECT_NE(next, h);
  EXPECT_EQ((Resolve<int>(next, HandleKind::kSession).state), HandleState::kLive);
  FreeHandle(next);
}

}  // namespace
}  // namespace sslshim
