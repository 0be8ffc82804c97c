/* A differential scenario: which side the program under test plays, the TLS version, the transport
 * between its SSL and the socket, and a short list of steps. A step is either a libssl call made by
 * the program under test or an event the native peer performs at that point. The text form is the
 * one people read and replay, e.g. "client tls1.3 nbsock write:100 peer:close write:100/moved".
 * Plain C: the SUT, the peer and the runner all parse the same text with this one parser. */
#ifndef COMPAT_SUITE_DIFFERENTIAL_SCENARIO_H_
#define COMPAT_SUITE_DIFFERENTIAL_SCENARIO_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum DiffTransport {
  DIFF_SOCK,     /* blocking socket, SSL_set_fd */
  DIFF_NBSOCK,   /* non-blocking socket, SSL_set_fd */
  DIFF_BIOPAIR,  /* BIO pair (default buffers); the program moves bytes to the socket */
  DIFF_SMALLBIO, /* BIO pair with 512-byte buffers */
  DIFF_SHORTBIO, /* the program's own BIO_METHOD on a non-blocking socket: writes <= 1000 bytes */
  DIFF_TRANSPORT_COUNT
};

enum DiffStepKind {
  DIFF_WRITE,      /* SSL_write(len) */
  DIFF_WRITE_EX,   /* SSL_write_ex(len) */
  DIFF_READ,       /* SSL_read into 64 bytes */
  DIFF_PEEK,       /* SSL_peek into 64 bytes */
  DIFF_SHUTDOWN,   /* SSL_shutdown */
  DIFF_KEY_UPDATE, /* SSL_key_update(SSL_KEY_UPDATE_REQUESTED) */
  DIFF_MODE_SET,   /* SSL_set_mode(mode) */
  DIFF_MODE_CLEAR, /* SSL_clear_mode(mode) */
  DIFF_PEER,       /* an event at the peer */
  DIFF_STEP_KIND_COUNT
};

/* How a write is retried after SSL_ERROR_WANT_*: the same arguments, half the length, or the same
 * bytes from another address. */
enum DiffRetry { DIFF_RETRY_SAME, DIFF_RETRY_SHORTER, DIFF_RETRY_MOVED, DIFF_RETRY_COUNT };

enum DiffPeerEvent {
  DIFF_PEER_DATA,         /* SSL_write of 100 bytes */
  DIFF_PEER_CLOSE_NOTIFY, /* SSL_shutdown (close_notify) */
  DIFF_PEER_FIN,          /* shutdown(fd, SHUT_WR) */
  DIFF_PEER_CLOSE,        /* close(fd) after reading what is there */
  DIFF_PEER_RST,          /* SO_LINGER 0 then close(fd): a TCP reset (loopback TCP transport) */
  DIFF_PEER_STOP_READING,
  DIFF_PEER_RESUME_READING,
  DIFF_PEER_EVENT_COUNT
};

#define DIFF_MAX_STEPS 16

typedef struct DiffStep {
  int kind;  /* DiffStepKind */
  int len;   /* writes */
  int retry; /* writes: DiffRetry */
  long mode; /* mode steps: SSL_MODE_* bit */
  int event; /* DIFF_PEER: DiffPeerEvent */
} DiffStep;

typedef struct DiffScenario {
  int is_server; /* the program under test's role */
  int tls13;     /* 1: TLS 1.3 only, 0: TLS 1.2 only */
  int transport; /* DiffTransport */
  int count;
  DiffStep steps[DIFF_MAX_STEPS];
} DiffScenario;

/* 1 on success; otherwise 0 and a one-line reason in err. */
int diff_parse(const char* text, DiffScenario* out, char* err, size_t err_len);
/* The text form (parses back to the same scenario). */
void diff_format(const DiffScenario* s, char* buf, size_t buf_len);
/* One step's token, e.g. "write_ex:16385/moved" or "peer:fin". */
void diff_format_step(const DiffStep* step, char* buf, size_t buf_len);
/* A reset needs TCP: such scenarios run over loopback TCP instead of a socketpair. */
int diff_needs_tcp(const DiffScenario* s);
/* The transport is a BIO pair the program pumps (biopair, smallbio). */
int diff_is_bio_pair(int transport);

#ifdef __cplusplus
}
#endif

#endif /* COMPAT_SUITE_DIFFERENTIAL_SCENARIO_H_ */
