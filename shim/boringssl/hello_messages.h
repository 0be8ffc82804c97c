// Reading the handshake messages BoringSSL's message callback shows (type, length, body), for
// what OpenSSL keeps from them and BoringSSL does not.
#pragma once

#include <openssl/bytestring.h>

#include <cstddef>
#include <cstdint>

namespace sslshim::boringssl {

// Whether a ServerHello (as sent: type, 24-bit length, legacy_version, random...) is a TLS 1.3
// HelloRetryRequest, which has the same message type and a fixed random (RFC 8446, 4.1.3): it
// asks for a second ClientHello and is not the server's flight.
bool IsHelloRetryRequest(const uint8_t* msg, size_t len);

// The extensions block of a ClientHello or ServerHello body (after the message header); false
// when the message has none or does not parse. A DTLS ClientHello has a cookie after its
// session ID.
bool ClientHelloExtensions(CBS body, bool datagram, CBS* extensions);
bool ServerHelloExtensions(CBS body, CBS* extensions);

// The body of the extension of `type` in an extensions block; false when it is not there (or
// the block does not parse).
bool FindExtension(CBS extensions, uint16_t type, CBS* out);

// The extensions OpenSSL 3.0 implements (ssl/statem/extensions.c, ext_defs): the only ones its
// SSL_client_hello_get0_ext and its TLS extension debug callback ever show, so a GREASE value or
// an extension OpenSSL does not implement is left out where the shim shows them too.
bool OpenSslImplementsExtension(uint16_t type);

}  // namespace sslshim::boringssl
