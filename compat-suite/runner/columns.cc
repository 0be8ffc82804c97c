#include "columns.h"

#include <climits>
#include <cstdlib>
#include <sstream>

namespace compat {
namespace {

// Absolute, symlink-free path of an existing file, or "" when it does not exist.
std::string Resolved(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? std::string(buf) : std::string();
}

}  // namespace

std::vector<Column> StandardColumns(const std::string& build_dir) {
  const std::string shim = Resolved(build_dir + "/libsslshim.so");
  const std::string standin = Resolved(build_dir + "/standin/libssl.so.3");
  const std::string standin_dir = Resolved(build_dir + "/standin");
  std::vector<Column> cols;

  Column native;
  native.name = "openssl";
  native.reference = true;
  native.expect_tls = "openssl";
  cols.push_back(native);

  Column shim_openssl;
  shim_openssl.name = "shim-openssl";
  shim_openssl.env = {{"LD_PRELOAD", shim}, {"SSLSHIM_BACKEND", "openssl"}};
  shim_openssl.judged = true;
  shim_openssl.expect_lib = shim;
  shim_openssl.expect_tls = "openssl";
  if (shim.empty()) shim_openssl.unavailable = "libsslshim.so not built";
  cols.push_back(shim_openssl);

  Column shim_boringssl = shim_openssl;
  shim_boringssl.name = "shim-boringssl";
  shim_boringssl.env = {{"LD_PRELOAD", shim}, {"SSLSHIM_BACKEND", "boringssl"}};
  shim_boringssl.expect_tls = "boringssl";
  cols.push_back(shim_boringssl);

  Column stand_in;
  stand_in.name = "standin";
  stand_in.env = {{"LD_LIBRARY_PATH", standin_dir}, {"SSLSHIM_BACKEND", "boringssl"}};
  stand_in.judged = true;
  stand_in.expect_lib = standin;
  stand_in.expect_tls = "boringssl";
  if (standin.empty()) stand_in.unavailable = "standin/libssl.so.3 not built";
  cols.push_back(stand_in);
  return cols;
}

std::optional<Column> ParseExtraColumn(const std::string& spec) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  Column c;
  c.name = spec.substr(0, colon);
  c.expect_lib = "*";
  std::stringstream rest(spec.substr(colon + 1));
  std::string kv;
  while (std::getline(rest, kv, ',')) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    c.env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return c;
}

}  // namespace compat
