#include "core/handle_table.h"

#include <sys/mman.h>

#include <deque>
#include <mutex>

uintptr_t sslshim_handle_base = 0;
uintptr_t sslshim_handle_span = 0;

namespace sslshim {
namespace {

// 2^21 slots of 32 bytes: 64 MiB of address space, reserved without backing memory
// (MAP_NORESERVE); pages are touched only as slots are used.
constexpr size_t kSlotCount = size_t{1} << 21;
constexpr size_t kQuarantine = 4096;

std::mutex g_mutex;
size_t g_next_unused = 0;               // slots [0, g_next_unused) have been handed out once
std::deque<HandleSlot*>* g_free_slots;  // oldest-freed first; leaked on purpose (used at exit)

}  // namespace

bool InitHandleTable() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (sslshim_handle_base != 0) return true;
  size_t bytes = kSlotCount * sizeof(HandleSlot);
  void* region = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED) return false;
  g_free_slots = new std::deque<HandleSlot*>();
  sslshim_handle_base = reinterpret_cast<uintptr_t>(region);
  sslshim_handle_span = bytes;
  return true;
}

void* NewHandle(HandleKind kind, void* object) {
  if (sslshim_handle_base == 0 && !InitHandleTable()) return nullptr;
  HandleSlot* slot = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    // A freed slot is reused only after kQuarantine later frees (or when the region is full), so
    // a stale handle stays detectable for a while, yet a busy server's footprint stays bounded.
    if (g_free_slots->size() > kQuarantine) {
      slot = g_free_slots->front();
      g_free_slots->pop_front();
    } else if (g_next_unused < kSlotCount) {
      slot = reinterpret_cast<HandleSlot*>(sslshim_handle_base) + g_next_unused++;
    } else if (!g_free_slots->empty()) {
      slot = g_free_slots->front();
      g_free_slots->pop_front();
    } else {
      return nullptr;
    }
  }
  slot->object = object;
  slot->kind.store(kind, std::memory_order_release);
  return slot;
}

void FreeHandle(void* handle) {
  if (!IsOurs(handle)) return;
  auto* slot = static_cast<HandleSlot*>(handle);
  slot->kind.store(HandleKind::kFree, std::memory_order_release);
  slot->object = nullptr;
  std::lock_guard<std::mutex> lock(g_mutex);
  g_free_slots->push_back(slot);
}

}  // namespace sslshim
