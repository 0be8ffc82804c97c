#include "openssl_session.h"

#include <openssl/bio.h>

#include <climits>
#include <cstdlib>
#include <string>

#include "cipher_info.h"

namespace sslshim::openssl_backend {

std::unique_ptr<OpenSslSession> OpenSslSession::Share(const RealLibssl& real,
                                                      SSL_SESSION* session) {
  if (session == nullptr || real.SSL_SESSION_up_ref(session) != 1) return nullptr;
  return Adopt(real, session);
}

std::unique_ptr<OpenSslSession> OpenSslSession::Adopt(const RealLibssl& real,
                                                      SSL_SESSION* session) {
  if (session == nullptr) return nullptr;
  return std::unique_ptr<OpenSslSession>(new OpenSslSession(real, session));
}

// OpenSSL's own ASN.1 encoding, so a session written by a program under the shim can be read back
// by the same shim (and by plain OpenSSL). Trailing bytes are ignored, as d2i_SSL_SESSION does.
std::unique_ptr<OpenSslSession> OpenSslSession::Parse(const RealLibssl& real, const uint8_t* der,
                                                      size_t len) {
  if (der == nullptr || len > static_cast<size_t>(LONG_MAX)) return nullptr;
  const unsigned char* p = der;
  return Adopt(real, real.d2i_SSL_SESSION(nullptr, &p, static_cast<long>(len)));
}

OpenSslSession::~OpenSslSession() { real_.SSL_SESSION_free(session_); }

std::vector<uint8_t> OpenSslSession::Serialize() const {
  const int len = real_.i2d_SSL_SESSION(session_, nullptr);
  if (len <= 0) return {};
  std::vector<uint8_t> der(static_cast<size_t>(len));
  unsigned char* p = der.data();
  if (real_.i2d_SSL_SESSION(session_, &p) != len) return {};
  return der;
}

std::vector<uint8_t> OpenSslSession::Id() const {
  unsigned int len = 0;
  const unsigned char* id = real_.SSL_SESSION_get_id(session_, &len);
  if (id == nullptr) return {};
  return std::vector<uint8_t>(id, id + len);
}

bool OpenSslSession::SetId(const uint8_t* id, size_t len) {
  return real_.SSL_SESSION_set1_id(session_, id, static_cast<unsigned int>(len)) == 1;
}

bool OpenSslSession::SetIdContext(const uint8_t* sid_ctx, size_t len) {
  return real_.SSL_SESSION_set1_id_context(session_, sid_ctx, static_cast<unsigned int>(len)) == 1;
}

bool OpenSslSession::SetProtocolVersion(int version) {
  return real_.SSL_SESSION_set_protocol_version(session_, version) == 1;
}

// The real libssl finds a suite by its value only through a connection (any will do).
bool OpenSslSession::SetCipher(uint16_t value) {
  static SSL* const lookup = [&real = real_]() -> SSL* {
    SSL_CTX* ctx = real.SSL_CTX_new(real.TLS_method());
    return ctx != nullptr ? real.SSL_new(ctx) : nullptr;
  }();
  const unsigned char bytes[2] = {static_cast<unsigned char>(value >> 8),
                                  static_cast<unsigned char>(value)};
  const SSL_CIPHER* cipher = lookup != nullptr ? real_.SSL_CIPHER_find(lookup, bytes) : nullptr;
  return cipher != nullptr && real_.SSL_SESSION_set_cipher(session_, cipher) == 1;
}

bool OpenSslSession::SetMasterKey(const uint8_t* key, size_t len) {
  return real_.SSL_SESSION_set1_master_key(session_, key, len) == 1;
}

long OpenSslSession::Time() const { return real_.SSL_SESSION_get_time(session_); }
long OpenSslSession::Timeout() const { return real_.SSL_SESSION_get_timeout(session_); }
void OpenSslSession::SetTime(long time) { real_.SSL_SESSION_set_time(session_, time); }
void OpenSslSession::SetTimeout(long timeout) { real_.SSL_SESSION_set_timeout(session_, timeout); }
bool OpenSslSession::HasTicket() const { return real_.SSL_SESSION_has_ticket(session_) == 1; }
unsigned long OpenSslSession::TicketLifetimeHint() const {
  return real_.SSL_SESSION_get_ticket_lifetime_hint(session_);
}
int OpenSslSession::ProtocolVersion() const {
  return real_.SSL_SESSION_get_protocol_version(session_);
}
bool OpenSslSession::SetHostname(const std::string& hostname) {
  return real_.SSL_SESSION_set1_hostname(session_, hostname.empty() ? nullptr : hostname.c_str()) ==
         1;
}

std::string OpenSslSession::Hostname() const {
  const char* name = real_.SSL_SESSION_get0_hostname(session_);
  return name == nullptr ? std::string() : std::string(name);
}
std::vector<uint8_t> OpenSslSession::AlpnSelected() const {
  const unsigned char* alpn = nullptr;
  size_t len = 0;
  real_.SSL_SESSION_get0_alpn_selected(session_, &alpn, &len);
  return alpn == nullptr ? std::vector<uint8_t>() : std::vector<uint8_t>(alpn, alpn + len);
}

bool OpenSslSession::SetAlpnSelected(const std::vector<uint8_t>& alpn) {
  return real_.SSL_SESSION_set1_alpn_selected(session_, alpn.empty() ? nullptr : alpn.data(),
                                              alpn.size()) == 1;
}

bool OpenSslSession::IsResumable() const { return real_.SSL_SESSION_is_resumable(session_) == 1; }
size_t OpenSslSession::MasterKey(uint8_t out[kMaxMasterKeyLength]) const {
  static_assert(kMaxMasterKeyLength == SSL_MAX_MASTER_KEY_LENGTH);
  return real_.SSL_SESSION_get_master_key(session_, out, kMaxMasterKeyLength);
}

BackendSession::Facts OpenSslSession::Describe() const {
  Facts facts;
  unsigned char* peer = nullptr;
  const int peer_len = i2d_X509(real_.SSL_SESSION_get0_peer(session_), &peer);
  if (peer_len > 0) facts.peer_certificate.assign(peer, peer + peer_len);
  OPENSSL_free(peer);
  if (const SSL_CIPHER* cipher = real_.SSL_SESSION_get0_cipher(session_)) {
    facts.has_cipher = true;
    facts.cipher = DescribeCipher(real_, cipher);
  }
  unsigned int id_len = 0;
  const unsigned char* id_context = real_.SSL_SESSION_get0_id_context(session_, &id_len);
  facts.id_context.assign(id_context, id_context + id_len);
  const unsigned char* ticket = nullptr;
  size_t ticket_len = 0;
  real_.SSL_SESSION_get0_ticket(session_, &ticket, &ticket_len);
  facts.ticket.assign(ticket, ticket + ticket_len);
  // OpenSSL 3.0 has no getter for these two; its own printout states them.
  BIO* text = BIO_new(BIO_s_mem());
  if (text != nullptr && real_.SSL_SESSION_print(text, session_) == 1) {
    char* data = nullptr;
    long len = BIO_get_mem_data(text, &data);
    std::string printed(data, static_cast<size_t>(len));
    size_t at = printed.find("Verify return code: ");
    if (at != std::string::npos) facts.verify_result = std::atol(printed.c_str() + at + 20);
    facts.extended_master_secret = printed.find("Extended master secret: yes") != std::string::npos;
  }
  BIO_free(text);
  return facts;
}

}  // namespace sslshim::openssl_backend
