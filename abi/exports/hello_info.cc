// What the peer's hello messages told a connection, with OpenSSL 3's answers (ssl/s3_lib.c,
// ssl3_ctrl): the backend gives bytes and TLS codes, and the program gets its own libcrypto's
// objects, made as OpenSSL makes them.
#include "exports/hello_info.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include <cstdint>
#include <vector>

#include "core/named_groups.h"
#include "core/unique_ptr.h"

namespace sslshim {
namespace {

// The peer's key as OpenSSL builds it from a key share (ssl_generate_param_group, then
// EVP_PKEY_set1_encoded_public_key): a key of the group's algorithm with the group's parameters
// and the peer's public value, no private part. nullptr for a group OpenSSL has no key type for.
UniquePtr<EVP_PKEY> KeyFromShare(uint16_t code, const std::vector<uint8_t>& public_key) {
  const int nid = GroupNidOfCode(code);
  if (nid == NID_X25519 || nid == NID_X448) {
    return UniquePtr<EVP_PKEY>(
        EVP_PKEY_new_raw_public_key(nid == NID_X25519 ? EVP_PKEY_X25519 : EVP_PKEY_X448, nullptr,
                                    public_key.data(), public_key.size()));
  }
  const bool ffdhe = nid >= NID_ffdhe2048 && nid <= NID_ffdhe8192;
  const char* group = OBJ_nid2sn(nid);
  if (group == nullptr || (nid & ~0xffff) != 0) return nullptr;
  UniquePtr<EVP_PKEY_CTX> pctx(EVP_PKEY_CTX_new_from_name(nullptr, ffdhe ? "DH" : "EC", nullptr));
  EVP_PKEY* made = nullptr;
  if (pctx == nullptr || EVP_PKEY_paramgen_init(pctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_group_name(pctx.get(), group) <= 0 ||
      EVP_PKEY_paramgen(pctx.get(), &made) <= 0) {
    return nullptr;
  }
  UniquePtr<EVP_PKEY> key(made);
  if (EVP_PKEY_set1_encoded_public_key(key.get(), public_key.data(), public_key.size()) != 1) {
    return nullptr;
  }
  return key;
}

}  // namespace

// A new reference for the caller, or 0 when the peer sent no key share (a TLS 1.2 server keeps
// none of the client's).
long PeerTmpKeyCtrl(Ssl* ssl, void* parg) {
  uint16_t group = 0;
  std::vector<uint8_t> public_key;
  if (!ssl->conn()->PeerKeyShare(&group, &public_key)) return 0;
  UniquePtr<EVP_PKEY> key = KeyFromShare(group, public_key);
  if (key == nullptr) return 0;
  *static_cast<EVP_PKEY**>(parg) = key.release();  // the program's to free
  return 1;
}

// n = -1: how many groups are shared (0 on a client); n >= 0: the n-th one's NID (0 past the
// end); n = -2: the first one's, as OpenSSL answers without Suite B; other negatives: 0.
long SharedGroupCtrl(Ssl* ssl, long n) {
  const std::vector<uint16_t> shared = ssl->conn()->SharedGroups();
  if (n == -1) return static_cast<long>(shared.size());
  if (n == -2) n = 0;
  if (n < 0 || static_cast<size_t>(n) >= shared.size()) return 0;
  return GroupNidOfCode(shared[static_cast<size_t>(n)]);
}

// The types' count, with a pointer the connection keeps; 0 on a server or before a
// CertificateRequest, which leaves the pointer alone. A TLS 1.3 request has no types: 0, and the
// pointer is set to NULL, as OpenSSL's.
long CertificateTypesCtrl(Ssl* ssl, void* parg) {
  std::vector<uint8_t> types;
  if (!ssl->conn()->PeerCertificateTypes(&types)) return 0;
  ssl->certificate_types = std::move(types);
  if (parg != nullptr) {
    *static_cast<const unsigned char**>(parg) =
        ssl->certificate_types.empty() ? nullptr : ssl->certificate_types.data();
  }
  return static_cast<long>(ssl->certificate_types.size());
}

// 1, with the stack the connection owns, or NULL when the client's status_request carried no
// extensions (or on a client, which has asked with none of its own).
long StatusRequestExtensionsCtrl(Ssl* ssl, void* parg) {
  std::vector<uint8_t> der = ssl->conn()->StatusRequestExtensionsDer();
  if (der != ssl->status_request_extensions_der) {
    ssl->status_request_extensions.reset();
    if (!der.empty()) {
      const unsigned char* p = der.data();
      ssl->status_request_extensions.reset(
          d2i_X509_EXTENSIONS(nullptr, &p, static_cast<long>(der.size())));
    }
    ssl->status_request_extensions_der = std::move(der);
  }
  *static_cast<STACK_OF(X509_EXTENSION)**>(parg) = ssl->status_request_extensions.get();
  return 1;
}

}  // namespace sslshim
