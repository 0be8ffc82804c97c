# Fail-closed tests: every security setting is applied, or the handshake is refused, in every
# load mode, against a native OpenSSL peer that speaks only the forbidden thing
# (fail_closed_test.cc). Included from tests/CMakeLists.txt; paths are relative to this file.
set(_fc_dir ${CMAKE_CURRENT_LIST_DIR})
set(_fc_e2e ${CMAKE_CURRENT_LIST_DIR}/../e2e)

add_executable(setting_probe ${_fc_dir}/setting_probe.c)
add_executable(forbidden_peer ${_fc_dir}/forbidden_peer.c)
foreach(_fc_program setting_probe forbidden_peer)
  target_link_libraries(${_fc_program} PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)
endforeach()

add_executable(fail_closed_tests
  ${_fc_dir}/fail_closed_test.cc
  ${_fc_e2e}/load_mode.cc
  ${_fc_e2e}/process_runner.cc
  ${_fc_e2e}/test_pki.cc)
target_include_directories(fail_closed_tests PRIVATE ${_fc_e2e})
target_link_libraries(fail_closed_tests PRIVATE GTest::gtest_main sslshim_testsupport sslshim_warnings)
add_dependencies(fail_closed_tests setting_probe forbidden_peer sslshim sslshim_standin)
target_compile_definitions(fail_closed_tests PRIVATE
  FC_SETTING_PROBE="$<TARGET_FILE:setting_probe>"
  FC_FORBIDDEN_PEER="$<TARGET_FILE:forbidden_peer>"
  FC_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}"
  FC_SHIM_LIB="$<TARGET_FILE:sslshim>"
  FC_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")

# One ctest entry per load mode; each first runs every case natively (the oracle).
foreach(_fc_mode native preload_boringssl preload_openssl standin)
  add_test(NAME fail_closed.${_fc_mode}
           COMMAND fail_closed_tests --gtest_filter=Modes/FailClosed.*/${_fc_mode})
  set_tests_properties(fail_closed.${_fc_mode} PROPERTIES TIMEOUT 300 LABELS fail_closed)
endforeach()
