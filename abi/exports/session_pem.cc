// Sessions as PEM ("SSL SESSION PARAMETERS"), as OpenSSL's IMPLEMENT_PEM_rw makes them: the
// program's libcrypto does the PEM, over i2d_SSL_SESSION and d2i_SSL_SESSION. The DER inside is
// the backend's encoding (exports/session.cc), so a PEM session another library wrote is read only
// where that library's encoding is the backend's; otherwise the read fails with an error.
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cstdio>

#include "exports/entry_point.h"

namespace sslshim {
namespace {

// The shim's own i2d/d2i, which answer for sessions of ours and pass a real libssl's on to it.
i2d_of_void* SessionToDer() { return reinterpret_cast<i2d_of_void*>(&::i2d_SSL_SESSION); }
d2i_of_void* SessionFromDer() { return reinterpret_cast<d2i_of_void*>(&::d2i_SSL_SESSION); }

}  // namespace
}  // namespace sslshim

SSLSHIM_FUNCTION_ENTRY(PEM_read_bio_SSL_SESSION, out, x, cb, u) {
  return static_cast<SSL_SESSION*>(PEM_ASN1_read_bio(
      sslshim::SessionFromDer(), PEM_STRING_SSL_SESSION, out, reinterpret_cast<void**>(x), cb, u));
}

SSLSHIM_FUNCTION_ENTRY(PEM_read_SSL_SESSION, out, x, cb, u) {
  return static_cast<SSL_SESSION*>(PEM_ASN1_read(sslshim::SessionFromDer(), PEM_STRING_SSL_SESSION,
                                                 out, reinterpret_cast<void**>(x), cb, u));
}

SSLSHIM_FUNCTION_ENTRY(PEM_write_bio_SSL_SESSION, out, x) {
  return PEM_ASN1_write_bio(sslshim::SessionToDer(), PEM_STRING_SSL_SESSION, out, x, nullptr,
                            nullptr, 0, nullptr, nullptr);
}

SSLSHIM_FUNCTION_ENTRY(PEM_write_SSL_SESSION, out, x) {
  return PEM_ASN1_write(sslshim::SessionToDer(), PEM_STRING_SSL_SESSION, out, x, nullptr, nullptr,
                        0, nullptr, nullptr);
}

// No backend compresses (nor does Debian's OpenSSL 3, built without zlib): no session has a
// compression method.
SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_compress_id, 0) {
  (void)session;
  return 0;
}
