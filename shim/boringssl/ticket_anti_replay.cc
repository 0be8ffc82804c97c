#include "boringssl/ticket_anti_replay.h"

#include <openssl/aead.h>
#include <openssl/cipher.h>
#include <openssl/digest.h>
#include <openssl/mem.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>
#include <vector>

#include "boringssl/conn.h"
#include "boringssl/ctx.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {

// --- IssuedTicketSet ----------------------------------------------------------------------------

void IssuedTicketSet::DropExpiredLocked(Clock::time_point now) {
  // Lifetimes can differ (SSL_CTX_set_timeout between tickets), so expired entries are dropped
  // from the front only while the front is expired; later ones go in Take or at capacity.
  while (!by_age_.empty() && by_age_.front().expiry <= now) {
    by_id_.erase(by_age_.front().id);
    by_age_.pop_front();
  }
}

void IssuedTicketSet::Add(const TicketId& id, std::chrono::seconds lifetime, size_t capacity,
                          Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  DropExpiredLocked(now);
  if (by_id_.count(id) != 0) return;  // a random 128-bit id does not repeat; never add twice
  while (capacity != 0 && by_age_.size() >= capacity) {
    by_id_.erase(by_age_.front().id);
    by_age_.pop_front();
  }
  by_age_.push_back(Entry{id, now + lifetime});
  by_id_[id] = std::prev(by_age_.end());
}

bool IssuedTicketSet::Take(const TicketId& id, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  DropExpiredLocked(now);
  auto found = by_id_.find(id);
  if (found == by_id_.end()) return false;
  bool live = found->second->expiry > now;
  by_age_.erase(found->second);
  by_id_.erase(found);
  return live;
}

size_t IssuedTicketSet::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_age_.size();
}

namespace {

// A ticket as the shim seals it: kind (1) | id (16) | nonce (12) | AES-256-GCM of the session,
// tag (16). The kind and id are authenticated as additional data. With the program's ticket key
// callback (reusable tickets only: OpenSSL's stateful ones never reach the callback either):
// kind (1) | OpenSSL's ticket as the core seals it with the callback's keys (ConnObserver::
// SealTicket), which any process whose callback knows the key opens, as with OpenSSL.
enum TicketKind : uint8_t { kReusable = 0, kSingleUse = 1, kProgramKey = 2, kNoTicket = 3 };
constexpr size_t kHeaderLen = 1 + sizeof(TicketId);
constexpr size_t kNonceLen = 12;

struct TicketProtection {
  bssl::ScopedEVP_AEAD_CTX aead;
  IssuedTicketSet issued;
};

void FreeTicketProtection(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*index*/,
                          long /*argl*/, void* /*argp*/) {
  delete static_cast<TicketProtection*>(ptr);
}

int TicketProtectionIndex() {
  static const int index =
      SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeTicketProtection);
  return index;
}

// BoringSSL seals and opens with the method of the context the connection was made from (its
// session context), which SSL_set_SSL_CTX does not change.
TicketProtection* ProtectionFor(const SSL* ssl) {
  return static_cast<TicketProtection*>(
      SSL_CTX_get_ex_data(BoringSslConn::SessionCtxOf(ssl), TicketProtectionIndex()));
}

// Where OpenSSL would keep the stateful ticket's session: its internal server cache, when the
// program's cache mode lets sessions in (ssl_update_cache) and out (lookup_sess_in_cache).
bool CacheModeStores(long mode) {
  return (mode & openssl3::kSSL_SESS_CACHE_SERVER) != 0 &&
         (mode & openssl3::kSSL_SESS_CACHE_NO_INTERNAL_STORE) == 0;
}
bool CacheModeLooksUp(long mode) {
  return (mode & openssl3::kSSL_SESS_CACHE_NO_INTERNAL_LOOKUP) == 0;
}

// Key name, the largest IV, a cipher block of padding and the largest HMAC (OpenSSL's bound).
constexpr size_t kProgramKeyOverhead =
    1 + kTicketKeyNameLength + EVP_MAX_IV_LENGTH + EVP_MAX_BLOCK_LENGTH + EVP_MAX_MD_SIZE;

