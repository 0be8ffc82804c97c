#include "roles.h"

namespace sslshim_bench {

const char* ColumnTitle(Column column) {
  switch (column) {
    case Column::kBoringSslDirect:
      return "BoringSSL";
    case Column::kShimBoringSsl:
      return "shim>BoringSSL";
    case Column::kOpenSslNative:
      return "OpenSSL";
    case Column::kShimOpenSsl:
      return "shim>OpenSSL";
  }
  return "?";
}

const char* ExpectedProvider(Column column) {
  switch (column) {
    case Column::kBoringSslDirect:
      return "boringssl-static";
    case Column::kShimBoringSsl:
    case Column::kShimOpenSsl:
      return "libsslshim.so";
    case Column::kOpenSslNative:
      return "libssl.so.3";
  }
  return "?";
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = {
      {"shim_boringssl", "shim>BoringSSL (preloaded) with direct BoringSSL", "boringssl",
       Column::kShimBoringSsl, Column::kBoringSslDirect},
      {"shim_openssl", "shim>OpenSSL (preloaded) with the real libssl called directly", "openssl",
       Column::kShimOpenSsl, Column::kOpenSslNative},
  };
  return roles;
}

std::optional<Role> FindRole(const std::string& name) {
  for (const Role& role : AllRoles()) {
    if (name == role.name) return role;
  }
  return std::nullopt;
}

}  // namespace sslshim_bench
