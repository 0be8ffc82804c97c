// The server's certificate and key, shared by both benchmark halves as DER so that neither needs
// the other's headers. Generated in-process (EC P-256, self-signed), never read from disk.
#ifndef SSLSHIM_BENCH_CREDENTIALS_H_
#define SSLSHIM_BENCH_CREDENTIALS_H_

#include <cstdint>
#include <vector>

namespace sslshim_bench {

struct Credentials {
  std::vector<uint8_t> certificate_der;  // X.509
  std::vector<uint8_t> private_key_der;  // PKCS#8 PrivateKeyInfo
};

// Made once per process with OpenSSL's libcrypto (which the shim never replaces), then cached.
// Aborts with a message if libcrypto refuses: nothing can be measured without it.
const Credentials& BenchCredentials();

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_CREDENTIALS_H_
