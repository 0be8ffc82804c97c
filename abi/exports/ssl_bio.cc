// The connection's transport: the program's BIOs (or a socket BIO made for an fd, as OpenSSL
// does), bound with OpenSSL's reference rules (core/bio_binding.h).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/bio_binding.h"
#include "core/errors.h"
#include "exports/dispatch.h"

namespace sslshim {
namespace {

BIO* NewSocketBio(int fd, const char* func) {
  BIO* bio = BIO_new(BIO_s_socket());
  if (bio == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_BUF_LIB, func);
    return nullptr;
  }
  BIO_set_fd(bio, fd, BIO_NOCLOSE);
  return bio;
}

// The other direction's BIO when it is already a socket BIO on `fd` (one BIO serves both, as in
// OpenSSL's SSL_set_rfd/SSL_set_wfd), else nullptr.
BIO* SameSocket(void* other, int fd) {
  BIO* bio = static_cast<BIO*>(other);
  if (bio == nullptr || BIO_method_type(bio) != BIO_TYPE_SOCKET) return nullptr;
  return BIO_get_fd(bio, nullptr) == fd ? bio : nullptr;
}

int DescriptorOf(void* bio) {
  BIO* fd_bio = BIO_find_type(static_cast<BIO*>(bio), BIO_TYPE_DESCRIPTOR);
  int fd = -1;
  if (fd_bio != nullptr) BIO_get_fd(fd_bio, &fd);
  return fd;
}

}  // namespace
}  // namespace sslshim

extern "C" int SSL_set_fd(SSL* s, int fd) {
  SSLSHIM_SSL(ssl, s, SSL_set_fd, 0, s, fd);
  BIO* bio = sslshim::NewSocketBio(fd, "SSL_set_fd");
  if (bio == nullptr) return 0;
  sslshim::SetBio(ssl, bio, bio);
  return 1;
}

extern "C" int SSL_set_rfd(SSL* s, int fd) {
  SSLSHIM_SSL(ssl, s, SSL_set_rfd, 0, s, fd);
  BIO* bio = sslshim::SameSocket(ssl->conn->wbio(), fd);
  if (bio != nullptr) {
    BIO_up_ref(bio);
  } else if ((bio = sslshim::NewSocketBio(fd, "SSL_set_rfd")) == nullptr) {
    return 0;
  }
  sslshim::Set0Rbio(ssl, bio);
  return 1;
}

extern "C" int SSL_set_wfd(SSL* s, int fd) {
  SSLSHIM_SSL(ssl, s, SSL_set_wfd, 0, s, fd);
  BIO* bio = sslshim::SameSocket(ssl->conn->rbio(), fd);
  if (bio != nullptr) {
    BIO_up_ref(bio);
  } else if ((bio = sslshim::NewSocketBio(fd, "SSL_set_wfd")) == nullptr) {
    return 0;
  }
  sslshim::Set0Wbio(ssl, bio);
  return 1;
}

extern "C" int SSL_get_fd(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_fd, -1, s);
  return sslshim::DescriptorOf(ssl->conn->rbio());
}

extern "C" int SSL_get_rfd(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_rfd, -1, s);
  return sslshim::DescriptorOf(ssl->conn->rbio());
}

extern "C" int SSL_get_wfd(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_wfd, -1, s);
  return sslshim::DescriptorOf(ssl->conn->wbio());
}

extern "C" void SSL_set_bio(SSL* s, BIO* rbio, BIO* wbio) {
  SSLSHIM_SSL(ssl, s, SSL_set_bio, , s, rbio, wbio);
  sslshim::SetBio(ssl, rbio, wbio);
}

extern "C" void SSL_set0_rbio(SSL* s, BIO* rbio) {
  SSLSHIM_SSL(ssl, s, SSL_set0_rbio, , s, rbio);
  sslshim::Set0Rbio(ssl, rbio);
}

extern "C" void SSL_set0_wbio(SSL* s, BIO* wbio) {
  SSLSHIM_SSL(ssl, s, SSL_set0_wbio, , s, wbio);
  sslshim::Set0Wbio(ssl, wbio);
}

extern "C" BIO* SSL_get_rbio(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_rbio, nullptr, s);
  return static_cast<BIO*>(ssl->conn->rbio());
}

extern "C" BIO* SSL_get_wbio(const SSL* s) {
  SSLSHIM_SSL(ssl, s, SSL_get_wbio, nullptr, s);
  return static_cast<BIO*>(ssl->conn->wbio());
}
