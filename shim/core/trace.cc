#include "core/trace.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/ctrl_names.h"
#include "core/version.h"

namespace sslshim {

namespace trace_internal {
bool enabled = false;
LogLevel level = LogLevel::kRefusals;
}  // namespace trace_internal

namespace {

// SSLSHIM_LOG_FILE as read at load (a copy: the program may change its environment later).
const char* log_path = nullptr;

// The file is opened at the first line, not at load: a process with nothing to say (most, at the
// default level) leaves no file behind and pays no open().
int LogFd() {
  static const int fd = [] {
    if (log_path == nullptr) return STDERR_FILENO;
    int opened = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (opened < 0) {
      std::fprintf(stderr, "sslshim: SSLSHIM_LOG_FILE %s: %s; logging to stderr\n", log_path,
                   std::strerror(errno));
      return STDERR_FILENO;
    }
    return opened;
  }();
  return fd;
}

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

void InitLog() {
  const char* level = std::getenv("SSLSHIM_LOG");
  if (level != nullptr && *level != '\0') {
    static const struct {
      const char* name;
      LogLevel level;
    } kLevels[] = {{"off", LogLevel::kOff},
                   {"refusals", LogLevel::kRefusals},
                   {"info", LogLevel::kInfo},
                   {"trace", LogLevel::kTrace}};
    bool known = false;
    for (const auto& entry : kLevels) {
      if (std::strcmp(level, entry.name) == 0) {
        trace_internal::level = entry.level;
        known = true;
      }
    }
    // Said rather than ignored: someone asked for a log and would otherwise wait for one.
    if (!known) {
      std::fprintf(stderr,
                   "sslshim: SSLSHIM_LOG=%s is not a level (off, refusals, info, trace); "
                   "logging refusals\n",
                   level);
    }
  }
  if (const char* path = std::getenv("SSLSHIM_LOG_FILE"); path != nullptr && *path != '\0') {
    log_path = strdup(path);  // lives for the process
  }
  trace_internal::enabled = trace_internal::level == LogLevel::kTrace;
}

void WriteLogLine(const char* line, size_t length) {
  // One write per line; a failed or short write of a log line is not the program's problem.
  ssize_t ignored = write(LogFd(), line, length);
  (void)ignored;
}

void LogServing(const char* backend) {
  if (!LogEnabled(LogLevel::kInfo)) return;
  // Which file the shim was loaded from tells the mode: the stand-in is libssl.so.3 itself.
  Dl_info info;
  const char* mode = "preload";
  if (dladdr(reinterpret_cast<void*>(&LogServing), &info) != 0 && info.dli_fname != nullptr) {
    const char* slash = std::strrchr(info.dli_fname, '/');
    if (std::strcmp(slash != nullptr ? slash + 1 : info.dli_fname, "libssl.so.3") == 0) {
      mode = "standin";
    }
  }
  char line[256];
  int n;
  if (std::strcmp(backend, "openssl") == 0) {
    // The comparison backend: the TLS is the real libssl's, so the line says so.
    n = std::snprintf(line, sizeof line,
                      "sslshim: info sslshim %s, TLS by OpenSSL %s, mode %s, "
                      "backend openssl\n",
                      kVersion, OpenSSL_version(OPENSSL_VERSION_STRING), mode);
  } else {
    n = std::snprintf(line, sizeof line,
                      "sslshim: info sslshim %s, TLS by BoringSSL %s, mode %s, "
                      "backend %s\n",
                      kVersion, kBoringSslVersion, mode, backend);
  }
  if (n > 0) WriteLogLine(line, std::min(sizeof line - 1, static_cast<size_t>(n)));
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
    bool ctrl_command = false;
    if (i >= count - named) {
      while (*next_name == ' ') ++next_name;
      size_t length = std::strcspn(next_name, ",");
      Append(line, sizeof line - 1, &used, "%.*s=", static_cast<int>(length), next_name);
      // SSL_ctrl, SSL_CTX_ctrl and the callback_ctrl pair: the command by OpenSSL's name.
      ctrl_command = length == 3 && std::strncmp(next_name, "cmd", 3) == 0 &&
                     std::strstr(name, "ctrl") != nullptr;
      next_name += length + (next_name[length] == ',' ? 1 : 0);
    }
    const char* command = nullptr;
    if (ctrl_command && args[i].kind == TraceValue::Kind::kSigned) {
      command = CtrlCommandName(static_cast<long>(static_cast<int64_t>(args[i].bits)));
    }
    if (command != nullptr) Append(line, sizeof line - 1, &used, "%s (", command);
    AppendValue(line, sizeof line - 1, &used, args[i]);
    if (command != nullptr) Append(line, sizeof line - 1, &used, ")");
  }
  Append(line, sizeof line - 1, &used, ")");
  if (result.kind != TraceValue::Kind::kNone) {
    Append(line, sizeof line - 1, &used, " = ");
    AppendValue(line, sizeof line - 1, &used, result);
  }
  line[used++] = '\n';
  WriteLogLine(line, used);
}

}  // namespace sslshim
