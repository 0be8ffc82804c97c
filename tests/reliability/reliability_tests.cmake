# Reliability tests: ordinary OpenSSL programs (fork while other threads make connections, ...)
# natively and in each load mode (reliability_test.cc). Included from tests/CMakeLists.txt.
set(_rel_dir ${CMAKE_CURRENT_LIST_DIR})
set(_rel_e2e ${CMAKE_CURRENT_LIST_DIR}/../e2e)

find_package(Threads REQUIRED)
add_executable(fork_probe ${_rel_dir}/fork_probe.c)
target_link_libraries(fork_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto Threads::Threads
                                         sslshim_warnings)

add_executable(handshake_eof_probe ${_rel_dir}/handshake_eof_probe.c)
target_link_libraries(handshake_eof_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(clear_probe ${_rel_dir}/clear_probe.c)
target_link_libraries(clear_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(reentry_probe ${_rel_dir}/reentry_probe.c)
target_link_libraries(reentry_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(connect_probe ${_rel_dir}/connect_probe.c)
target_link_libraries(connect_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(chaos_probe ${_rel_dir}/chaos_probe.c)
target_link_libraries(chaos_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto Threads::Threads
                                          sslshim_warnings)

add_executable(handshake_state_probe ${_rel_dir}/handshake_state_probe.c)
target_link_libraries(handshake_state_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(empty_write_probe ${_rel_dir}/empty_write_probe.c)
target_link_libraries(empty_write_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(auto_retry_probe ${_rel_dir}/auto_retry_probe.c)
target_link_libraries(auto_retry_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(read_ahead_probe ${_rel_dir}/read_ahead_probe.c)
target_link_libraries(read_ahead_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(unknown_ctrl_probe ${_rel_dir}/unknown_ctrl_probe.c)
target_link_libraries(unknown_ctrl_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(reliability_tests
  ${_rel_dir}/reliability_test.cc
  ${_rel_e2e}/json_value.cc
  ${_rel_e2e}/load_mode.cc
  ${_rel_e2e}/process_runner.cc
  ${_rel_e2e}/test_pki.cc)
target_include_directories(reliability_tests PRIVATE ${_rel_e2e})
target_link_libraries(reliability_tests PRIVATE GTest::gtest_main Threads::Threads sslshim_warnings)
add_dependencies(reliability_tests fork_probe handshake_eof_probe clear_probe reentry_probe
                 connect_probe chaos_probe unknown_ctrl_probe handshake_state_probe
                 empty_write_probe auto_retry_probe read_ahead_probe forbidden_peer sslshim sslshim_standin)
target_compile_definitions(reliability_tests PRIVATE
  REL_FORK_PROBE="$<TARGET_FILE:fork_probe>"
  REL_HANDSHAKE_EOF_PROBE="$<TARGET_FILE:handshake_eof_probe>"
  REL_CLEAR_PROBE="$<TARGET_FILE:clear_probe>"
  REL_CONNECT_PROBE="$<TARGET_FILE:connect_probe>"
  REL_CHAOS_PROBE="$<TARGET_FILE:chaos_probe>"
  REL_UNKNOWN_CTRL_PROBE="$<TARGET_FILE:unknown_ctrl_probe>"
  REL_HANDSHAKE_STATE_PROBE="$<TARGET_FILE:handshake_state_probe>"
  REL_EMPTY_WRITE_PROBE="$<TARGET_FILE:empty_write_probe>"
  REL_AUTO_RETRY_PROBE="$<TARGET_FILE:auto_retry_probe>"
  REL_READ_AHEAD_PROBE="$<TARGET_FILE:read_ahead_probe>"
  REL_REENTRY_PROBE="$<TARGET_FILE:reentry_probe>"
  REL_FORBIDDEN_PEER="$<TARGET_FILE:forbidden_peer>"
  REL_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}"
  REL_SHIM_LIB="$<TARGET_FILE:sslshim>"
  REL_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
gtest_discover_tests(reliability_tests PROPERTIES LABELS reliability TIMEOUT 600)
