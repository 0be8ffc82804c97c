/* compat-peer --script NAME --tls 1.2|1.3|none --role client|server --fd N --ctl N
 *             --cert PEM --key PEM
 * Prints one JSON line describing what it received. Exit status 0, or 2 on usage/setup error. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer.h"

int main(int argc, char** argv) {
  Peer p;
  memset(&p, 0, sizeof p);
  p.fd = -1;
  p.ctl = -1;
  p.stream_ok = 1; /* nothing received is not a mismatch */
  p.first_mismatch = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const char* k = argv[i];
    const char* v = argv[i + 1];
    if (strcmp(k, "--script") == 0)
      p.script = v;
    else if (strcmp(k, "--tls") == 0)
      p.tls_version = strcmp(v, "1.2") == 0   ? TLS1_2_VERSION
                      : strcmp(v, "1.3") == 0 ? TLS1_3_VERSION
                                              : 0;
    else if (strcmp(k, "--role") == 0)
      p.is_server = strcmp(v, "server") == 0;
    else if (strcmp(k, "--fd") == 0)
      p.fd = atoi(v);
    else if (strcmp(k, "--ctl") == 0)
      p.ctl = atoi(v);
    else if (strcmp(k, "--cert") == 0)
      p.cert_file = v;
    else if (strcmp(k, "--key") == 0)
      p.key_file = v;
  }
  const PeerScript* s = kPeerScripts;
  while (s->name != NULL && (p.script == NULL || strcmp(s->name, p.script) != 0)) s++;
  if (s->name == NULL) {
    fprintf(stderr, "compat-peer: unknown or missing --script\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN); /* the peer reports a closed transport, it does not die of it */
  if (strcmp(p.script, "none") != 0 && !peer_setup(&p)) {
    fprintf(stderr, "compat-peer: TLS set-up failed\n");
    return 2;
  }
  s->run(&p);
  peer_report(&p);
  return 0;
}
