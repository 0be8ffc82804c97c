# End-to-end tests (the project's end-to-end requirements): an ordinary OpenSSL program (tls_app) talks TLS
# 1.2/1.3 to a peer on plain OpenSSL (tls_peer), natively, with the shim preloaded (either backend)
# and through the stand-in, and the harness (e2e_tests) checks the bytes and who did the TLS.
# Included from tests/CMakeLists.txt; paths are relative to this file.

set(_e2e_dir ${CMAKE_CURRENT_LIST_DIR})

find_program(SSLSHIM_OPENSSL_CLI openssl REQUIRED)  # makes the test PKI at run time
if(NOT TARGET GTest::gtest_main)
  find_package(GTest REQUIRED)
endif()

# The two C programs: OpenSSL only (libssl and libcrypto), nothing of the shim. dlvsym/dladdr are
# in glibc's libc.
add_executable(tls_app ${_e2e_dir}/tls_app.c ${_e2e_dir}/tls_common.c)
add_executable(tls_peer ${_e2e_dir}/tls_peer.c ${_e2e_dir}/tls_common.c)
foreach(_e2e_program tls_app tls_peer)
  target_link_libraries(${_e2e_program} PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)
endforeach()

add_executable(e2e_tests
  ${_e2e_dir}/e2e_case.cc
  ${_e2e_dir}/e2e_test.cc
  ${_e2e_dir}/evidence_test.cc
  ${_e2e_dir}/process_runner.cc
  ${_e2e_dir}/test_pki.cc
  ${_e2e_dir}/tls_reports.cc)
target_link_libraries(e2e_tests PRIVATE GTest::gtest_main sslshim_testsupport sslshim_warnings)
add_dependencies(e2e_tests tls_app tls_peer)
target_compile_definitions(e2e_tests PRIVATE
  E2E_TLS_APP="$<TARGET_FILE:tls_app>"
  E2E_TLS_PEER="$<TARGET_FILE:tls_peer>"
  E2E_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}"
  E2E_SYSTEM_LIBSSL="${OPENSSL_SSL_LIBRARY}")

# The shim's two forms are the lead's targets; until they exist, the modes that need them skip
# ("libsslshim.so not built") instead of passing.
if(TARGET sslshim)
  target_compile_definitions(e2e_tests PRIVATE E2E_SHIM_LIB="$<TARGET_FILE:sslshim>")
  add_dependencies(e2e_tests sslshim)
endif()
if(TARGET sslshim_standin)
  target_compile_definitions(e2e_tests PRIVATE E2E_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
  add_dependencies(e2e_tests sslshim_standin)
endif()

# One ctest entry per load mode (plus the harness's own unit tests) rather than one per case: each
# test process makes the PKI with the openssl tool, and ~90 processes of that would cost more than
# the TLS runs themselves. The gtest output still names every failing case. A mode whose shim is
# not built skips all its cases, and ctest reports it as skipped, never as passed.
foreach(_e2e_group
    "harness=Harness*"
    "native=*/Native_*"
    "preload_boringssl=*/PreloadBoringssl_*"
    "preload_openssl=*/PreloadOpenssl_*"
    "standin=*/Standin_*")
  string(REPLACE "=" ";" _e2e_group "${_e2e_group}")
  list(GET _e2e_group 0 _e2e_name)
  list(GET _e2e_group 1 _e2e_filter)
  add_test(NAME e2e.${_e2e_name} COMMAND e2e_tests --gtest_filter=${_e2e_filter})
  set_tests_properties(e2e.${_e2e_name} PROPERTIES
    TIMEOUT 120
    LABELS e2e
    SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
endforeach()