size_t MaxOverhead(SSL* ssl) {
  if (BoringSslConn::TicketKeyObserver(ssl) != nullptr) return kProgramKeyOverhead;
  return kHeaderLen + kNonceLen + EVP_AEAD_max_overhead(EVP_aead_aes_256_gcm());
}

int SealWithProgramKey(SSL* ssl, ConnObserver* observer, uint8_t* out, size_t* out_len,
                       size_t max_out_len, const uint8_t* in, size_t in_len) {
  std::vector<uint8_t> sealed;
  const int ret = observer->SealTicket(in, in_len, &sealed);
  if (ret < 0 || max_out_len < 1 + sealed.size()) return 0;  // the handshake fails, as OpenSSL's
  if (ret == 0) {
    // The callback asked for no ticket: OpenSSL then sends an empty one at TLS 1.2. TLS 1.3 has
    // no empty ticket, so the client gets one that never resumes.
    out[0] = kNoTicket;
    *out_len = IsTls13(ssl) ? 1 : 0;
    return 1;
  }
  out[0] = kProgramKey;
  memcpy(out + 1, sealed.data(), sealed.size());
  *out_len = 1 + sealed.size();
  return 1;
}

// 1 and 2 (renew) both resume. BoringSSL's ticket method cannot ask for a new ticket: a TLS 1.3
// server sends new ones unless told not to (below), a TLS 1.2 one sends none on resumption, so
// there a renewing answer resumes without a new ticket (the client keeps the one it has).
enum ssl_ticket_aead_result_t OpenWithProgramKey(SSL* ssl, uint8_t* out, size_t* out_len,
                                                 size_t max_out_len, const uint8_t* in,
                                                 size_t in_len) {
  ConnObserver* observer = BoringSslConn::TicketKeyObserver(ssl);
  if (observer == nullptr || in[0] != kProgramKey || BoringSslConn::IssuesSingleUseTickets(ssl)) {
    return ssl_ticket_aead_ignore_ticket;
  }
  std::vector<uint8_t> session;
  const int ret = observer->OpenTicket(in + 1, in_len - 1, &session);
  if (ret < 0) return ssl_ticket_aead_error;
  if (ret == 0 || session.size() > max_out_len) return ssl_ticket_aead_ignore_ticket;
  memcpy(out, session.data(), session.size());
  *out_len = session.size();
  OPENSSL_cleanse(session.data(), session.size());
  // OpenSSL 3 sends no new tickets after a TLS 1.3 resumption the callback did not ask to renew
  // (measured: negotiated_probe's "tickets"); BoringSSL's server would send them unless told.
  if (ret == 1 && IsTls13(ssl)) BoringSslConn::WithholdNewTickets(ssl);
  return ssl_ticket_aead_success;
}

int Seal(SSL* ssl, uint8_t* out, size_t* out_len, size_t max_out_len, const uint8_t* in,
         size_t in_len) {
  TicketProtection* protection = ProtectionFor(ssl);
  if (protection == nullptr || max_out_len < kHeaderLen + kNonceLen) return 0;
  SSL_CTX* session_ctx = BoringSslConn::SessionCtxOf(ssl);
  bool single_use = BoringSslConn::IssuesSingleUseTickets(ssl);
  ConnObserver* program_keys = BoringSslConn::TicketKeyObserver(ssl);
  if (program_keys != nullptr && !single_use) {
    return SealWithProgramKey(ssl, program_keys, out, out_len, max_out_len, in, in_len);
  }
  TicketId id;
  uint8_t nonce[kNonceLen];
  if (!RAND_bytes(id.data(), id.size()) || !RAND_bytes(nonce, sizeof(nonce))) return 0;
  // `in` and `out` may be the same buffer, and the header moves the ciphertext along. The copy
  // holds the session's secret: wiped on every way out.
  std::vector<uint8_t> plaintext(in, in + in_len);
  struct Wipe {
    std::vector<uint8_t>& bytes;
    ~Wipe() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  } wipe{plaintext};
  out[0] = single_use ? kSingleUse : kReusable;
  memcpy(out + 1, id.data(), id.size());
  memcpy(out + kHeaderLen, nonce, sizeof(nonce));
  size_t sealed_len = 0;
  if (!EVP_AEAD_CTX_seal(protection->aead.get(), out + kHeaderLen + kNonceLen, &sealed_len,
                         max_out_len - kHeaderLen - kNonceLen, nonce, sizeof(nonce),
                         plaintext.data(), plaintext.size(), out, kHeaderLen)) {
    return 0;
  }
  *out_len = kHeaderLen + kNonceLen + sealed_len;
  // A single-use ticket that OpenSSL would not have cached is issued all the same and never
  // resumes (as OpenSSL's, whose session is then in no cache).
  if (single_use && CacheModeStores(ProgramSessionCacheMode(session_ctx))) {
    protection->issued.Add(id, std::chrono::seconds(SSL_CTX_get_timeout(session_ctx)),
                           SSL_CTX_sess_get_cache_size(session_ctx));
  }
  return 1;
}

