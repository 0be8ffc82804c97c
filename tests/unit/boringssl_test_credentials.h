// Certificates and keys for the BoringSSL backend's tests, made once per run with the openssl
// command (P-256, one day, in a throwaway directory that is removed again).
#pragma once

#include <cstdint>
#include <vector>

namespace sslshim::testing_support {

struct TestCredentials {
  // A self-signed server identity (CN=sslshim-test) in two key encodings, and an unrelated key.
  std::vector<uint8_t> cert_der;
  std::vector<uint8_t> key_pkcs8_der;
  std::vector<uint8_t> key_sec1_der;  // the "traditional" EC encoding
  std::vector<uint8_t> other_key_der;
  // A leaf (CN=leaf.sslshim.test) issued by a CA (CN=sslshim-test-ca): a chain of two.
  std::vector<uint8_t> ca_cert_der;
  std::vector<uint8_t> leaf_cert_der;
  std::vector<uint8_t> leaf_key_der;
  // A second self-signed server identity (CN=other.sslshim.test), for switching contexts.
  std::vector<uint8_t> second_cert_der;
  std::vector<uint8_t> second_key_der;
};

// Empty vectors when the openssl command failed.
const TestCredentials& Credentials();

}  // namespace sslshim::testing_support
