// SSL_get_state for a BoringSSL connection: BoringSSL names where its handshake is by a string
// (SSL_state_string_long); OpenSSL 3 by the last handshake message it wrote or read.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "backend/handshake_state.h"

namespace sslshim::boringssl {

// The state OpenSSL 3 reports at the point BoringSSL's handshake names `boringssl_state` (an
// SSL_state_string_long answer while the handshake runs) in a full handshake or, `resuming`, an
// abbreviated one; nullopt for a string not in the table.
std::optional<HandshakeState> OpenSslHandshakeState(std::string_view boringssl_state,
                                                    bool resuming);

// Every BoringSSL state string the table knows, for the test that holds it against BoringSSL's
// source (a state added by a new snapshot must be mapped, not fall to a default).
std::vector<std::string_view> KnownBoringSslStates();

}  // namespace sslshim::boringssl
