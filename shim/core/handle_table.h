// Handles: the pointers the shim gives the program as SSL*, SSL_CTX*, SSL_METHOD*, SSL_CIPHER*.
//
// Every handle is the address of a slot in one region of address space the shim reserves at load.
// "Did I make this?" (docs/design-notes.md) is then one subtraction and one comparison — no lock,
// no allocation, no read of a foreign object — and the answer is exact: an object of the real
// libssl can never lie inside our region. A slot also records what it holds, so a freed handle,
// or an SSL* passed where an SSL_CTX* belongs, is caught; and since no address is used twice
// before 2^37 handles have been made (handle_table.cc), a pointer kept after SSL_free can never
// reach another connection.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

extern "C" {
// Read by the assembly guards (abi/guards) as well as by C++: where the region starts and its size.
extern uintptr_t sslshim_handle_base;
extern uintptr_t sslshim_handle_span;
}

namespace sslshim {

enum class HandleKind : uint32_t { kFree = 0, kMethod, kCtx, kSsl, kCipher, kSession, kConfCtx };

struct alignas(32) HandleSlot {
  std::atomic<HandleKind> kind{HandleKind::kFree};
  void* object = nullptr;
};

// True when `p` points into the shim's region (it may still be a freed or mistyped handle).
inline bool IsOurs(const void* p) {
  return reinterpret_cast<uintptr_t>(p) - sslshim_handle_base < sslshim_handle_span;
}

// What a pointer handed to an exported function turned out to be.
enum class HandleState { kForeign, kLive, kInvalid };

template <typename T>
struct Resolved {
  HandleState state;
  T* object;  // set when state == kLive
};

// The object behind a live handle of the given kind; kInvalid for a freed, mistyped or misaligned
// pointer into our region; kForeign for anything else, including nullptr.
template <typename T>
inline Resolved<T> Resolve(const void* p, HandleKind kind) {
  if (!IsOurs(p)) return {HandleState::kForeign, nullptr};
  auto offset = reinterpret_cast<uintptr_t>(p) - sslshim_handle_base;
  if (offset % sizeof(HandleSlot) != 0) return {HandleState::kInvalid, nullptr};
  auto* slot = static_cast<const HandleSlot*>(p);
  if (slot->kind.load(std::memory_order_acquire) != kind) return {HandleState::kInvalid, nullptr};
  return {HandleState::kLive, static_cast<T*>(slot->object)};
}

// Allocates a slot for `object`; nullptr when the region is exhausted.
void* NewHandle(HandleKind kind, void* object);
// Marks the slot free (it will be reused only after every older free slot).
void FreeHandle(void* handle);
// Reserves the region; idempotent. Runs from the library's constructor.
bool InitHandleTable();

}  // namespace sslshim
