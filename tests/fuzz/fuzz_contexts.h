// The two contexts each fuzz target's connections share: a server with a self-signed P-256
// certificate made in memory, and a client. Made once before the first input, by the
// LLVMFuzzerInitialize this file's .cc defines for every target (so no input's leak check counts
// them), and freed at exit.
#pragma once

#include <openssl/ssl.h>

namespace sslshim::fuzz {

SSL_CTX* ServerContext();
SSL_CTX* ClientContext();

// Called at the end of every input: empties the server's session cache, so each input starts
// from the same contexts (a crash replays from its input alone) and frees all it allocated.
// libFuzzer runs an input a second time under LeakSanitizer whenever it leaves more allocations
// than it freed; a cache that grew with every handshake made that every input, a third of the
// fuzzing time. A real leak still leaves allocations behind, and is still reported.
void EndInput();

}  // namespace sslshim::fuzz
