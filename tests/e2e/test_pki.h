// The end-to-end tests' PKI: a throwaway CA and a server certificate for localhost / 127.0.0.1,
// made with the openssl command-line tool in a fresh temporary directory at test start (nothing
// is checked in, nothing outlives the test process).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sslshim::e2e {

struct TestPki {
  std::string dir;  // a private temporary directory; also holds the tests' scratch files
  std::string ca_cert;
  std::string server_cert;  // leaf only; the client trusts ca_cert
  std::string server_key;
};

// Makes the PKI with `openssl_cli`, run with a clean environment. nullopt and *error on failure.
std::optional<TestPki> MakeTestPki(const std::string& openssl_cli, std::string* error);

// Runs `openssl_cli args...` with a clean environment, its output in files under `dir`. False,
// with what it printed in *error, unless it exited 0.
bool RunOpenssl(const std::string& openssl_cli, const std::string& dir,
                std::vector<std::string> args, std::string* error);

// Removes the directory and everything in it.
void RemovePki(const TestPki& pki);

}  // namespace sslshim::e2e
