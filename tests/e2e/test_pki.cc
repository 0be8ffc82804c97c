#include "test_pki.h"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <vector>

#include "process_runner.h"

namespace sslshim::e2e {

bool RunOpenssl(const std::string& cli, const std::string& dir, std::vector<std::string> args,
                std::string* error) {
  ChildSpec spec;
  spec.program = cli;
  spec.args = std::move(args);
  spec.env = CleanEnvironment();
  spec.stdout_path = dir + "/openssl.out";
  spec.stderr_path = dir + "/openssl.err";
  ChildOutcome outcome = RunChildren({spec}, std::chrono::seconds(30)).front();
  if (outcome.Succeeded()) return true;
  *error = "openssl " + spec.args.front() + ": " + outcome.Describe();
  return false;
}

std::optional<TestPki> MakeTestPki(const std::string& openssl_cli, std::string* error) {
  std::string templ = (std::filesystem::temp_directory_path() / "sslshim-e2e-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) {
    *error = "mkdtemp failed";
    return std::nullopt;
  }
  TestPki pki{templ, templ + "/ca.pem", templ + "/server.pem", templ + "/server.key"};
  const std::string ca_key = pki.dir + "/ca.key";
  const std::string csr = pki.dir + "/server.csr";
  const std::string ext = pki.dir + "/server.ext";
  std::ofstream(ext) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                        "basicConstraints=critical,CA:FALSE\n"
                        "keyUsage=critical,digitalSignature\n"
                        "extendedKeyUsage=serverAuth\n";
  // P-256 keys: fast to make, and both libraries sign with them in TLS 1.2 and 1.3.
  const bool ok =
      RunOpenssl(openssl_cli, pki.dir,
                 {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-keyout", ca_key, "-out", pki.ca_cert, "-subj", "/CN=sslshim e2e test CA",
                  "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                  "keyUsage=critical,keyCertSign"},
                 error) &&
      RunOpenssl(openssl_cli, pki.dir,
                 {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-keyout", pki.server_key, "-out", csr, "-subj", "/CN=localhost"},
                 error) &&
      RunOpenssl(openssl_cli, pki.dir,
                 {"x509", "-req", "-in", csr, "-CA", pki.ca_cert, "-CAkey", ca_key,
                  "-CAcreateserial", "-out", pki.server_cert, "-days", "2", "-extfile", ext},
                 error);
  if (!ok) {
    RemovePki(pki);
    return std::nullopt;
  }
  return pki;
}

void RemovePki(const TestPki& pki) {
  std::error_code ignored;
  std::filesystem::remove_all(pki.dir, ignored);
}

}  // namespace sslshim::e2e
