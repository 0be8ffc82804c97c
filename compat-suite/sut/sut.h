/* compat-sut: the system under test. An ordinary OpenSSL 3 program (linked with -lssl -lcrypto,
 * unaware of the shim) that runs one case's SSL_write sequence on a connected fd and reports every
 * libssl call it made as one JSON line ("step") on stdout, then a "summary" line. */
#ifndef COMPAT_SUITE_SUT_SUT_H_
#define COMPAT_SUITE_SUT_SUT_H_

#include <openssl/ssl.h>
#include <stdint.h>

typedef struct Sut {
  const char* case_name;
  int tls_version; /* TLS1_2_VERSION, TLS1_3_VERSION, or 0 when the case does not connect */
  int is_server;
  int fd;  /* the TLS transport (socketpair end or loopback TCP socket) */
  int ctl; /* control channel to the peer */
  const char* cert_file;
  const char* key_file;
  SSL_CTX* ctx;
  SSL* ssl;
  uint64_t written; /* stream offset: bytes SSL_write reported as written */
  const char* note; /* set by the case when it stops early, e.g. "peer never signalled" */
} Sut;

/* Set-up. sut_make_ctx applies the case's protocol version and, for servers, the certificate. */
SSL_CTX* sut_make_ctx(Sut* s);
/* SSL_new + SSL_set_fd; state: 'c' connect, 'a' accept, 'r' by role, 0 none. */
SSL* sut_make_ssl(Sut* s, int with_fd, char state);
/* SSL_connect or SSL_accept by role, blocking, recorded as a step. */
int sut_handshake(Sut* s, const char* tag);
void sut_set_sndbuf(Sut* s, int bytes);

/* Every libssl call under test goes through one of these: it is recorded with SSL_get_error,
 * errno and the drained error queue. Identical consecutive WANT_* results fold into "repeat". */
int sut_write(Sut* s, const char* tag, const void* buf, int num);
int sut_read(Sut* s, const char* tag, void* buf, int num);
int sut_shutdown(Sut* s, const char* tag);
void sut_record(Sut* s, const char* tag, const char* op, long num, long ret, int err_no);
/* SSL_get_error of the last recorded call. */
int sut_last_error(void);

/* Repeats SSL_write(buf, num) with the same arguments until it returns > 0 or a hard error:
 * WANT_WRITE waits for POLLOUT, WANT_READ reads (and counts) application data then retries.
 * With partial = 1, positive returns below num advance buf and start a new write with the rest.
 * Returns the total written, or the failing return value (<= 0). */
long sut_write_all(Sut* s, const char* tag, const unsigned char* buf, int num, int partial);

/* A fresh buffer holding the next n bytes of the stream (from s->written). Caller frees. */
unsigned char* sut_stream_chunk(Sut* s, size_t n);

/* Ends the run: prints the summary line (library SSL_write resolved to, totals). */
void sut_summary(Sut* s);

typedef int (*SutCaseFn)(Sut* s);
typedef struct SutCase {
  const char* name;
  SutCaseFn run;
} SutCase;
extern const SutCase kSutCases[];

#endif /* COMPAT_SUITE_SUT_SUT_H_ */
