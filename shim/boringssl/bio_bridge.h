// A BoringSSL BIO that drives one of the program's OpenSSL BIOs through the core's ProgramBioOps:
// BoringSSL's SSL reads and writes the program's transport (socket, BIO pair, custom BIO_METHOD)
// without ever touching an OpenSSL object itself.
#pragma once

#include <openssl/base.h>
#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "backend/backend.h"

namespace sslshim::boringssl {

// Read-ahead (SSL_set_read_ahead): the bridge reads as much as the program's BIO has, up to
// kReadAheadBytes, and serves BoringSSL's reads (a record header, then its body) from that, so a
// burst of small records costs one read of the transport instead of two per record. The buffer is
// released as soon as it is drained, as OpenSSL's is with SSL_MODE_RELEASE_BUFFERS, so an idle
// connection holds none.
struct ReadAheadBuffer {
  // OpenSSL 3's record buffer, the most it asks a socket for with read-ahead on (16384 bytes of
  // plaintext, the largest encryption overhead, a header).
  static constexpr size_t kReadAheadBytes = 16709;
  bool enabled = false;
  std::unique_ptr<uint8_t[]> data;
  size_t pos = 0;
  size_t end = 0;
  bool empty() const { return pos == end; }
};

// Datagrams keep their boundaries: each BoringSSL BIO_read/BIO_write is exactly one BIO_read/
// BIO_write on the program's BIO (no buffering here), so over a datagram BIO one read is one
// datagram, as DTLS needs.
//
// A new BoringSSL BIO (one reference, the caller's) over `program_bio`. It does not own a
// reference to the program's BIO: the connection keeps those, as SSL_set_bio's owner.
// While `*hold_reads` (if given) is true, a read reports "retry read" without reading the program's
// BIO (the early-data boundary, conn_early_data.cc).
// With `read_ahead` (if given), reads go through that buffer while it is enabled or not empty.
BIO* NewBridgeBio(const ProgramBioOps* ops, void* program_bio, const bool* hold_reads = nullptr,
                  ReadAheadBuffer* read_ahead = nullptr);

// DTLS: before each read, hand the program's BIO the deadline of `ssl`'s retransmission timer
// (BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT, absolute, zero when none runs), as OpenSSL does when it starts
// its timer: a blocking BIO_s_datagram then stops waiting when the flight is due again.
void SetBridgeDtlsTimer(BIO* bridge, const SSL* ssl);

// BIO_ctrl command numbers BoringSSL's SSL may send, to OpenSSL's; -1 for commands the bridge
// answers itself (or does not support). Checked by name against OpenSSL's bio.h.
int OpenSslBioCtrlForBoringSsl(int boringssl_cmd);

}  // namespace sslshim::boringssl
