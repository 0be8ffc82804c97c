// The processes one sslshim-bench run is made of, and which table column each benchmark in
// them fills. A process's role reaches the child through an environment variable, so the child
// is the very same executable, only loaded differently.
#ifndef SSLSHIM_BENCH_ROLES_H_
#define SSLSHIM_BENCH_ROLES_H_

#include <optional>
#include <string>
#include <vector>

namespace sslshim_bench {

// The columns of the comparison.
enum class Column { kBoringSslDirect, kShimBoringSsl, kOpenSslNative, kShimOpenSsl };
inline constexpr Column kAllColumns[] = {Column::kBoringSslDirect, Column::kShimBoringSsl,
                                         Column::kOpenSslNative, Column::kShimOpenSsl};
const char* ColumnTitle(Column column);
// The file that must serve SSL_write in the column's loop for its samples to count.
const char* ExpectedProvider(Column column);

// Both processes preload the shim (LD_PRELOAD=libsslshim.so). Each benchmark in them runs the
// OpenSSL-API loop (served by the shim) in batches alternating with a baseline loop that calls its
// library directly, not through the shim (paired_bench.h).
struct Role {
  const char* name;         // value of kChildRoleEnv
  const char* description;  // for progress lines
  const char* backend;      // SSLSHIM_BACKEND
  Column shim_column;       // what the OpenSSL-API loop measures here
  Column baseline_column;   // kBoringSslDirect or kOpenSslNative
};

// Set in a child's environment to its role's name; unset in the driver.
inline constexpr const char* kChildRoleEnv = "SSLSHIM_BENCH_CHILD_ROLE";

// shim_boringssl: shim>BoringSSL and direct BoringSSL. shim_openssl: shim>OpenSSL and the real
// libssl called directly (OpenSSL native).
const std::vector<Role>& AllRoles();
std::optional<Role> FindRole(const std::string& name);

}  // namespace sslshim_bench

#endif  // SSLSHIM_BENCH_ROLES_H_
