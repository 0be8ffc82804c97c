// A BoringSSL BIO that drives one of the program's OpenSSL BIOs through the core's ProgramBioOps:
// BoringSSL's SSL reads and writes the program's transport (socket, BIO pair, custom BIO_METHOD)
// without ever touching an OpenSSL object itself.
#pragma once

#include <openssl/base.h>

#include "backend/backend.h"

namespace sslshim::boringssl {

// A new BoringSSL BIO (one reference, the caller's) over `program_bio`. It does not own a
// reference to the program's BIO: the connection keeps those, as SSL_set_bio's owner.
BIO* NewBridgeBio(const ProgramBioOps* ops, void* program_bio);

// BIO_ctrl command numbers BoringSSL's SSL may send, to OpenSSL's; -1 for commands the bridge
// answers itself (or does not support). Checked by name against OpenSSL's bio.h.
int OpenSslBioCtrlForBoringSsl(int boringssl_cmd);

}  // namespace sslshim::boringssl
