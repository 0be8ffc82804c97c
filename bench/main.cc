// sslshim-bench: one entry point for the whole SSL_write comparison. Run plainly it is the driver;
// the driver re-runs it as a child (role in the environment) for each way of loading libssl.
#include <cstdlib>
#include <iostream>

#include "child.h"
#include "driver.h"
#include "roles.h"

int main(int argc, char** argv) {
  const char* role_name = std::getenv(sslshim_bench::kChildRoleEnv);
  if (role_name == nullptr) return sslshim_bench::RunDriver(argc, argv);
  std::optional<sslshim_bench::Role> role = sslshim_bench::FindRole(role_name);
  if (!role) {
    std::cerr << "sslshim-bench: unknown " << sslshim_bench::kChildRoleEnv << "=" << role_name
              << "\n";
    return 2;
  }
  return sslshim_bench::RunChild(*role, argc, argv);
}
