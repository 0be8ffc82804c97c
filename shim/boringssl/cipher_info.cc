#include "boringssl/cipher_info.h"

#include <openssl/nid.h>
#include <openssl/obj.h>

namespace sslshim::boringssl {
namespace {

std::string ShortName(int nid) {
  if (nid == NID_undef) return "";
  const char* name = OBJ_nid2sn(nid);
  return name != nullptr ? name : "";
}

// OpenSSL 3's SSL_CIPHER_get_version reports the suite's minimum version from its own table:
// "TLSv1.3", "TLSv1.2" for suites defined with TLS 1.2, "TLSv1.0" for the ECDHE CBC suites (RFC
// 4492 postdates SSL 3.0) and "SSLv3" for the older RSA/PSK ones. BoringSSL's own
// SSL_CIPHER_get_version says "TLSv1/SSLv3" for everything, so the string is rebuilt here.
const char* OpenSslVersionString(const SSL_CIPHER* cipher) {
  uint16_t min_version = SSL_CIPHER_get_min_version(cipher);
  if (min_version >= TLS1_3_VERSION) return "TLSv1.3";
  if (min_version >= TLS1_2_VERSION) return "TLSv1.2";
  return SSL_CIPHER_get_kx_nid(cipher) == NID_kx_ecdhe ? "TLSv1.0" : "SSLv3";
}

// BoringSSL reports ECDHE-PSK suites as kx ECDHE, auth PSK; OpenSSL has a key-exchange NID of its
// own for them, "KxECDHE-PSK" (BoringSSL has no such NID, so the name is written out).
std::string KeyExchangeShortName(const SSL_CIPHER* cipher) {
  if (SSL_CIPHER_get_kx_nid(cipher) == NID_kx_ecdhe &&
      SSL_CIPHER_get_auth_nid(cipher) == NID_auth_psk) {
    return "KxECDHE-PSK";
  }
  return ShortName(SSL_CIPHER_get_kx_nid(cipher));
}

}  // namespace

CipherInfo DescribeCipher(const SSL_CIPHER* cipher) {
  CipherInfo info;
  info.name = SSL_CIPHER_get_name(cipher);
  info.standard_name = SSL_CIPHER_standard_name(cipher);
  info.id = SSL_CIPHER_get_id(cipher);  // already 0x03000000 | IANA value, as OpenSSL's
  info.bits = SSL_CIPHER_get_bits(cipher, &info.alg_bits);
  info.version = OpenSslVersionString(cipher);
  info.kx_sn = KeyExchangeShortName(cipher);
  info.auth_sn = ShortName(SSL_CIPHER_get_auth_nid(cipher));
  info.cipher_sn = ShortName(SSL_CIPHER_get_cipher_nid(cipher));
  info.digest_sn = ShortName(SSL_CIPHER_get_digest_nid(cipher));  // NID_undef for AEADs, as OpenSSL
  info.is_aead = SSL_CIPHER_is_aead(cipher) != 0;
  return info;
}

std::vector<const SSL_CIPHER*> Tls13Suites() {
  std::vector<const SSL_CIPHER*> suites;
  for (uint16_t value : {0x1301, 0x1302, 0x1303}) {
    const SSL_CIPHER* cipher = SSL_get_cipher_by_value(value);
    if (cipher != nullptr) suites.push_back(cipher);
  }
  return suites;
}

}  // namespace sslshim::boringssl
