// Asynchronous engine jobs (SSL_MODE_ASYNC). BoringSSL has no async engines, so the calls that
// would start or steer one are refused by design (refused-by-design.tsv). A connection of the
// shim's never waits for a job, and OpenSSL's answer for such a connection is served.
#include <openssl/ssl.h>

#include "exports/entry_point.h"

// OpenSSL's for a connection without a wait context: 0, the counts untouched, nothing queued.
SSLSHIM_SSL_ENTRY(SSL_get_changed_async_fds, 0, addfd, numaddfds, delfd, numdelfds) {
  (void)ssl, (void)addfd, (void)numaddfds, (void)delfd, (void)numdelfds;
  return 0;
}
