# Reliability tests: ordinary OpenSSL programs (fork while other threads make connections, ...)
# natively and in each load mode (reliability_test.cc). Included from tests/CMakeLists.txt.
set(_rel_dir ${CMAKE_CURRENT_LIST_DIR})
set(_rel_e2e ${CMAKE_CURRENT_LIST_DIR}/../e2e)

find_package(Threads REQUIRED)
add_executable(fork_probe ${_rel_dir}/fork_probe.c)
target_link_libraries(fork_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto Threads::Threads
                                         sslshim_warnings)

add_executable(chaos_probe ${_rel_dir}/chaos_probe.c)
target_link_libraries(chaos_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto Threads::Threads
                                          sslshim_warnings)

# The probes that are one C file on the system's OpenSSL alone.
set(_rel_plain_probes handshake_eof_probe clear_probe reentry_probe connect_probe
                      handshake_state_probe empty_write_probe auto_retry_probe session_probe
                      conn_chain_probe supported_ciphers_probe shared_ciphers_probe psk_probe
                      read_ahead_probe program_key_probe session_callbacks_probe
                      unknown_ctrl_probe key_update_flood_probe)
foreach(_probe IN LISTS _rel_plain_probes)
  add_executable(${_probe} ${_rel_dir}/${_probe}.c)
  target_link_libraries(${_probe} PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)
endforeach()

add_executable(reliability_tests
  ${_rel_dir}/reliability_test.cc
  ${_rel_e2e}/load_mode.cc
  ${_rel_e2e}/process_runner.cc
  ${_rel_e2e}/test_pki.cc)
target_include_directories(reliability_tests PRIVATE ${_rel_e2e})
target_link_libraries(reliability_tests PRIVATE GTest::gtest_main Threads::Threads sslshim_testsupport
                                                sslshim_warnings)
add_dependencies(reliability_tests fork_probe chaos_probe ${_rel_plain_probes} forbidden_peer sslshim
                 sslshim_standin)
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
  REL_SESSION_PROBE="$<TARGET_FILE:session_probe>"
  REL_CONN_CHAIN_PROBE="$<TARGET_FILE:conn_chain_probe>"
  REL_SUPPORTED_CIPHERS_PROBE="$<TARGET_FILE:supported_ciphers_probe>"
  REL_SHARED_CIPHERS_PROBE="$<TARGET_FILE:shared_ciphers_probe>"
  REL_PSK_PROBE="$<TARGET_FILE:psk_probe>"
  REL_READ_AHEAD_PROBE="$<TARGET_FILE:read_ahead_probe>"
  REL_PROGRAM_KEY_PROBE="$<TARGET_FILE:program_key_probe>"
  REL_SESSION_CALLBACKS_PROBE="$<TARGET_FILE:session_callbacks_probe>"
  REL_REENTRY_PROBE="$<TARGET_FILE:reentry_probe>"
  REL_KEY_UPDATE_FLOOD_PROBE="$<TARGET_FILE:key_update_flood_probe>"
  REL_FORBIDDEN_PEER="$<TARGET_FILE:forbidden_peer>"
  REL_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}"
  REL_SHIM_LIB="$<TARGET_FILE:sslshim>"
  REL_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
gtest_discover_tests(reliability_tests PROPERTIES LABELS reliability TIMEOUT 600)
