// The DANE records and digests of core/dane.h, with OpenSSL 3's checks, order and reasons
// (ssl/ssl_lib.c: dane_ctx_enable, dane_mtype_set, dane_tlsa_add, ssl_dane_dup).
#include "core/dane.h"

#include <openssl/err.h>
#include <openssl/sslerr.h>

#include <cstring>
#include <limits>
#include <utility>

#include "core/errors.h"
#include "core/objects.h"

namespace sslshim {
namespace {

using dane_layout::Record;

constexpr uint8_t kUsageDaneTa = 2;
constexpr uint8_t kUsageLast = 3;
constexpr uint8_t kSelectorCert = 0;
constexpr uint8_t kSelectorSpki = 1;
constexpr uint8_t kSelectorLast = kSelectorSpki;
constexpr uint8_t kMatchingFull = 0;
constexpr uint8_t kMatchingLast = 2;
// The trust-anchor usages PKIX-TA(0) and DANE-TA(2), as bits (DANETLS_TA_MASK).
constexpr uint32_t kTrustAnchorUsages = (1u << 0) | (1u << kUsageDaneTa);

void FreeRecord(Record* record) {
  if (record == nullptr) return;
  OPENSSL_free(record->data);
  EVP_PKEY_free(record->spki);
  OPENSSL_free(record);
}

// The *_dane_set_flags / _clear_flags answer: the flags before.
unsigned long ChangeFlags(unsigned long* flags, unsigned long set, unsigned long clear) {
  const unsigned long before = *flags;
  *flags = (before | set) & ~clear;
  return before;
}

Record* RecordAt(OPENSSL_STACK* records, int i) {
  return static_cast<Record*>(OPENSSL_sk_value(records, i));
}

}  // namespace

// --- ContextDane ------------------------------------------------------------------------------

ContextDane::~ContextDane() {
  OPENSSL_free(digests_.mdevp);
  OPENSSL_free(digests_.mdord);
}

int ContextDane::Enable() {
  if (digests_.mdevp != nullptr) return 1;
  const int n = kMatchingLast + 1;
  auto* mdevp = static_cast<const EVP_MD**>(OPENSSL_zalloc(n * sizeof(*digests_.mdevp)));
  auto* mdord = static_cast<uint8_t*>(OPENSSL_zalloc(n * sizeof(*digests_.mdord)));
  if (mdevp == nullptr || mdord == nullptr) {
    OPENSSL_free(mdevp);
    OPENSSL_free(mdord);
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_CTX_dane_enable");
    return 0;
  }
  // SHA2-256(1) before SHA2-512(2) in preference, as OpenSSL's defaults.
  const struct {
    uint8_t mtype;
    uint8_t ord;
    int nid;
  } defaults[] = {{1, 1, NID_sha256}, {2, 2, NID_sha512}};
  for (const auto& d : defaults) {
    if (const EVP_MD* md = EVP_get_digestbynid(d.nid)) {
      mdevp[d.mtype] = md;
      mdord[d.mtype] = d.ord;
    }
  }
  digests_.mdevp = mdevp;
  digests_.mdord = mdord;
  digests_.mdmax = kMatchingLast;
  return 1;
}

int ContextDane::SetMatchingType(const EVP_MD* md, uint8_t mtype, uint8_t ord) {
  static constexpr char kFunc[] = "SSL_CTX_dane_mtype_set";
  if (mtype == kMatchingFull && md != nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_CANNOT_OVERRIDE_MTYPE_FULL, kFunc);
    return 0;
  }
  // Grow the tables to `mtype`. OpenSSL writes through its null table when the context has none
  // and `mtype` is 0 (a crash); here the table is made first.
  if (mtype > digests_.mdmax || digests_.mdevp == nullptr) {
    const size_t n = static_cast<size_t>(mtype) + 1;
    const size_t old_n = digests_.mdevp == nullptr ? 0 : static_cast<size_t>(digests_.mdmax) + 1;
    auto* mdevp =
        static_cast<const EVP_MD**>(OPENSSL_realloc(digests_.mdevp, n * sizeof(*digests_.mdevp)));
    if (mdevp == nullptr) {
      PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, kFunc);
      return -1;
    }
    digests_.mdevp = mdevp;
    auto* mdord = static_cast<uint8_t*>(OPENSSL_realloc(digests_.mdord, n));
    if (mdord == nullptr) {
      PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, kFunc);
      return -1;
    }
    digests_.mdord = mdord;
    for (size_t i = old_n; i < n; i++) {
      mdevp[i] = nullptr;
      mdord[i] = 0;
    }
    if (mtype > digests_.mdmax) digests_.mdmax = mtype;
  }
  digests_.mdevp[mtype] = md;
  // A disabled matching type has no preference.
  digests_.mdord[mtype] = md == nullptr ? 0 : ord;
  return 1;
}

