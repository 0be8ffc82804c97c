/*
 * A program that does not link libssl, run with the shim preloaded, and loads libssl.so.3 late
 * with a module opened RTLD_LOCAL, as Python does with _ssl. Usage: late_libssl_probe MODULE
 *
 * First it calls guarded libssl names while there is no real libssl: each is refused (the shim
 * remembers that the search failed), and then, the module loaded, calls on the real libssl's
 * objects must reach the real libssl all the same. Those first calls are made in a forked child
 * and, in the parent, from several threads at once. Exit 0 when all held.
 */
#define _GNU_SOURCE /* dlvsym, RTLD_DEFAULT */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef const void* (*getter_fn)(const void*);
typedef const char* (*check_fn)(void);

enum { kThreads = 8 };

static pthread_barrier_t start;
static check_fn check;

static int fail(const char* what) {
  fprintf(stderr, "late_libssl_probe: %s\n", what);
  return 1;
}

/* Guarded names with no real libssl to forward to: refused (NULL), twice each. */
static int refused_before_libssl(void) {
  static const char* const names[] = {"SSL_CTX_get_ssl_method", "SSL_CTX_get_ciphers",
                                      "SSL_CTX_get_security_callback"};
  for (int round = 0; round < 2; round++) {
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      getter_fn getter = (getter_fn)dlsym(RTLD_DEFAULT, names[i]);
      if (getter == NULL) return fail("a libssl name is not exported: is the shim preloaded?");
      if (getter(NULL) != NULL) return fail("a guard answered with no real libssl loaded");
    }
  }
  return 0;
}

static int is_libssl(struct dl_phdr_info* info, size_t size, void* unused) {
  (void)size, (void)unused;
  const char* slash = strrchr(info->dlpi_name, '/');
  return strcmp(slash != NULL ? slash + 1 : info->dlpi_name, "libssl.so.3") == 0;
}

/* Looked for among the loaded objects, not with dlopen(RTLD_NOLOAD): the test counts the shim's
 * attempts to open the file. */
static int libssl_loaded(void) { return dl_iterate_phdr(is_libssl, NULL) != 0; }

static void* check_in_thread(void* unused) {
  (void)unused;
  pthread_barrier_wait(&start);
  return (void*)check();
}

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: late_libssl_probe MODULE");
  if (libssl_loaded()) {
    return fail("libssl.so.3 is loaded before the module: the scenario needs it loaded late");
  }
  if (refused_before_libssl() != 0) return 1;

  void* module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (module == NULL) return fail(dlerror());
  check = (check_fn)dlsym(module, "late_libssl_module_check");
  if (check == NULL) return fail(dlerror());

  /* A child's first calls: it inherits what the parent found (nothing yet). */
  pid_t child = fork();
  if (child < 0) return fail("fork failed");
  if (child == 0) {
    const char* why = check();
    _exit(why == NULL ? 0 : fail(why));
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail("the forked child's calls on the real libssl's objects were not forwarded");
  }

  /* The parent's first calls, from several threads at once. */
  pthread_t threads[kThreads];
  pthread_barrier_init(&start, NULL, kThreads);
  for (int i = 0; i < kThreads; i++) {
    if (pthread_create(&threads[i], NULL, check_in_thread, NULL) != 0) {
      return fail("pthread_create failed");
    }
  }
  int failed = 0;
  for (int i = 0; i < kThreads; i++) {
    void* why = NULL;
    pthread_join(threads[i], &why);
    if (why != NULL) failed = fail((const char*)why);
  }
  pthread_barrier_destroy(&start);
  return failed;
}
