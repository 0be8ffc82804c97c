// The two contexts each fuzz target's connections share: a server with a self-signed P-256
// certificate made in memory, and a client. Made once before the first input, by the
// LLVMFuzzerInitialize this file's .cc defines for every target (so no input's leak check counts
// them), and freed at exit.
#pragma once

#include <openssl/ssl.h>

namespace sslshim::fuzz {

SSL_CTX* ServerContext();
SSL_CTX* ClientContext();

}  // namespace sslshim::fuzz
