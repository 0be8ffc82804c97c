// Which alert a failed peer verification sends: OpenSSL's choice (ssl_x509err2alert in its
// statem_lib.c), so a peer sees the same alert whichever backend rejected it.
#pragma once

namespace sslshim::boringssl {

// The TLS alert (AlertDescription, as on the wire) for an OpenSSL X509_V_ERR_* value.
int AlertForVerifyResult(long openssl_verify_result);

}  // namespace sslshim::boringssl
