/* Shared by the probes that run a client and a server in one process over non-blocking BIOs. */
#ifndef SSLSHIM_TESTS_RELIABILITY_PROBE_HANDSHAKE_H_
#define SSLSHIM_TESTS_RELIABILITY_PROBE_HANDSHAKE_H_

#include <openssl/ssl.h>

/* Steps both sides' SSL_do_handshake in turn until both are done: 1, or 0 if either fails with
 * anything but WANT_READ/WANT_WRITE or 40 rounds do not finish it. */
static inline int handshake_in_turn(SSL *client, SSL *server) {
  int done[2] = {0, 0};
  SSL *sides[2] = {client, server};
  for (int step = 0; step < 40 && !(done[0] && done[1]); step++) {
    for (int i = 0; i < 2; i++) {
      if (done[i]) continue;
      int ret = SSL_do_handshake(sides[i]);
      if (ret == 1) {
        done[i] = 1;
        continue;
      }
      int error = SSL_get_error(sides[i], ret);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return 0;
    }
  }
  return done[0] && done[1];
}

#endif /* SSLSHIM_TESTS_RELIABILITY_PROBE_HANDSHAKE_H_ */
