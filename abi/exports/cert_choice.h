// Certificates of more than one key type on a context, as OpenSSL keeps them: one certificate,
// key and chain per key type, the last one set current (core/objects.h, CertificateKey), and a
// server presenting the one the client can use. The real libssl behind the OpenSSL backend keeps
// them itself; BoringSSL holds one per connection, so the shim installs the chosen one on the
// connection from its certificate callback.
#pragma once

#include <openssl/x509.h>

namespace sslshim {

class Ctx;

// The named curve of an EC key (NID_undef for any other key).
int CurveOf(const EVP_PKEY* key);

// Makes `key_type` (an EVP_PKEY base id) the context's current one: the current certificate, key
// and chain are kept among its others, and those of `key_type`, if kept, come back. True when the
// current key type changed. Nothing changes while the context has no certificate, or for the key
// type it has.
bool SelectCertificateKeyType(Ctx* ctx, int key_type);

// OpenSSL's index of a key type's certificate slot (SSL_PKEY_RSA 0 ... SSL_PKEY_ED448 8): the
// order SSL_CTX_set_current_cert walks them in.
int CertificateSlotIndex(int key_type);

// Makes `certificate`'s key type current (SelectCertificateKeyType) and gives the backend its
// certificate, chain and key: 1, or 0 with the error.
int MakeCurrentCertificate(Ctx* ctx, X509* certificate, const char* func);

}  // namespace sslshim
