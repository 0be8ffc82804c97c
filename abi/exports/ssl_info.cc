// What a connection tells about itself once negotiated: version, cipher, Finished messages,
// the peer's certificate (as the program's own libcrypto X509).
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <map>
#include <mutex>
#include <string>

#include "exports/dispatch.h"

namespace sslshim {
namespace {

// SSL_CIPHER handles: one per cipher name for the life of the process, as OpenSSL's are static.
struct Cipher {
  std::string name;
  int bits = 0;
};

const SSL_CIPHER* CipherHandle(const char* name, int bits) {
  static std::mutex mutex;
  static auto* handles = new std::map<std::string, void*>();  // lives for the process
  std::lock_guard<std::mutex> lock(mutex);
  void*& handle = (*handles)[name];
  if (handle == nullptr) handle = NewHandle(HandleKind::kCipher, new Cipher{name, bits});
  return static_cast<const SSL_CIPHER*>(handle);
}

}  // namespace
}  // namespace sslshim

using sslshim::Cipher;

extern "C" const char* SSL_get_version(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_version, "unknown", s);
  return ssl->conn->Version();
}

extern "C" int SSL_version(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_version, 0, s);
  return ssl->conn->VersionNumber();
}

extern "C" const SSL_CIPHER* SSL_get_current_cipher(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_current_cipher, nullptr, s);
  const char* name = ssl->conn->CipherName();
  return name != nullptr ? sslshim::CipherHandle(name, ssl->conn->CipherBits()) : nullptr;
}

extern "C" const char* SSL_CIPHER_get_name(const SSL_CIPHER* c) {
  if (c == nullptr) return "(NONE)";
  auto cipher = sslshim::Resolve<Cipher>(c, sslshim::HandleKind::kCipher);
  if (cipher.state == sslshim::HandleState::kForeign) {
    SSLSHIM_FORWARD(SSL_CIPHER_get_name, "(NONE)", c);
  }
  if (cipher.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle("SSL_CIPHER_get_name");
    return "(NONE)";
  }
  return cipher.object->name.c_str();
}

extern "C" int SSL_CIPHER_get_bits(const SSL_CIPHER* c, int* alg_bits) {
  if (c == nullptr) return 0;
  auto cipher = sslshim::Resolve<Cipher>(c, sslshim::HandleKind::kCipher);
  if (cipher.state == sslshim::HandleState::kForeign) {
    SSLSHIM_FORWARD(SSL_CIPHER_get_bits, 0, c, alg_bits);
  }
  if (cipher.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle("SSL_CIPHER_get_bits");
    return 0;
  }
  if (alg_bits != nullptr) *alg_bits = cipher.object->bits;
  return cipher.object->bits;
}

extern "C" size_t SSL_get_finished(const SSL* s, void* buf, size_t count) {
  SSLSHIM_SSL(ssl, s, SSL_get_finished, 0, s, buf, count);
  return ssl->conn->Finished(buf, count);
}

extern "C" size_t SSL_get_peer_finished(const SSL* s, void* buf, size_t count) {
  SSLSHIM_SSL(ssl, s, SSL_get_peer_finished, 0, s, buf, count);
  return ssl->conn->PeerFinished(buf, count);
}

extern "C" X509* SSL_get1_peer_certificate(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get1_peer_certificate, nullptr, s);
  std::vector<uint8_t> der = ssl->conn->PeerCertificateDer();
  if (der.empty()) return nullptr;
  const unsigned char* p = der.data();
  return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}
