#include "scenario.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* const kTransports[DIFF_TRANSPORT_COUNT] = {"sock", "nbsock", "biopair",
                                                              "smallbio", "shortbio"};
static const char* const kRetries[DIFF_RETRY_COUNT] = {"same", "shorter", "moved"};
static const char* const kEvents[DIFF_PEER_EVENT_COUNT] = {
    "data", "close_notify", "fin", "close", "rst", "stop_reading", "resume_reading"};

typedef struct ModeName {
  const char* name;
  long mode;
} ModeName;
static const ModeName kModes[] = {{"partial", SSL_MODE_ENABLE_PARTIAL_WRITE},
                                  {"moving", SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER},
                                  {"autoretry", SSL_MODE_AUTO_RETRY}};
#define MODE_COUNT (sizeof kModes / sizeof kModes[0])

static int index_of(const char* const* names, int count, const char* name) {
  for (int i = 0; i < count; i++) {
    if (strcmp(names[i], name) == 0) return i;
  }
  return -1;
}

static int parse_write(const char* arg, DiffStep* step) {
  char* end = NULL;
  long len = strtol(arg, &end, 10);
  if (end == arg || len < 0 || len > 1000000) return 0;
  step->len = (int)len;
  step->retry = DIFF_RETRY_SAME;
  if (*end == '/') {
    step->retry = index_of(kRetries, DIFF_RETRY_COUNT, end + 1);
    return step->retry >= 0;
  }
  return *end == '\0';
}

static int parse_step(const char* tok, DiffStep* step) {
  memset(step, 0, sizeof *step);
  if (strncmp(tok, "write:", 6) == 0) {
    step->kind = DIFF_WRITE;
    return parse_write(tok + 6, step);
  }
  if (strncmp(tok, "write_ex:", 9) == 0) {
    step->kind = DIFF_WRITE_EX;
    return parse_write(tok + 9, step);
  }
  if (strncmp(tok, "peer:", 5) == 0) {
    step->kind = DIFF_PEER;
    step->event = index_of(kEvents, DIFF_PEER_EVENT_COUNT, tok + 5);
    return step->event >= 0;
  }
  if (strncmp(tok, "mode+", 5) == 0 || strncmp(tok, "mode-", 5) == 0) {
    step->kind = tok[4] == '+' ? DIFF_MODE_SET : DIFF_MODE_CLEAR;
    for (size_t i = 0; i < MODE_COUNT; i++) {
      if (strcmp(kModes[i].name, tok + 5) == 0) {
        step->mode = kModes[i].mode;
        return 1;
      }
    }
    return 0;
  }
  static const struct {
    const char* name;
    int kind;
  } kPlain[] = {{"read", DIFF_READ},
                {"peek", DIFF_PEEK},
                {"shutdown", DIFF_SHUTDOWN},
                {"key_update", DIFF_KEY_UPDATE}};
  for (size_t i = 0; i < sizeof kPlain / sizeof kPlain[0]; i++) {
    if (strcmp(kPlain[i].name, tok) == 0) {
      step->kind = kPlain[i].kind;
      return 1;
    }
  }
  return 0;
}

int diff_parse(const char* text, DiffScenario* out, char* err, size_t err_len) {
  memset(out, 0, sizeof *out);
  char copy[2048];
  if (strlen(text) >= sizeof copy) {
    snprintf(err, err_len, "scenario too long");
    return 0;
  }
  strcpy(copy, text);
  int field = 0;
  char* save = NULL;
  for (char* tok = strtok_r(copy, " \t\n", &save); tok != NULL;
       tok = strtok_r(NULL, " \t\n", &save), field++) {
    if (field == 0) {
      if (strcmp(tok, "client") != 0 && strcmp(tok, "server") != 0) {
        snprintf(err, err_len, "'%s': expected client or server", tok);
        return 0;
      }
      out->is_server = strcmp(tok, "server") == 0;
    } else if (field == 1) {
      if (strcmp(tok, "tls1.2") != 0 && strcmp(tok, "tls1.3") != 0) {
        snprintf(err, err_len, "'%s': expected tls1.2 or tls1.3", tok);
        return 0;
      }
      out->tls13 = strcmp(tok, "tls1.3") == 0;
    } else if (field == 2) {
      out->transport = index_of(kTransports, DIFF_TRANSPORT_COUNT, tok);
      if (out->transport < 0) {
        snprintf(err, err_len, "'%s': expected sock, nbsock, biopair, smallbio or shortbio", tok);
        return 0;
      }
    } else {
      if (out->count == DIFF_MAX_STEPS) {
        snprintf(err, err_len, "more than %d steps", DIFF_MAX_STEPS);
        return 0;
      }
      if (!parse_step(tok, &out->steps[out->count])) {
        snprintf(err, err_len, "'%s' is not a step", tok);
        return 0;
      }
      out->count++;
    }
  }
  if (field < 3) {
    snprintf(err, err_len, "expected: client|server tls1.2|tls1.3 TRANSPORT STEP...");
    return 0;
  }
  return 1;
}

void diff_format_step(const DiffStep* step, char* buf, size_t buf_len) {
  const char* retry = step->retry == DIFF_RETRY_SAME ? "" : kRetries[step->retry];
  const char* slash = *retry != '\0' ? "/" : "";
  const char* mode = "?";
  for (size_t i = 0; i < MODE_COUNT; i++) {
    if (kModes[i].mode == step->mode) mode = kModes[i].name;
  }
  switch (step->kind) {
    case DIFF_WRITE:
      snprintf(buf, buf_len, "write:%d%s%s", step->len, slash, retry);
      break;
    case DIFF_WRITE_EX:
      snprintf(buf, buf_len, "write_ex:%d%s%s", step->len, slash, retry);
      break;
    case DIFF_READ:
      snprintf(buf, buf_len, "read");
      break;
    case DIFF_PEEK:
      snprintf(buf, buf_len, "peek");
      break;
    case DIFF_SHUTDOWN:
      snprintf(buf, buf_len, "shutdown");
      break;
    case DIFF_KEY_UPDATE:
      snprintf(buf, buf_len, "key_update");
      break;
    case DIFF_MODE_SET:
    case DIFF_MODE_CLEAR:
      snprintf(buf, buf_len, "mode%c%s", step->kind == DIFF_MODE_SET ? '+' : '-', mode);
      break;
    default:
      snprintf(buf, buf_len, "peer:%s", kEvents[step->event]);
      break;
  }
}

void diff_format(const DiffScenario* s, char* buf, size_t buf_len) {
  size_t used = (size_t)snprintf(buf, buf_len, "%s %s %s", s->is_server ? "server" : "client",
                                 s->tls13 ? "tls1.3" : "tls1.2", kTransports[s->transport]);
  for (int i = 0; i < s->count && used < buf_len; i++) {
    char tok[64];
    diff_format_step(&s->steps[i], tok, sizeof tok);
    used += (size_t)snprintf(buf + used, buf_len - used, " %s", tok);
  }
}

int diff_needs_tcp(const DiffScenario* s) {
  for (int i = 0; i < s->count; i++) {
    if (s->steps[i].kind == DIFF_PEER && s->steps[i].event == DIFF_PEER_RST) return 1;
  }
  return 0;
}

int diff_is_bio_pair(int transport) {
  return transport == DIFF_BIOPAIR || transport == DIFF_SMALLBIO;
}
