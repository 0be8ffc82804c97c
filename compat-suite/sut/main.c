/* compat-sut --case NAME --tls 1.2|1.3|none --role client|server --fd N --ctl N
 *            [--cert PEM --key PEM]
 * Exit status: 0 ran (the observation says what happened), 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sut.h"

static int parse_tls(const char* v) {
  if (strcmp(v, "1.2") == 0) return TLS1_2_VERSION;
  if (strcmp(v, "1.3") == 0) return TLS1_3_VERSION;
  return 0;
}

int main(int argc, char** argv) {
  Sut s;
  memset(&s, 0, sizeof s);
  s.fd = -1;
  s.ctl = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const char* k = argv[i];
    const char* v = argv[i + 1];
    if (strcmp(k, "--case") == 0)
      s.case_name = v;
    else if (strcmp(k, "--tls") == 0)
      s.tls_version = parse_tls(v);
    else if (strcmp(k, "--role") == 0)
      s.is_server = strcmp(v, "server") == 0;
    else if (strcmp(k, "--fd") == 0)
      s.fd = atoi(v);
    else if (strcmp(k, "--ctl") == 0)
      s.ctl = atoi(v);
    else if (strcmp(k, "--cert") == 0)
      s.cert_file = v;
    else if (strcmp(k, "--key") == 0)
      s.key_file = v;
  }
  const SutCase* c = kSutCases;
  while (c->name != NULL && (s.case_name == NULL || strcmp(c->name, s.case_name) != 0)) c++;
  if (c->name == NULL) {
    fprintf(stderr, "compat-sut: unknown or missing --case\n");
    return 2;
  }
  c->run(&s);
  sut_summary(&s);
  return 0;
}
