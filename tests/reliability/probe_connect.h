/* Shared by the probes that connect to a server the test starts at the same time. */
#ifndef SSLSHIM_TESTS_RELIABILITY_PROBE_CONNECT_H_
#define SSLSHIM_TESTS_RELIABILITY_PROBE_CONNECT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A TCP connection to 127.0.0.1:port, retrying for up to 5 s while the server starts; -1 if none.
 */
static inline int connect_with_retries(int port) {
  for (int attempt = 0; attempt < 100; attempt++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr*)&addr, sizeof addr) == 0) return fd;
    close(fd);
    usleep(50 * 1000);
  }
  return -1;
}

/* For "NAME PORT 1.2|1.3": ignores SIGPIPE, sets *port, and returns a client context bound to
 * that version; NULL, after printing the usage, for other arguments. */
static inline SSL_CTX* client_ctx_from_args(int argc, char** argv, const char* name, int* port) {
  signal(SIGPIPE, SIG_IGN);
  if (argc != 3) {
    fprintf(stderr, "usage: %s PORT 1.2|1.3\n", name);
    return NULL;
  }
  *port = atoi(argv[1]);
  const int version = strcmp(argv[2], "1.3") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return NULL;
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  return ctx;
}

#endif
