/* The differential SUT's transports: how its SSL reaches the socket (fd, BIO pair pumped by the
 * program, or the program's own BIO_METHOD that writes at most 1000 bytes a call), and how the SUT
 * tells whether waiting could still change a WANT_* answer. */
#ifndef COMPAT_SUITE_DIFFERENTIAL_SUT_TRANSPORT_H_
#define COMPAT_SUITE_DIFFERENTIAL_SUT_TRANSPORT_H_

#include <openssl/ssl.h>

typedef struct DiffLink {
  int transport; /* DiffTransport */
  int fd;
  BIO* ext;       /* network side of a BIO pair, or NULL */
  int eof_passed; /* the socket's EOF has been handed to the BIO pair */
} DiffLink;

/* Connects ssl to fd as the transport says. 1 on success. */
int diff_link_attach(DiffLink* link, SSL* ssl, int transport, int fd);
/* BIO pair: moves what the SSL wrote to the socket and what the socket has to the SSL, without
 * waiting. Returns the number of bytes moved (an EOF handed over counts as one). 0 otherwise. */
long diff_link_pump(DiffLink* link);
/* BIO pair at the end of a run: writes whatever the SSL left in the pair, waiting up to 2 s. */
void diff_link_flush_all(DiffLink* link);
/* After the peer has settled (see diff_sut.c): could a retry of an answer that wanted to read
 * (want_read = 1) or write make progress now? Moves bytes for a BIO pair. */
int diff_link_can_progress(DiffLink* link, int want_read);

#endif /* COMPAT_SUITE_DIFFERENTIAL_SUT_TRANSPORT_H_ */
