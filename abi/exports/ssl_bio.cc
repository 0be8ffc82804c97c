// The connection's transport: the program's BIOs (or a socket BIO made for an fd, as OpenSSL
// does), bound with OpenSSL's reference rules (core/bio_binding.h).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/bio_binding.h"
#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

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

SSLSHIM_SSL_ENTRY(SSL_set_fd, 0, fd) {
  BIO* bio = sslshim::NewSocketBio(fd, "SSL_set_fd");
  if (bio == nullptr) return 0;
  sslshim::SetBio(ssl, bio, bio);
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_set_rfd, 0, fd) {
  BIO* bio = sslshim::SameSocket(ssl->conn()->wbio(), fd);
  if (bio != nullptr) {
    BIO_up_ref(bio);
  } else if ((bio = sslshim::NewSocketBio(fd, "SSL_set_rfd")) == nullptr) {
    return 0;
  }
  sslshim::Set0Rbio(ssl, bio);
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_set_wfd, 0, fd) {
  BIO* bio = sslshim::SameSocket(ssl->conn()->rbio(), fd);
  if (bio != nullptr) {
    BIO_up_ref(bio);
  } else if ((bio = sslshim::NewSocketBio(fd, "SSL_set_wfd")) == nullptr) {
    return 0;
  }
  sslshim::Set0Wbio(ssl, bio);
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_get_fd, -1) { return sslshim::DescriptorOf(ssl->conn()->rbio()); }

SSLSHIM_SSL_ENTRY(SSL_get_rfd, -1) { return sslshim::DescriptorOf(ssl->conn()->rbio()); }

SSLSHIM_SSL_ENTRY(SSL_get_wfd, -1) { return sslshim::DescriptorOf(ssl->conn()->wbio()); }

SSLSHIM_SSL_ENTRY(SSL_set_bio, , rbio, wbio) { sslshim::SetBio(ssl, rbio, wbio); }

SSLSHIM_SSL_ENTRY(SSL_set0_rbio, , rbio) { sslshim::Set0Rbio(ssl, rbio); }

SSLSHIM_SSL_ENTRY(SSL_set0_wbio, , wbio) { sslshim::Set0Wbio(ssl, wbio); }

SSLSHIM_SSL_ENTRY(SSL_get_rbio, nullptr) { return static_cast<BIO*>(ssl->conn()->rbio()); }

SSLSHIM_SSL_ENTRY(SSL_get_wbio, nullptr) { return static_cast<BIO*>(ssl->conn()->wbio()); }
