#include "core/handle_table.h"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define SSLSHIM_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSLSHIM_LSAN 1
#endif
#endif
#ifdef SSLSHIM_LSAN
#include <sanitizer/lsan_interface.h>
#endif

uintptr_t sslshim_handle_base = 0;
uintptr_t sslshim_handle_span = 0;

namespace sslshim {
namespace {

// Handles are never reused while an address is left unused: slots are handed out in address
// order, from a region large enough that wrapping around takes 2^37 handles (days at 10^5 new
// connections a second, months at realistic rates). Only then is a slot used again, oldest first,
// skipping live ones. So a pointer kept after SSL_free keeps resolving to a freed slot (kInvalid)
// and can never reach another connection (docs/design-notes.md, "Handles").
//
// The region is address space only (MAP_NORESERVE). Memory follows the live handles: a page whose
// slots have all been handed out and freed is given back (MADV_DONTNEED: it reads as zeros, i.e.
// kFree), and a chunk of them is mapped afresh, which also frees its page tables.
constexpr size_t kSlotsPerPage = 4096 / sizeof(HandleSlot);
constexpr size_t kPagesPerChunk = 512;  // 2 MiB: one page table's reach
constexpr size_t kSlotsPerChunk = kSlotsPerPage * kPagesPerChunk;
// 4 TiB of address space; smaller regions are tried if the system refuses (ulimit -v).
constexpr size_t kRegionBytesWanted[] = {size_t{1} << 42, size_t{1} << 36, size_t{1} << 30,
                                         size_t{1} << 26};

std::mutex g_mutex;
size_t g_slot_count = 0;
size_t g_next = 0;       // the next slot to hand out (wraps to 0 after the last)
bool g_wrapped = false;  // every slot has been handed out once
// Live handles per chunk (8 MiB of counters for the whole region), grown as the bump pointer
// reaches new chunks; leaked on purpose (handles are freed during exit).
std::vector<uint32_t>* g_chunk_live;

HandleSlot* SlotAt(size_t index) {
  return reinterpret_cast<HandleSlot*>(sslshim_handle_base) + index;
}

// Gives back the memory of a chunk, or else of a page, with no live handle that the bump pointer
// has passed (a page is checked by reading its 128 slots).
void ReleaseIfDone(size_t slot_index) {
  const size_t page = slot_index / kSlotsPerPage;
  const size_t chunk = slot_index / kSlotsPerChunk;
  const bool passed_page = g_wrapped || g_next >= (page + 1) * kSlotsPerPage;
  const bool passed_chunk = g_wrapped || g_next >= (chunk + 1) * kSlotsPerChunk;
  if ((*g_chunk_live)[chunk] == 0 && passed_chunk) {
    void* start = SlotAt(chunk * kSlotsPerChunk);
    mmap(start, kSlotsPerChunk * sizeof(HandleSlot), PROT_READ | PROT_WRITE,
         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    return;
  }
  if (!passed_page) return;
  HandleSlot* first = SlotAt(page * kSlotsPerPage);
  for (size_t i = 0; i < kSlotsPerPage; i++) {
    if (first[i].kind.load(std::memory_order_relaxed) != HandleKind::kFree) return;
  }
  madvise(first, kSlotsPerPage * sizeof(HandleSlot), MADV_DONTNEED);
}

// Sanitizer builds: LeakSanitizer must see the objects the handles point to, or every live
// context would be reported as leaked. The part of the region handed out so far is registered
// as a root region, a window at a time (untouched pages read as zeros and cost nothing).
#ifdef SSLSHIM_LSAN
constexpr size_t kLsanWindowSlots = size_t{1} << 21;  // 64 MiB of slots
size_t g_lsan_registered_slots = 0;
void RegisterWithLeakSanitizer(size_t index) {
  while (index >= g_lsan_registered_slots && g_lsan_registered_slots < g_slot_count) {
    __lsan_register_root_region(SlotAt(g_lsan_registered_slots),
                                kLsanWindowSlots * sizeof(HandleSlot));
    g_lsan_registered_slots += kLsanWindowSlots;
  }
}
#else
void RegisterWithLeakSanitizer(size_t) {}
#endif

// A child of fork() must not inherit the lock held by another thread of its parent.
void LockForFork() { g_mutex.lock(); }
void UnlockAfterFork() { g_mutex.unlock(); }

}  // namespace

bool InitHandleTable() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (sslshim_handle_base != 0) return true;
  for (size_t bytes : kRegionBytesWanted) {
    void* region = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED) continue;
    g_slot_count = bytes / sizeof(HandleSlot);
    g_chunk_live = new std::vector<uint32_t>();
    sslshim_handle_base = reinterpret_cast<uintptr_t>(region);
    sslshim_handle_span = bytes;
    pthread_atfork(LockForFork, UnlockAfterFork, UnlockAfterFork);
    return true;
  }
  return false;
}

void* NewHandle(HandleKind kind, void* object) {
  if (sslshim_handle_base == 0 && !InitHandleTable()) return nullptr;
  HandleSlot* slot = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    // At most one full turn: after the wrap, live slots are skipped.
    for (size_t tried = 0; tried < g_slot_count && slot == nullptr; tried++) {
      const size_t index = g_next;
      g_next = g_next + 1 == g_slot_count ? 0 : g_next + 1;
      if (g_next == 0) g_wrapped = true;
      const size_t chunk = index / kSlotsPerChunk;
      if (chunk >= g_chunk_live->size()) g_chunk_live->resize(chunk + 1, 0);
      HandleSlot* candidate = SlotAt(index);
      if (candidate->kind.load(std::memory_order_acquire) != HandleKind::kFree) continue;
      (*g_chunk_live)[chunk]++;
      RegisterWithLeakSanitizer(index);
      slot = candidate;
    }
    if (slot == nullptr) return nullptr;
    slot->object = object;
    slot->kind.store(kind, std::memory_order_release);
  }
  return slot;
}

void FreeHandle(void* handle) {
  if (!IsOurs(handle)) return;
  auto* slot = static_cast<HandleSlot*>(handle);
  std::lock_guard<std::mutex> lock(g_mutex);
  if (slot->kind.load(std::memory_order_acquire) == HandleKind::kFree) return;  // freed already
  slot->kind.store(HandleKind::kFree, std::memory_order_release);
  slot->object = nullptr;
  const size_t index = static_cast<size_t>(slot - SlotAt(0));
  (*g_chunk_live)[index / kSlotsPerChunk]--;
  ReleaseIfDone(index);
}

}  // namespace sslshim
