#include "cipher_info.h"

#include <openssl/objects.h>

namespace sslshim::openssl_backend {
namespace {

std::string OrEmpty(const char* text) { return text == nullptr ? std::string() : text; }

// The NIDs cross as short names: this libcrypto's numbers are the program's too, but the interface
// is shared with a backend whose numbers differ. NID_undef ("UNDEF") becomes "".
std::string ShortName(int nid) {
  return nid == NID_undef ? std::string() : OrEmpty(OBJ_nid2sn(nid));
}

}  // namespace

CipherInfo DescribeCipher(const RealLibssl& real, const SSL_CIPHER* cipher) {
  CipherInfo info;
  info.name = OrEmpty(real.SSL_CIPHER_get_name(cipher));
  info.standard_name = OrEmpty(real.SSL_CIPHER_standard_name(cipher));
  info.id = real.SSL_CIPHER_get_id(cipher);  // already 0x03000000 | IANA value
  info.bits = real.SSL_CIPHER_get_bits(cipher, &info.alg_bits);
  info.version = OrEmpty(real.SSL_CIPHER_get_version(cipher));
  info.kx_sn = ShortName(real.SSL_CIPHER_get_kx_nid(cipher));
  info.auth_sn = ShortName(real.SSL_CIPHER_get_auth_nid(cipher));
  info.cipher_sn = ShortName(real.SSL_CIPHER_get_cipher_nid(cipher));
  info.digest_sn = ShortName(real.SSL_CIPHER_get_digest_nid(cipher));
  info.is_aead = real.SSL_CIPHER_is_aead(cipher) == 1;
  return info;
}

}  // namespace sslshim::openssl_backend