unsigned long ContextDane::SetFlags(unsigned long flags) {
  return ChangeFlags(&digests_.flags, flags, 0);
}

unsigned long ContextDane::ClearFlags(unsigned long flags) {
  return ChangeFlags(&digests_.flags, 0, flags);
}

// --- ConnectionDane ---------------------------------------------------------------------------

ConnectionDane::~ConnectionDane() { Release(); }

void ConnectionDane::Release() {
  if (state_.trecs != nullptr) {
    for (int i = 0; i < OPENSSL_sk_num(state_.trecs); i++) FreeRecord(RecordAt(state_.trecs, i));
    OPENSSL_sk_free(state_.trecs);
  }
  sk_X509_pop_free(state_.certs, X509_free);
  X509_free(state_.mcert);
  const unsigned long flags = state_.flags;
  state_ = dane_layout::State{nullptr, nullptr, nullptr, nullptr, nullptr, 0, -1, -1, flags};
  if (context_ != nullptr) CtxRelease(context_);
  context_ = nullptr;
}

bool ConnectionDane::enabled() const {
  return state_.trecs != nullptr && OPENSSL_sk_num(state_.trecs) > 0;
}

bool ConnectionDane::Start(Ctx* context) {
  Release();
  state_.trecs = OPENSSL_sk_new_null();
  if (state_.trecs == nullptr) return false;
  CtxUpRef(context);
  context_ = context;
  state_.dctx = &context->dane.digests_;
  return true;
}

