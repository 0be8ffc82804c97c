/* compat-peer: the other end of every case. Plain OpenSSL 3, never preloaded: it is the real
 * OpenSSL that requests renegotiation, sends close_notify or an alert, stops reading or resets
 * the socket, and it reports what arrived (bytes, digest, records, alerts, the ClientHello). */
#ifndef COMPAT_SUITE_PEER_PEER_H_
#define COMPAT_SUITE_PEER_PEER_H_

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <stdint.h>

typedef struct Peer {
  const char* script;
  int tls_version;
  int is_server;
  int fd;
  int ctl;
  const char* cert_file;
  const char* key_file;
  SSL_CTX* ctx;
  SSL* ssl;
  int fd_closed;

  /* what the peer saw */
  int hellos;           /* ClientHellos received (2 after a renegotiation) */
  int hello_groups[32]; /* supported_groups of the first ClientHello */
  int hello_group_count;
  int hello_ciphers;  /* cipher suites offered in the first ClientHello */
  uint64_t raw_in;    /* bytes read from the socket by libssl */
  uint64_t app_bytes; /* application bytes SSL_read returned */
  int stream_ok;      /* every application byte matched the stream at its offset */
  int64_t first_mismatch;
  EVP_MD_CTX* digest;
  int records_in;     /* TLS records received */
  int app_records_in; /* of which application data (inner type for TLS 1.3) */
  int key_updates_in;
  int alerts_in[4], alerts_in_count;
  int alerts_out[4], alerts_out_count;
  int request_sent;    /* renegotiation / KeyUpdate request went out */
  uint64_t tail_bytes; /* raw bytes after the peer stopped using TLS (close_notify, alert...) */
  int tail_records;
  int tail_types[4], tail_type_count;
  const char* note;
} Peer;

typedef void (*PeerScriptFn)(Peer* p);
typedef struct PeerScript {
  const char* name;
  PeerScriptFn run;
} PeerScript;
extern const PeerScript kPeerScripts[];

/* peer_tls.c */
int peer_setup(Peer* p);
void peer_handshake(Peer* p);
int peer_handshake_ok(void);
void peer_drain(Peer* p, int slow, uint64_t request_after);
void peer_request_post_handshake(Peer* p);
/* Reads (non-blocking) until the requested renegotiation is complete; 0 on timeout. */
int peer_await_renegotiation(Peer* p);
void peer_count_tail(Peer* p);
void peer_report(Peer* p);

#endif /* COMPAT_SUITE_PEER_PEER_H_ */
