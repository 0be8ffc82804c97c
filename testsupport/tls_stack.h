// Who did the TLS: decides from what the peer saw on the wire whether the other side was
// OpenSSL 3 or BoringSSL. The program under test cannot influence this by how it is linked; only
// the library that actually built the handshake messages does. tests/e2e/tls_peer.c explains the
// evidence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sslshim::testsupport {

enum class TlsStack { kUnknown, kOpenSsl, kBoringSsl };

const char* StackName(TlsStack stack);

struct StackVerdict {
  TlsStack stack = TlsStack::kUnknown;
  std::string reason;  // what in the evidence decided it, for failure messages
};

// From the supported_groups (extension 10) of a ClientHello sent with the library's defaults.
StackVerdict ClassifyClientHello(const std::vector<int64_t>& supported_groups);

// From the extension types of a ServerHello, in wire order, for protocol "1.2" or "1.3".
StackVerdict ClassifyServerHello(const std::string& protocol,
                                 const std::vector<int64_t>& extensions);

}  // namespace sslshim::testsupport
