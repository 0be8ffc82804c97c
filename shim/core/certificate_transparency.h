// Certificate transparency on a client (SSL_CTX_enable_ct, SSL_set_ct_validation_callback), as
// OpenSSL 3 does it: the client asks for the server's SCTs, gathers them from the TLS extension,
// the stapled OCSP response and the certificate itself, checks them against the context's logs
// with the program's libcrypto (SCT_LIST_validate), and lets the validation callback decide. No
// backend checks SCTs itself; the core does, inside the peer's verification.
#pragma once

#include <openssl/ct.h>
#include <openssl/x509.h>

namespace sslshim {

class Ssl;

// SSL_get0_peer_scts: every SCT the peer gave for `leaf`, gathered once per connection, each
// with its source; an empty list when there are none.
const STACK_OF(SCT) * PeerScts(Ssl* ssl, X509* leaf);

// OpenSSL's ssl_validate_ct, once the chain is verified (`verified_chain`, trust anchor last): 0
// when the connection goes on (no callback, no chain to check, or the callback accepts);
// otherwise the reason the handshake fails with (SSL_R_CALLBACK_FAILED: the callback refused, its
// own errors queued; SSL_R_SCT_VERIFICATION_FAILED: the SCTs could not be checked). OpenSSL skips
// a chain that failed verification or has nothing above the leaf.
int ValidateCertificateTransparency(Ssl* ssl, X509* leaf, STACK_OF(X509) * verified_chain);

// The callbacks SSL_CTX_enable_ct installs (ct_permissive, ct_strict in OpenSSL's ssl_lib.c).
int PermissiveCtValidation(const CT_POLICY_EVAL_CTX* ctx, const STACK_OF(SCT) * scts, void* arg);
int StrictCtValidation(const CT_POLICY_EVAL_CTX* ctx, const STACK_OF(SCT) * scts, void* arg);

}  // namespace sslshim
