/* See tls_common.h. */
#define _GNU_SOURCE
#include "tls_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void e2e_fill_pattern(unsigned char* buf, size_t len) {
  /* xorshift64: cheap, deterministic, and no period anywhere near the payload sizes. */
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < len; i++) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    buf[i] = (unsigned char)(state >> 56);
  }
}

void e2e_hex(const unsigned char* digest, size_t len, char* out) {
  static const char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xf];
  }
  out[2 * len] = '\0';
}

int e2e_parse_tls_version(const char* text) {
  if (strcmp(text, "1.2") == 0) return TLS1_2_VERSION;
  if (strcmp(text, "1.3") == 0) return TLS1_3_VERSION;
  return 0;
}

static int split_host_port(const char* endpoint, char* host, size_t host_len, const char** port) {
  const char* colon = strrchr(endpoint, ':');
  if (colon == NULL || (size_t)(colon - endpoint) >= host_len) return -1;
  memcpy(host, endpoint, (size_t)(colon - endpoint));
  host[colon - endpoint] = '\0';
  *port = colon + 1;
  return 0;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int e2e_open_endpoint(const char* endpoint, int is_server, char* err, size_t err_len) {
  char* end = NULL;
  long fd = strtol(endpoint, &end, 10);
  if (*endpoint != '\0' && *end == '\0') return (int)fd;

  char host[256];
  const char* port = NULL;
  if (split_host_port(endpoint, host, sizeof host, &port) != 0) {
    snprintf(err, err_len, "endpoint '%s' is neither an fd number nor host:port", endpoint);
    return -1;
  }
  struct addrinfo hints = {0}, *ai = NULL;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = is_server ? AI_PASSIVE : 0;
  int rc = getaddrinfo(host, port, &hints, &ai);
  if (rc != 0) {
    snprintf(err, err_len, "getaddrinfo(%s): %s", endpoint, gai_strerror(rc));
    return -1;
  }
  int sock = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
  if (sock < 0) {
    snprintf(err, err_len, "socket: %s", strerror(errno));
    freeaddrinfo(ai);
    return -1;
  }
  if (is_server) {
    int one = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(sock, ai->ai_addr, ai->ai_addrlen) != 0 || listen(sock, 1) != 0) {
      snprintf(err, err_len, "bind/listen %s: %s", endpoint, strerror(errno));
      freeaddrinfo(ai);
      close(sock);
      return -1;
    }
    freeaddrinfo(ai);
    int conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) snprintf(err, err_len, "accept: %s", strerror(errno));
    close(sock);
    return conn;
  }
  /* The server may still be starting: retry a refused connect for a bounded time. */
  for (int attempt = 0;; attempt++) {
    if (connect(sock, ai->ai_addr, ai->ai_addrlen) == 0) break;
    if (errno != ECONNREFUSED || attempt >= 150) {
      snprintf(err, err_len, "connect %s: %s", endpoint, strerror(errno));
      freeaddrinfo(ai);
      close(sock);
      return -1;
    }
    sleep_ms(20);
  }
  freeaddrinfo(ai);
  return sock;
}

int e2e_wait_fd(int fd, short events) {
  struct pollfd p = {fd, events, 0};
  for (;;) {
    int rc = poll(&p, 1, E2E_IO_TIMEOUT_MS);
    if (rc > 0) return 0;
    if (rc == 0) return -1;
    if (errno != EINTR) return -1;
  }
}

int e2e_write_all_fd(int fd, const unsigned char* buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n > 0) {
      buf += n;
      len -= (size_t)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (e2e_wait_fd(fd, POLLOUT) != 0) return -1;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return -1;
    }
  }
  return 0;
}

static int json_first = 1;

static void json_key(FILE* out, const char* key) {
  fputs(json_first ? "\"" : ",\"", out);
  json_first = 0;
  fputs(key, out);
  fputs("\":", out);
}

static void json_string_value(FILE* out, const char* value) {
  fputc('"', out);
  for (const unsigned char* p = (const unsigned char*)value; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\') {
      fputc('\\', out);
      fputc(*p, out);
    } else if (*p < 0x20) {
      fprintf(out, "\\u%04x", *p);
    } else {
      fputc(*p, out);
    }
  }
  fputc('"', out);
}

void e2e_json_begin(FILE* out) {
  json_first = 1;
  fputc('{', out);
}

void e2e_json_str(FILE* out, const char* key, const char* value) {
  json_key(out, key);
  json_string_value(out, value != NULL ? value : "");
}

void e2e_json_long(FILE* out, const char* key, long long value) {
  json_key(out, key);
  fprintf(out, "%lld", value);
}

void e2e_json_bool(FILE* out, const char* key, int value) {
  json_key(out, key);
  fputs(value ? "true" : "false", out);
}

void e2e_json_u16_array(FILE* out, const char* key, const unsigned* values, size_t count) {
  json_key(out, key);
  fputc('[', out);
  for (size_t i = 0; i < count; i++) fprintf(out, i == 0 ? "%u" : ",%u", values[i]);
  fputc(']', out);
}

void e2e_json_end(FILE* out) {
  fputs("}\n", out);
  fflush(out);
}

void e2e_append_ssl_errors(char* buf, size_t len) {
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    size_t used = strlen(buf);
    if (used + 2 >= len) break;
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    snprintf(buf + used, len - used, " [%s]", text);
  }
}

char e2e_error[4096];

void e2e_fail(const char* who, const char* fmt, ...) {
  if (e2e_error[0] != '\0') {
    ERR_clear_error();
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e2e_error, sizeof e2e_error, fmt, ap);
  va_end(ap);
  e2e_append_ssl_errors(e2e_error, sizeof e2e_error);
  fprintf(stderr, "%s: %s\n", who, e2e_error);
}
