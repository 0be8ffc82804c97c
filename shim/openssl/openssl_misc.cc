// The CA lists, per-connection ticket count, certificate clearing, buffer management and the
// small state getters, each forwarded to the real libssl, which keeps the state.
#include <openssl/ssl.h>

#include <cstring>

#include "cipher_info.h"
#include "core/signature_schemes.h"
#include "der_objects.h"
#include "openssl_conn.h"
#include "openssl_ctx.h"

namespace sslshim::openssl_backend {
namespace {

// The real libssl takes the stack; nullptr for no list. False when a name does not parse.
bool CaNameStack(const std::vector<std::vector<uint8_t>>* names_der, STACK_OF(X509_NAME) * *out) {
  *out = nullptr;
  if (names_der == nullptr) return true;
  *out = NameStackFromDer(*names_der);
  return *out != nullptr;
}

}  // namespace

bool OpenSslCtx::SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) {
  STACK_OF(X509_NAME)* names = nullptr;
  if (!CaNameStack(names_der, &names)) return false;
  real_.SSL_CTX_set0_CA_list(ctx_, names);
  return true;
}

void OpenSslCtx::SetDefaultReadBufferLength(size_t len) {
  real_.SSL_CTX_set_default_read_buffer_len(ctx_, len);
}

bool OpenSslConn::SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) {
  STACK_OF(X509_NAME)* names = nullptr;
  if (!CaNameStack(names_der, &names)) return false;
  real_.SSL_set0_CA_list(ssl_, names);
  return true;
}

bool OpenSslConn::SetNumTickets(size_t n) { return real_.SSL_set_num_tickets(ssl_, n) == 1; }

bool OpenSslConn::ClearCertificates() {
  real_.SSL_certs_clear(ssl_);
  return true;
}

// OpenSSL 3.0 reports its own scheme as nids only; as for the peer's, they name one code (or two
// of a PSS key that report the same nids).
uint16_t OpenSslConn::OwnSignatureScheme() const {
  int hash_nid = NID_undef;
  int sign_nid = NID_undef;
  if (real_.SSL_get_signature_type_nid(ssl_, &sign_nid) != 1 ||
      real_.SSL_ctrl(ssl_, SSL_CTRL_GET_SIGNATURE_NID, 0, &hash_nid) != 1) {
    return 0;
  }
  const SignatureScheme* scheme = FindSignatureSchemeByNids(hash_nid, sign_nid);
  return scheme != nullptr ? scheme->code : 0;
}

bool OpenSslConn::PendingCipher(CipherInfo* out) const {
  const SSL_CIPHER* cipher = real_.SSL_get_pending_cipher(ssl_);
  if (cipher == nullptr) return false;
  *out = DescribeCipher(real_, cipher);
  return true;
}

bool OpenSslConn::ReadingRecordBody() const {
  return std::strcmp(real_.SSL_rstate_string(ssl_), "RB") == 0;
}

bool OpenSslConn::AllocateBuffers() { return real_.SSL_alloc_buffers(ssl_) == 1; }

bool OpenSslConn::ReleaseBuffers() { return real_.SSL_free_buffers(ssl_) == 1; }

void OpenSslConn::SetDefaultReadBufferLength(size_t len) {
  real_.SSL_set_default_read_buffer_len(ssl_, len);
}

}  // namespace sslshim::openssl_backend
