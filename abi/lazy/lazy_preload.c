// The lazy preload library, libsslshim-lazy.so: for LD_PRELOAD where most processes never use TLS
// (a shell's or a service manager's environment). It exports every libssl.so.3 name, as
// libsslshim.so does, but links nothing beyond libc, so a process that never calls libssl pays for
// loading one small object; the first libssl call loads libsslshim.so from the same directory and
// every entry point then jumps straight to the shim's function (lazy_dispatch.S).
#define _GNU_SOURCE /* dladdr, dlvsym */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// An entry of lazy_trampolines.S: the libssl name and, once resolved, the shim's function.
struct sslshim_lazy_entry {
  const char* name;
  void* target;
};

void* sslshim_lazy_resolve(struct sslshim_lazy_entry* entry) __attribute__((visibility("hidden")));

static char shim_path[PATH_MAX];
static void* shim;
static pthread_once_t shim_once = PTHREAD_ONCE_INIT;

// Nothing can be answered for a libssl call without the shim: the process stops with the reason,
// rather than run on with no TLS library behind its calls.
static void __attribute__((noreturn)) Die(const char* what, const char* detail) {
  char line[PATH_MAX + 512];
  int n = snprintf(line, sizeof line, "sslshim: libsslshim-lazy.so: %s: %s\n", what,
                   detail != NULL ? detail : "(no detail)");
  if (n > 0) {
    ssize_t ignored = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line);
    (void)ignored;
  }
  abort();
}

// The directory this library was loaded from, made absolute at start-up: LD_PRELOAD may name it
// relative to a working directory the program leaves before its first libssl call.
__attribute__((constructor)) static void FindShim(void) {
  Dl_info info;
  if (dladdr((void*)&FindShim, &info) == 0 || info.dli_fname == NULL) return;
  char self[PATH_MAX];
  if (realpath(info.dli_fname, self) == NULL) return;
  char* slash = strrchr(self, '/');
  if (slash == NULL) return;
  *slash = '\0';
  const int n = snprintf(shim_path, sizeof shim_path, "%s/libsslshim.so", self);
  if (n < 0 || (size_t)n >= sizeof shim_path) shim_path[0] = '\0';  // too long: LoadShim says so
}

static void LoadShim(void) {
  if (shim_path[0] == '\0') Die("cannot tell which directory it was loaded from", NULL);
  // Local: the shim's names must not come before libssl's in the program's lookups; this
  // library's entry points already stand there. The shim's search for libssl's own functions
  // after itself (RTLD_NEXT) finds none from here, and it takes them from the loaded libssl.so.3
  // by its handle (the lazy-preload test forwards calls on the real libssl's objects).
  shim = dlopen(shim_path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (shim == NULL) Die("cannot load the shim", dlerror());
}

void* sslshim_lazy_resolve(struct sslshim_lazy_entry* entry) {
  pthread_once(&shim_once, LoadShim);
  void* target = dlvsym(shim, entry->name, "OPENSSL_3.0.0");
  if (target == NULL) Die(entry->name, "not in the shim");
  __atomic_store_n(&entry->target, target, __ATOMIC_RELEASE);
  return target;
}