int ConnectionDane::AddRecord(uint8_t usage, uint8_t selector, uint8_t mtype,
                              const unsigned char* data, size_t dlen, const char* func) {
  if (state_.trecs == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_NOT_ENABLED, func);
    return -1;
  }
  if (dlen > static_cast<size_t>(std::numeric_limits<int>::max())) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_DATA_LENGTH, func);
    return 0;
  }
  const int ilen = static_cast<int>(dlen);
  if (usage > kUsageLast) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_CERTIFICATE_USAGE, func);
    return 0;
  }
  if (selector > kSelectorLast) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_SELECTOR, func);
    return 0;
  }
  const dane_layout::Digests* digests = state_.dctx;
  const EVP_MD* md = nullptr;
  if (mtype != kMatchingFull) {
    md = mtype <= digests->mdmax ? digests->mdevp[mtype] : nullptr;
    if (md == nullptr) {
      PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_MATCHING_TYPE, func);
      return 0;
    }
  }
  if (md != nullptr && dlen != static_cast<size_t>(EVP_MD_get_size(md))) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_DIGEST_LENGTH, func);
    return 0;
  }
  if (data == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_NULL_DATA, func);
    return 0;
  }

  // libcrypto's allocator makes nothing of 0 bytes: an empty Full(0) record is refused as out of
  // memory, as OpenSSL's.
  auto* record = static_cast<Record*>(OPENSSL_zalloc(sizeof(Record)));
  if (record == nullptr ||
      (record->data = static_cast<unsigned char*>(OPENSSL_malloc(dlen))) == nullptr) {
    FreeRecord(record);
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return -1;
  }
  std::memcpy(record->data, data, dlen);
  record->usage = usage;
  record->selector = selector;
  record->mtype = mtype;
  record->dlen = dlen;

  // A full certificate or key must parse; a trust anchor's is kept for chains that lack it.
  if (mtype == kMatchingFull) {
    const unsigned char* p = data;
    if (selector == kSelectorCert) {
      UniquePtr<X509> cert(d2i_X509(nullptr, &p, ilen));
      if (cert == nullptr || p != data + dlen || X509_get0_pubkey(cert.get()) == nullptr) {
        FreeRecord(record);
        PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_CERTIFICATE, func);
        return 0;
      }
      // A DANE-EE or PKIX-EE record's certificate is not kept: the peer always presents its own,
      // and the record is matched as bytes.
      if (((1u << usage) & kTrustAnchorUsages) != 0 &&
          ((state_.certs == nullptr && (state_.certs = sk_X509_new_null()) == nullptr) ||
           !PushToStack(state_.certs, std::move(cert)))) {
        FreeRecord(record);
        PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
        return -1;
      }
    } else {
      UniquePtr<EVP_PKEY> key(d2i_PUBKEY(nullptr, &p, ilen));
      if (key == nullptr || p != data + dlen) {
        FreeRecord(record);
        PushError(ERR_LIB_SSL, SSL_R_DANE_TLSA_BAD_PUBLIC_KEY, func);
        return 0;
      }
      if (usage == kUsageDaneTa) record->spki = key.release();
    }
  }

  // libcrypto's matching expects DANE-EE(3) first (no chain to build), then descending usage,
  // selector and matching preference (digest agility).
  const int num = OPENSSL_sk_num(state_.trecs);
  int at = 0;
  for (; at < num; ++at) {
    const Record* r = RecordAt(state_.trecs, at);
    if (r->usage > usage) continue;
    if (r->usage < usage) break;
    if (r->selector > selector) continue;
    if (r->selector < selector) break;
    if (digests->mdord[r->mtype] > digests->mdord[mtype]) continue;
    break;
  }
  if (!OPENSSL_sk_insert(state_.trecs, record, at)) {
    FreeRecord(record);
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return -1;
  }
  state_.umask |= 1u << usage;
  return 1;
}

bool ConnectionDane::CopyFrom(const ConnectionDane& from, Ctx* context, const char* func) {
  if (!from.enabled()) return true;
  Release();
  state_.flags = from.state_.flags;
  if (!Start(context)) {
    PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
    return false;
  }
  for (int i = 0; i < OPENSSL_sk_num(from.state_.trecs); i++) {
    const Record* r = RecordAt(from.state_.trecs, i);
    if (AddRecord(r->usage, r->selector, r->mtype, r->data, r->dlen, func) <= 0) return false;
  }
  return true;
}

void ConnectionDane::ForgetMatch() {
  state_.mdpth = -1;
  state_.pdpth = -1;
  X509_free(state_.mcert);
  state_.mcert = nullptr;
  state_.mtlsa = nullptr;
}

int ConnectionDane::Authority(long verify_result, X509** mcert, EVP_PKEY** mspki) const {
  if (!enabled() || verify_result != X509_V_OK) return -1;
  if (state_.mtlsa != nullptr) {
    if (mcert != nullptr) *mcert = state_.mcert;
    if (mspki != nullptr) *mspki = state_.mcert == nullptr ? state_.mtlsa->spki : nullptr;
  }
  return state_.mdpth;
}

int ConnectionDane::MatchedRecord(long verify_result, uint8_t* usage, uint8_t* selector,
                                  uint8_t* mtype, const unsigned char** data, size_t* dlen) const {
  if (!enabled() || verify_result != X509_V_OK) return -1;
  if (const Record* r = state_.mtlsa) {
    if (usage != nullptr) *usage = r->usage;
    if (selector != nullptr) *selector = r->selector;
    if (mtype != nullptr) *mtype = r->mtype;
    if (data != nullptr) *data = r->data;
    if (dlen != nullptr) *dlen = r->dlen;
  }
  return state_.mdpth;
}

unsigned long ConnectionDane::SetFlags(unsigned long flags) {
  return ChangeFlags(&state_.flags, flags, 0);
}

unsigned long ConnectionDane::ClearFlags(unsigned long flags) {
  return ChangeFlags(&state_.flags, 0, flags);
}

}  // namespace sslshim
