// The two contexts each fuzz target's connections share: a server with a self-signed P-256
// certificate made in memory, and a client. Made once before the first input, by the
// LLVMFuzzerInitialize this file's .cc defines for every target (so no input's leak check counts
// them), and freed at exit.
#pragma once

#include <openssl/ssl.h>

namespace sslshim::fuzz {

SSL_CTX* ServerContext();
SSL_CTX* ClientContext();

// Called at the end of every input: empties both contexts' session caches (and the view of the
// server's that SSL_CTX_sessions keeps), so each input starts from the same contexts (a crash
// replays from its input alone) and frees what it allocated. libFuzzer checks for leaks after an
// input that left more allocations than it freed (running it again, then a LeakSanitizer pass),
// and stops checking after a thousand of those: a cache that grew with every handshake had used
// them up within the first minute, and per-input leak detection was off for the rest of a run.
void EndInput();

}  // namespace sslshim::fuzz
