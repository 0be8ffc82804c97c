/* fork_probe: forks while other threads make and free connections on a shared context, and has
 * each child make and free one connection of its own. A child that has not finished within the
 * watchdog's time is counted as hung (it inherited a lock some parent thread held at the fork).
 * An ordinary OpenSSL program: it links -lssl -lcrypto and knows nothing of the shim.
 *
 * usage: fork_probe CERT KEY FORKS   prints {"forks":N,"hung":H,"failed":F}
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kThreads = 4, kWatchdogSeconds = 1 };

static SSL_CTX* g_ctx;
static atomic_int g_stop;

static void* churn(void* arg) {
  (void)arg;
  while (!atomic_load(&g_stop)) {
    SSL* ssl = SSL_new(g_ctx);
    SSL_free(ssl);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: fork_probe CERT KEY FORKS\n");
    return 2;
  }
  const int forks = atoi(argv[3]);
  g_ctx = SSL_CTX_new(TLS_server_method());
  if (g_ctx == NULL || SSL_CTX_use_certificate_chain_file(g_ctx, argv[1]) != 1 ||
      SSL_CTX_use_PrivateKey_file(g_ctx, argv[2], SSL_FILETYPE_PEM) != 1) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; i++) pthread_create(&threads[i], NULL, churn, NULL);
  int hung = 0, failed = 0;
  for (int i = 0; i < forks; i++) {
    usleep(2000); /* let the threads get well inside SSL_new/SSL_free */
    pid_t pid = fork();
    if (pid == 0) {
      alarm(kWatchdogSeconds);
      SSL* ssl = SSL_new(g_ctx);
      int ok = ssl != NULL;
      SSL_free(ssl);
      _exit(ok ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
      failed++;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
      hung++;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      failed++;
    }
  }
  atomic_store(&g_stop, 1);
  for (int i = 0; i < kThreads; i++) pthread_join(threads[i], NULL);
  SSL_CTX_free(g_ctx);
  printf("{\"forks\":%d,\"hung\":%d,\"failed\":%d}\n", forks, hung, failed);
  return 0;
}
