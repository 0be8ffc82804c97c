#include "boringssl_test_credentials.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace sslshim::testing_support {
namespace {

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// A self-signed P-256 certificate (DER) and its key (PEM) under `dir`/`name`.
std::string SelfSigned(const std::string& cli, const std::string& dir, const std::string& name,
                       const std::string& cn) {
  return cli +
         " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=" + cn +
         " -keyout " + dir + "/" + name + ".key.pem -outform DER -out " + dir + "/" + name + ".der";
}

std::string ToPkcs8(const std::string& cli, const std::string& dir, const std::string& name) {
  return cli + " pkey -in " + dir + "/" + name + ".key.pem -outform DER -out " + dir + "/" + name +
         ".key.der";
}

}  // namespace

const TestCredentials& Credentials() {
  static const TestCredentials credentials = [] {
    char dir_template[] = "/tmp/sslshim-bssl-test-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    TestCredentials made;
    if (dir == nullptr) return made;
    const std::string d = dir, cli = SSLSHIM_OPENSSL_CLI;
    const std::string steps[] = {
        SelfSigned(cli, d, "cert", "sslshim-test"),
        ToPkcs8(cli, d, "cert"),
        cli + " ec -in " + d + "/cert.key.pem -outform DER -out " + d + "/cert.sec1.der",
        cli + " genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -outform DER -out " + d +
            "/other.der",
        // The CA (PEM, to sign with) and a leaf it issues.
        cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 " +
            "-subj /CN=sslshim-test-ca -keyout " + d + "/ca.key.pem -out " + d + "/ca.pem",
        cli + " x509 -in " + d + "/ca.pem -outform DER -out " + d + "/ca.der",
        cli + " req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes " +
            "-subj /CN=leaf.sslshim.test -keyout " + d + "/leaf.key.pem -out " + d + "/leaf.csr",
        cli + " x509 -req -in " + d + "/leaf.csr -CA " + d + "/ca.pem -CAkey " + d +
            "/ca.key.pem -set_serial 2 -days 1 -outform DER -out " + d + "/leaf.der",
        ToPkcs8(cli, d, "leaf"),
        SelfSigned(cli, d, "second", "other.sslshim.test"),
        ToPkcs8(cli, d, "second"),
    };
    std::string script;
    for (const std::string& step : steps) script += (script.empty() ? "" : " && ") + step;
    if (std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0) {
      made.cert_der = ReadFile(d + "/cert.der");
      made.key_pkcs8_der = ReadFile(d + "/cert.key.der");
      made.key_sec1_der = ReadFile(d + "/cert.sec1.der");
      made.other_key_der = ReadFile(d + "/other.der");
      made.ca_cert_der = ReadFile(d + "/ca.der");
      made.leaf_cert_der = ReadFile(d + "/leaf.der");
      made.leaf_key_der = ReadFile(d + "/leaf.key.der");
      made.second_cert_der = ReadFile(d + "/second.der");
      made.second_key_der = ReadFile(d + "/second.key.der");
    }
    std::error_code ignored;
    std::filesystem::remove_all(d, ignored);
    return made;
  }();
  return credentials;
}

}  // namespace sslshim::testing_support
