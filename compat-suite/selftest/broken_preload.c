/* A deliberately wrong SSL_write, preloaded into the SUT by the suite's self-test: it claims
 * success for num <= 0 and for a NULL buffer. The self-test (CMakeLists.txt) requires the suite to
 * call that `breaks`, so the suite's judging is shown to be able to fail. Never shipped. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <openssl/ssl.h>

int SSL_write(SSL* ssl, const void* buf, int num) {
  if (num <= 0 || buf == NULL) return num > 0 ? num : 1;
  int (*real)(SSL*, const void*, int) =
      (int (*)(SSL*, const void*, int))dlvsym(RTLD_NEXT, "SSL_write", "OPENSSL_3.0.0");
  return real != NULL ? real(ssl, buf, num) : -1;
}
