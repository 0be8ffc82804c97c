/* Helpers shared by tls_app and tls_peer, the two C programs of the end-to-end tests: the payload
 * pattern both sides agree on, SHA-256 in hex, endpoints (an inherited fd or host:port), and JSON
 * output. Plain C and libcrypto only, so the programs stay ordinary OpenSSL programs. */
#ifndef SSLSHIM_TESTS_E2E_TLS_COMMON_H_
#define SSLSHIM_TESTS_E2E_TLS_COMMON_H_

#include <stddef.h>
#include <stdio.h>

#define E2E_SHA256_HEX_LEN 64

/* Fills buf with the deterministic, non-periodic payload both programs expect (a byte stream
 * whose SHA-256 changes if any record is lost, repeated or reordered). */
void e2e_fill_pattern(unsigned char* buf, size_t len);

/* Writes the lowercase hex of the 32-byte digest into out (E2E_SHA256_HEX_LEN + 1 bytes). */
void e2e_hex(const unsigned char* digest, size_t len, char* out);

/* Parses "1.2" / "1.3" into TLS1_2_VERSION / TLS1_3_VERSION; 0 if neither. */
int e2e_parse_tls_version(const char* text);

/* Opens the connection named by endpoint: a decimal fd number (an inherited socket, used as is),
 * or host:port (a client connects, retrying while refused for up to 3 s; a server listens and
 * accepts one connection). Returns the fd, or -1 with a message in err. */
int e2e_open_endpoint(const char* endpoint, int is_server, char* err, size_t err_len);

/* Waits up to E2E_IO_TIMEOUT_MS for fd to become readable (POLLIN) or writable (POLLOUT).
 * Returns 0 when ready, -1 on timeout or poll error. */
#define E2E_IO_TIMEOUT_MS 10000
int e2e_wait_fd(int fd, short events);

/* Writes all of buf to fd, waiting with poll() when the fd is non-blocking and full. */
int e2e_write_all_fd(int fd, const unsigned char* buf, size_t len);

/* JSON output: one object on one line. Strings are escaped. */
void e2e_json_begin(FILE* out);
void e2e_json_str(FILE* out, const char* key, const char* value);
void e2e_json_long(FILE* out, const char* key, long long value);
void e2e_json_bool(FILE* out, const char* key, int value);
/* An array of unsigned 16-bit values (group ids, cipher suites, extension types). */
void e2e_json_u16_array(FILE* out, const char* key, const unsigned* values, size_t count);
void e2e_json_end(FILE* out);

/* Appends the program's OpenSSL error queue to buf (and clears it). */
void e2e_append_ssl_errors(char* buf, size_t len);

/* The run's first failure, with the OpenSSL error queue at that moment ("" while none). */
extern char e2e_error[4096];
/* Records the first failure (later ones are consequences), and says it on stderr as `who`. */
void e2e_fail(const char* who, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* SSLSHIM_TESTS_E2E_TLS_COMMON_H_ */
