# Warnings as errors for the project's own code (never for BoringSSL's sources).
add_library(sslshim_warnings INTERFACE)
target_compile_options(sslshim_warnings INTERFACE
  -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
