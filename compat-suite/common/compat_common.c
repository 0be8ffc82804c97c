#include "compat_common.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void compat_stream_fill(unsigned char* buf, size_t n, uint64_t offset) {
  for (size_t i = 0; i < n; i++) buf[i] = compat_stream_byte(offset + i);
}

int compat_ctl_send(int fd, char event) {
  if (fd < 0) return -1;
  ssize_t n;
  do {
    n = write(fd, &event, 1);
  } while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : -1;
}

int compat_ctl_wait(int fd, char event, int timeout_ms) {
  if (fd < 0) return -1;
  long long deadline = compat_now_ms() + timeout_ms;
  for (;;) {
    long long left = deadline - compat_now_ms();
    if (left <= 0) return -1;
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n != 1) return -1;
    if (c == event) return 0;
  }
}

int compat_set_nonblocking(int fd, int on) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -1;
  flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  return fcntl(fd, F_SETFL, flags);
}

long long compat_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cj_raw(CompatJson* j, const char* s) {
  size_t n = strlen(s);
  if (j->len + n + 1 >= sizeof(j->buf)) return; /* truncated rather than overflowing */
  memcpy(j->buf + j->len, s, n);
  j->len += n;
  j->buf[j->len] = '\0';
}

static void cj_quoted(CompatJson* j, const char* s) {
  char esc[8];
  cj_raw(j, "\"");
  for (const unsigned char* p = (const unsigned char*)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      esc[2] = '\0';
    } else if (*p < 0x20 || *p >= 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", *p);
    } else {
      esc[0] = (char)*p;
      esc[1] = '\0';
    }
    cj_raw(j, esc);
  }
  cj_raw(j, "\"");
}

static void cj_key(CompatJson* j, const char* key) {
  if (!j->first[j->depth]) cj_raw(j, ",");
  j->first[j->depth] = 0;
  if (key != NULL) {
    cj_quoted(j, key);
    cj_raw(j, ":");
  }
}

void cj_begin(CompatJson* j) {
  j->len = 0;
  j->buf[0] = '\0';
  j->depth = 0;
  j->first[0] = 1;
  cj_raw(j, "{");
}

void cj_str(CompatJson* j, const char* key, const char* value) {
  cj_key(j, key);
  cj_quoted(j, value != NULL ? value : "");
}

void cj_int(CompatJson* j, const char* key, long long value) {
  char num[32];
  snprintf(num, sizeof num, "%lld", value);
  cj_key(j, key);
  cj_raw(j, num);
}

void cj_bool(CompatJson* j, const char* key, int value) {
  cj_key(j, key);
  cj_raw(j, value ? "true" : "false");
}

static void cj_open(CompatJson* j, const char* key, const char* bracket) {
  cj_key(j, key);
  cj_raw(j, bracket);
  if (j->depth < 7) j->depth++;
  j->first[j->depth] = 1;
}

void cj_open_obj(CompatJson* j, const char* key) { cj_open(j, key, "{"); }
void cj_open_arr(CompatJson* j, const char* key) { cj_open(j, key, "["); }

void cj_close_obj(CompatJson* j) {
  cj_raw(j, "}");
  if (j->depth > 0) j->depth--;
}

void cj_close_arr(CompatJson* j) {
  cj_raw(j, "]");
  if (j->depth > 0) j->depth--;
}

void cj_err_queue(CompatJson* j, const char* key) {
  cj_open_arr(j, key);
  const char* func = NULL;
  const char* data = NULL;
  int flags = 0;
  unsigned long e;
  while ((e = ERR_get_error_all(NULL, NULL, &func, &data, &flags)) != 0) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    cj_open_obj(j, NULL);
    cj_int(j, "lib", ERR_GET_LIB(e));
    cj_int(j, "reason", ERR_GET_REASON(e));
    cj_str(j, "text", text);
    cj_str(j, "func", func != NULL ? func : "");
    if ((flags & ERR_TXT_STRING) && data != NULL) cj_str(j, "data", data);
    cj_close_obj(j);
  }
  cj_close_arr(j);
}

void cj_end_print(CompatJson* j) {
  cj_raw(j, "}");
  fputs(j->buf, stdout);
  fputc('\n', stdout);
  fflush(stdout);
}

int compat_is_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK) != 0;
}
