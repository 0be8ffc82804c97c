/* Shared by the system under test (compat-sut) and its peer (compat-peer): the byte stream every
 * case writes, the control channel between the two programs, and the one-line JSON writer both use
 * to report observations to the runner. Plain C and plain OpenSSL 3 API only: the SUT must stay an
 * ordinary OpenSSL program. */
#ifndef COMPAT_SUITE_COMMON_COMPAT_COMMON_H_
#define COMPAT_SUITE_COMMON_COMPAT_COMMON_H_

#include <stddef.h>
#include <stdint.h>

/* Byte at offset k of the application stream. Not periodic at record or buffer sizes, so a byte
 * delivered twice, lost, or reordered shows up as a mismatch at the peer. */
static inline unsigned char compat_stream_byte(uint64_t k) {
  return (unsigned char)((k * 131u) ^ (k >> 7) ^ (k >> 17) ^ 0x5a);
}
void compat_stream_fill(unsigned char* buf, size_t n, uint64_t offset);

/* Control channel (a socketpair between SUT and peer, separate from the TLS transport): one
 * character per event, so "the peer has sent close_notify" or "start draining now" are ordered
 * facts rather than sleeps. Waits are bounded; on timeout or a closed channel they return -1. */
int compat_ctl_send(int fd, char event);
int compat_ctl_wait(int fd, char event, int timeout_ms);

/* One JSON object written on one line. Nesting up to 8 levels; keys are NULL inside arrays. */
typedef struct CompatJson {
  char buf[32768];
  size_t len;
  int depth;
  int first[8];
} CompatJson;

void cj_begin(CompatJson* j);
void cj_str(CompatJson* j, const char* key, const char* value);
void cj_int(CompatJson* j, const char* key, long long value);
void cj_bool(CompatJson* j, const char* key, int value);
void cj_open_obj(CompatJson* j, const char* key);
void cj_close_obj(CompatJson* j);
void cj_open_arr(CompatJson* j, const char* key);
void cj_close_arr(CompatJson* j);
/* Drains this thread's OpenSSL error queue into an array of {lib, reason, text, func}. */
void cj_err_queue(CompatJson* j, const char* key);
/* Closes the object, prints it as one line on stdout and flushes (a later crash keeps it). */
void cj_end_print(CompatJson* j);

/* Sets a socket (or any fd) blocking (0) or non-blocking (1). */
int compat_set_nonblocking(int fd, int on);
int compat_is_nonblocking(int fd);
/* Milliseconds on a monotonic clock. */
long long compat_now_ms(void);

#endif /* COMPAT_SUITE_COMMON_COMPAT_COMMON_H_ */
