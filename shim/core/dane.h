// DANE (RFC 6698, RFC 7671) as OpenSSL 3 offers it to a client: the program's TLSA records are
// kept in the layout the program's libcrypto reads through an SSL_DANE pointer
// (X509_STORE_CTX_set0_dane), so that the peer's verification (core/verify.cc, the program's
// X509_verify_cert) matches them exactly as under OpenSSL's libssl. No backend sees DANE: the
// chain the backend hands over is verified, and refused, by the program's libcrypto.
#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>

namespace sslshim {

class Ctx;

// libcrypto's view of the DANE state, field for field: OpenSSL 3's include/internal/dane.h
// (unchanged since 1.1.0). crypto/x509/x509_vfy.c reads the records and digests and writes the
// match (mtlsa, mcert, mdpth, pdpth) through the SSL_DANE pointer, so neither order nor types may
// change.
namespace dane_layout {

struct Record {
  uint8_t usage;
  uint8_t selector;
  uint8_t mtype;
  unsigned char* data;
  size_t dlen;
  EVP_PKEY* spki;  // a DANE-TA(2) SPKI(1) Full(0) record's key, else null
};

struct Digests {
  const EVP_MD** mdevp;  // matching type -> digest (null: disabled)
  uint8_t* mdord;        // matching type -> preference
  uint8_t mdmax;         // highest matching type known (0: DANE not enabled on the context)
  unsigned long flags;
};

struct State {
  Digests* dctx;
  OPENSSL_STACK* trecs;    // of Record*, in OpenSSL's order; null until SSL_dane_enable
  STACK_OF(X509) * certs;  // the certificates of DANE-TA(2) Cert(0) Full(0) records
  Record* mtlsa;           // the record the last verification matched
  X509* mcert;             // the certificate it matched
  uint32_t umask;          // the usages present, as bits
  int mdpth;               // depth of the matched certificate (-1: none)
  int pdpth;               // depth of PKIX trust (-1: none)
  unsigned long flags;
};

}  // namespace dane_layout

// A context's DANE settings: the digest of each matching type (SSL_CTX_dane_enable,
// SSL_CTX_dane_mtype_set) and the flags its connections start with.
class ContextDane {
 public:
  ContextDane() = default;
  ~ContextDane();
  ContextDane(const ContextDane&) = delete;
  ContextDane& operator=(const ContextDane&) = delete;

  // SSL_CTX_dane_enable: SHA-256 for matching type 1 and SHA-512 for 2. 1, or 0 with the reason
  // queued; nothing changes once the table exists.
  int Enable();
  // SSL_CTX_dane_mtype_set: 1, 0 (Full(0) cannot take a digest) or -1, with the reason queued.
  int SetMatchingType(const EVP_MD* md, uint8_t mtype, uint8_t ord);
  // What SSL_dane_enable requires.
  bool enabled() const { return digests_.mdmax != 0; }
  // SSL_CTX_dane_set_flags / _clear_flags: the flags before.
  unsigned long SetFlags(unsigned long flags);
  unsigned long ClearFlags(unsigned long flags);
  unsigned long flags() const { return digests_.flags; }

 private:
  friend class ConnectionDane;
  dane_layout::Digests digests_{};
};

// A connection's TLSA records and what its last verification matched (SSL_dane_enable,
// SSL_dane_tlsa_add, SSL_get0_dane_authority, SSL_get0_dane_tlsa).
class ConnectionDane {
 public:
  ConnectionDane() = default;
  ~ConnectionDane();
  ConnectionDane(const ConnectionDane&) = delete;
  ConnectionDane& operator=(const ConnectionDane&) = delete;

  // OpenSSL's DANETLS_ENABLED: at least one record, so verification goes by DANE.
  bool enabled() const;
  // SSL_dane_enable has run.
  bool started() const { return state_.trecs != nullptr; }
  // SSL_dane_enable, after its checks: records may be added, matched with `context`'s digests
  // (held by a reference until this is freed). False when out of memory.
  bool Start(Ctx* context);
  // SSL_dane_tlsa_add: 1; 0 for a record OpenSSL rejects; -1 when DANE is not enabled on this
  // connection or memory ran out. The reason is queued for `func`.
  int AddRecord(uint8_t usage, uint8_t selector, uint8_t mtype, const unsigned char* data,
                size_t dlen, const char* func);
  // SSL_dup: `from`'s flags and records, on a copy whose context is `context`. False with the
  // reason queued. A source without records leaves this as SSL_new made it.
  bool CopyFrom(const ConnectionDane& from, Ctx* context, const char* func);
  // SSL_clear: the last verification's match is forgotten; the records stay.
  void ForgetMatch();

  // SSL_get0_dane_authority / SSL_get0_dane_tlsa for a connection whose verification ended with
  // `verify_result`: the matched depth, or -1 when DANE is off or verification failed.
  int Authority(long verify_result, X509** mcert, EVP_PKEY** mspki) const;
  int MatchedRecord(long verify_result, uint8_t* usage, uint8_t* selector, uint8_t* mtype,
                    const unsigned char** data, size_t* dlen) const;

  unsigned long SetFlags(unsigned long flags);
  unsigned long ClearFlags(unsigned long flags);
  void set_flags(unsigned long flags) { state_.flags = flags; }

  // What SSL_get0_dane returns, and what verification hands to X509_STORE_CTX_set0_dane.
  SSL_DANE* api() { return reinterpret_cast<SSL_DANE*>(&state_); }

 private:
  void Release();

  dane_layout::State state_{nullptr, nullptr, nullptr, nullptr, nullptr, 0, -1, -1, 0};
  Ctx* context_ = nullptr;  // whose digests `state_.dctx` points at; holds a reference
};

}  // namespace sslshim