enum ssl_ticket_aead_result_t Open(SSL* ssl, uint8_t* out, size_t* out_len, size_t max_out_len,
                                   const uint8_t* in, size_t in_len) {
  if (in_len > 0 && (in[0] == kProgramKey || in[0] == kNoTicket)) {
    return OpenWithProgramKey(ssl, out, out_len, max_out_len, in, in_len);
  }
  // With the program's callback set, OpenSSL would ask it about this ticket, and it does not
  // know the shim's key: a full handshake.
  if (BoringSslConn::TicketKeyObserver(ssl) != nullptr &&
      !BoringSslConn::IssuesSingleUseTickets(ssl)) {
    return ssl_ticket_aead_ignore_ticket;
  }
  TicketProtection* protection = ProtectionFor(ssl);
  if (protection == nullptr || in_len < kHeaderLen + kNonceLen ||
      (in[0] != kReusable && in[0] != kSingleUse)) {
    return ssl_ticket_aead_ignore_ticket;
  }
  bool ticket_single_use = in[0] == kSingleUse;
  // OpenSSL looks a ticket up in its cache exactly when the connection issues stateful tickets,
  // and otherwise decrypts it: a ticket of the other kind is not found either way.
  if (ticket_single_use != BoringSslConn::IssuesSingleUseTickets(ssl)) {
    return ssl_ticket_aead_ignore_ticket;
  }
  // `in` and `out` may be the same buffer: work from a copy.
  std::vector<uint8_t> ticket(in, in + in_len);
  const uint8_t* nonce = ticket.data() + kHeaderLen;
  const uint8_t* sealed = nonce + kNonceLen;
  if (!EVP_AEAD_CTX_open(protection->aead.get(), out, out_len, max_out_len, nonce, kNonceLen,
                         sealed, ticket.size() - kHeaderLen - kNonceLen, ticket.data(),
                         kHeaderLen)) {
    return ssl_ticket_aead_ignore_ticket;
  }
  if (ticket_single_use) {
    TicketId id;
    memcpy(id.data(), ticket.data() + 1, id.size());
    long mode = ProgramSessionCacheMode(BoringSslConn::SessionCtxOf(ssl));
    // The first use takes the ticket out of the set; a replay finds nothing: a full handshake.
    if (!CacheModeLooksUp(mode) || !protection->issued.Take(id)) {
      return ssl_ticket_aead_ignore_ticket;
    }
  }
  return ssl_ticket_aead_success;
}

const SSL_TICKET_AEAD_METHOD kTicketMethod = {MaxOverhead, Seal, Open};

}  // namespace

bool InstallTicketProtection(SSL_CTX* ctx) {
  uint8_t key[32];
  auto protection = std::make_unique<TicketProtection>();
  bool keyed = RAND_bytes(key, sizeof(key)) &&
               EVP_AEAD_CTX_init(protection->aead.get(), EVP_aead_aes_256_gcm(), key, sizeof(key),
                                 EVP_AEAD_DEFAULT_TAG_LENGTH, nullptr);
  OPENSSL_cleanse(key, sizeof(key));  // the AEAD context keeps its own copy
  if (!keyed || !SSL_CTX_set_ex_data(ctx, TicketProtectionIndex(), protection.get())) return false;
  protection.release();  // the context owns it now (FreeTicketProtection)
  SSL_CTX_set_ticket_aead_method(ctx, &kTicketMethod);
  return true;
}

}  // namespace sslshim::boringssl
