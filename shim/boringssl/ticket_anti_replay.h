// OpenSSL's early-data anti-replay for the BoringSSL backend: single-use TLS 1.3 tickets.
//
// OpenSSL's server, while a connection allows early data (max_early_data > 0) and
// SSL_OP_NO_ANTI_REPLAY is off, issues stateful TLS 1.3 tickets: the ticket names a session in
// the server's cache, and its first use removes it, so a second use finds nothing and gets a full
// handshake (no resumption, no early data). BoringSSL's tickets carry the whole session and leave
// anti-replay to the application. The shim seals every ticket itself
// (SSL_CTX_set_ticket_aead_method) and, for such connections, marks the ticket single-use and
// records its id in a per-context set of issued tickets standing in for OpenSSL's session cache:
// opening it takes the id out, so only the first use resumes. docs/design-notes.md, "Early data",
// has the rule.
#ifndef SSLSHIM_BORINGSSL_TICKET_ANTI_REPLAY_H_
#define SSLSHIM_BORINGSSL_TICKET_ANTI_REPLAY_H_

#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>

namespace sslshim::boringssl {

using TicketId = std::array<uint8_t, 16>;

// The single-use tickets a context issued and that were not used yet: OpenSSL's server session
// cache as far as stateful tickets go. Thread-safe. Bounded by count and by time: an entry
// expires with its ticket's lifetime, and when `capacity` entries are live the oldest is dropped
// (OpenSSL's cache drops its oldest session when full): a dropped ticket then gets a full
// handshake, never a second acceptance. A capacity of 0 means no count limit (as OpenSSL's
// SSL_CTX_sess_set_cache_size(ctx, 0)).
class IssuedTicketSet {
 public:
  using Clock = std::chrono::steady_clock;

  void Add(const TicketId& id, std::chrono::seconds lifetime, size_t capacity,
           Clock::time_point now = Clock::now());
  // True once for an id that was added, has not expired and was not taken or dropped before.
  bool Take(const TicketId& id, Clock::time_point now = Clock::now());
  size_t size() const;

 private:
  struct Entry {
    TicketId id;
    Clock::time_point expiry;
  };
  void DropExpiredLocked(Clock::time_point now);

  mutable std::mutex mutex_;
  std::list<Entry> by_age_;  // oldest first
  std::map<TicketId, std::list<Entry>::iterator> by_id_;
};

// Installs the shim's ticket sealing on a new context: a random AES-256-GCM key made now (so
// that processes forked afterwards, nginx's workers, open each other's tickets, as with OpenSSL's
// keys made with the context) and the context's issued-ticket set. False if no key could be made.
bool InstallTicketProtection(SSL_CTX* ctx);

}  // namespace sslshim::boringssl

#endif  // SSLSHIM_BORINGSSL_TICKET_ANTI_REPLAY_H_
