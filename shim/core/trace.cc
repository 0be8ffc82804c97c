#include "core/trace.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sslshim {

namespace trace_internal {
bool enabled = false;
}  // namespace trace_internal

namespace {

int trace_fd = STDERR_FILENO;

// Appends to `line` at `*used`, never past `size` (a long line is cut, not overrun).
void Append(char* line, size_t size, size_t* used, const char* format, ...)
    __attribute__((format(printf, 4, 5)));
void Append(char* line, size_t size, size_t* used, const char* format, ...) {
  if (*used >= size) return;
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(line + *used, size - *used, format, args);
  va_end(args);
  if (n > 0) *used = std::min(size - 1, *used + static_cast<size_t>(n));
}

void AppendValue(char* line, size_t size, size_t* used, TraceValue value) {
  switch (value.kind) {
    case TraceValue::Kind::kNone:
      break;
    case TraceValue::Kind::kSigned:
      Append(line, size, used, "%" PRId64, static_cast<int64_t>(value.bits));
      break;
    case TraceValue::Kind::kUnsigned:
      Append(line, size, used, "%" PRIu64, value.bits);
      break;
    case TraceValue::Kind::kPointer:
      if (value.bits == 0) {
        Append(line, size, used, "NULL");
      } else {
        Append(line, size, used, "0x%" PRIx64, value.bits);
      }
      break;
  }
}

}  // namespace

void InitTrace() {
  const char* level = std::getenv("SSLSHIM_LOG");
  if (level == nullptr || std::strcmp(level, "trace") != 0) return;
  if (const char* path = std::getenv("SSLSHIM_LOG_FILE"); path != nullptr && *path != '\0') {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
      std::fprintf(stderr, "sslshim: SSLSHIM_LOG_FILE %s: %s; tracing to stderr\n", path,
                   std::strerror(errno));
    } else {
      trace_fd = fd;
    }
  }
  trace_internal::enabled = true;
}

void WriteTraceLine(const char* name, const char* arg_names, TraceValue result,
                    const TraceValue* args, int count) {
  char line[1024];
  size_t used = 0;
  Append(line, sizeof line - 1, &used, "sslshim: trace %s(", name);
  // The names cover the last arguments; the object, when there is one, comes first, unnamed.
  int named = *arg_names == '\0' ? 0 : 1;
  for (const char* p = arg_names; *p != '\0'; ++p) named += *p == ',';
  const char* next_name = arg_names;
  for (int i = 0; i < count; ++i) {
    if (i > 0) Append(line, sizeof line - 1, &used, ", ");
    if (i >= count - named) {
      while (*next_name == ' ') ++next_name;
      size_t length = std::strcspn(next_name, ",");
      Append(line, sizeof line - 1, &used, "%.*s=", static_cast<int>(length), next_name);
      next_name += length + (next_name[length] == ',' ? 1 : 0);
    }
    AppendValue(line, sizeof line - 1, &used, args[i]);
  }
  Append(line, sizeof line - 1, &used, ")");
  if (result.kind != TraceValue::Kind::kNone) {
    Append(line, sizeof line - 1, &used, " = ");
    AppendValue(line, sizeof line - 1, &used, result);
  }
  line[used++] = '\n';
  // One write per line; a failed or short write of a trace line is not the program's problem.
  ssize_t ignored = write(trace_fd, line, used);
  (void)ignored;
}

}  // namespace sslshim
