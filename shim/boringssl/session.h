// A BoringSSL SSL_SESSION behind the core's BackendSession, and the reverse of its encoding.
#pragma once

#include <openssl/bytestring.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace sslshim::boringssl {

class BoringSslSession final : public BackendSession {
 public:
  // `hostname` is the SNI the session was made for: BoringSSL's SSL_SESSION does not keep it, so
  // the connection that produced the session supplies it ("" when unknown, e.g. after parsing).
  // `secret_shown` false: MasterKey answers 0, as OpenSSL's does for a session without one.
  BoringSslSession(bssl::UniquePtr<SSL_SESSION> session, std::string hostname,
                   bool secret_shown = true);

  // The BoringSSL session (for SSL_set_session); the object keeps its own reference.
  SSL_SESSION* get() const { return session_.get(); }

  // SSL_SESSION_to_bytes: BoringSSL's own encoding, read back by ParseBoringSslSession, with the
  // ALPN protocol the connection or the program gave a session BoringSSL keeps none in.
  std::vector<uint8_t> Serialize() const override;
  std::vector<uint8_t> Id() const override;
  long Time() const override;
  long Timeout() const override;
  void SetTime(long time) override;
  void SetTimeout(long timeout) override;
  // The session is a server's: SetTime and SetTimeout reach BoringSSL's own fields, which its
  // server cache checks. A client's stay in the shim, since BoringSSL's client would stop
  // offering a session they make expired, where OpenSSL's offers it all the same.
  void MarkServer() { server_ = true; }
  bool HasTicket() const override;
  unsigned long TicketLifetimeHint() const override;
  int ProtocolVersion() const override;
  std::string Hostname() const override { return hostname_; }
  bool SetHostname(const std::string& hostname) override {
    hostname_ = hostname;
    return true;
  }
  bool IsResumable() const override;
  // BoringSSL keeps the ALPN protocol in a TLS 1.3 session only (for early data); a TLS 1.2
  // session's comes from the connection that made it (SetAlpnSelected), as the hostname does.
  std::vector<uint8_t> AlpnSelected() const override;  // session_fields.cc
  bool SetAlpnSelected(const std::vector<uint8_t>& alpn) override {
    alpn_ = alpn;
    return true;
  }
  size_t MasterKey(uint8_t out[kMaxMasterKeyLength]) const override;
  Facts Describe() const override;  // session_encoding.cc
  // A live connection's own verification result (the shim verifies with the program's
  // libcrypto; BoringSSL's session records only its custom callback's yes or no).
  void SetVerifyResult(long result) { verify_result_ = result; }
  // Early data (session_early_data.cc): BoringSSL has no accessor, so both read and rewrite the
  // session's own encoding.
  uint32_t MaxEarlyData() const override;
  std::unique_ptr<BackendSession> WithMaxEarlyData(uint32_t max) const override;
  bool SetId(const uint8_t* id, size_t len) override;
  bool SetIdContext(const uint8_t* sid_ctx, size_t len) override;
  bool SetProtocolVersion(int version) override;
  // session_fields.cc: BoringSSL has no setter for either, so the session is read back from its
  // own encoding with the field replaced.
  bool SetCipher(uint16_t value) override;
  bool SetMasterKey(const uint8_t* key, size_t len) override;

 private:
  // Puts the held cipher and secret into the session once it has a cipher and a version;
  // false if BoringSSL does not read the result back.
  bool ApplyHeldFields();

  bssl::UniquePtr<SSL_SESSION> session_;
  std::string hostname_;
  std::optional<std::vector<uint8_t>> alpn_;  // set: answers in place of the session's own
  bool secret_shown_;
  std::optional<long> verify_result_;
  bool server_ = false;
  // What the program set (OpenSSL's longs: a timeout may not fit BoringSSL's 32 bits).
  std::optional<long> time_;
  std::optional<long> timeout_;
  // SSL_SESSION_set_cipher / _set1_master_key on a session BoringSSL cannot yet encode or read
  // back (SSL_SESSION_new's has no cipher and no version): held until it can.
  std::optional<uint16_t> held_cipher_;
  std::optional<std::vector<uint8_t>> held_secret_;
};

// early_alpn in a session's own encoding: the ALPN protocol, an OCTET STRING in [26]. BoringSSL
// writes it for TLS 1.3 sessions only, and reads it from any.
inline constexpr unsigned kEarlyAlpnTag = CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 26;

// A session read back from its own encoding (nullptr, errors cleared, when BoringSSL does not).
bssl::UniquePtr<SSL_SESSION> ParseOwnEncoding(const std::vector<uint8_t>& encoded);

// The contents of the field tagged `tag` in a session's own encoding (ssl/ssl_asn1.cc: a SEQUENCE
// of optional context-tagged fields in tag order); false if absent. For what BoringSSL keeps in a
// session but exports no accessor for.
bool FindSessionField(const std::vector<uint8_t>& encoded, unsigned tag, CBS* contents);

// `encoded` with its field tagged `tag` (a context tag) replaced by `element`, a whole DER
// element with that tag, in its place in tag order; an empty `element` removes the field. False
// when `encoded` is not a session's SEQUENCE.
bool WithSessionField(const std::vector<uint8_t>& encoded, unsigned tag,
                      const std::vector<uint8_t>& element, std::vector<uint8_t>* out);

// SSL_SESSION_from_bytes with `ctx` (any of the backend's contexts: they share one X.509
// method). nullptr, with BoringSSL's errors translated into *errors, when the bytes do not parse.
std::unique_ptr<BackendSession> ParseBoringSslSession(const uint8_t* der, size_t len,
                                                      const SSL_CTX* ctx,
                                                      std::vector<ErrorRecord>* errors);

}  // namespace sslshim::boringssl
