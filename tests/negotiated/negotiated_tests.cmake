# What a handshake negotiated (keying material, randoms, master secret, NPN, a connection's ALPN
# list, session ID contexts), through the shim in every load mode against a native OpenSSL peer
# (negotiated_test.cc). Included from tests/CMakeLists.txt.
set(_neg_dir ${CMAKE_CURRENT_LIST_DIR})
set(_neg_e2e ${CMAKE_CURRENT_LIST_DIR}/../e2e)

add_executable(negotiated_probe ${_neg_dir}/negotiated_probe.c)
target_link_libraries(negotiated_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)

add_executable(negotiated_tests
  ${_neg_dir}/negotiated_test.cc
  ${_neg_e2e}/load_mode.cc
  ${_neg_e2e}/process_runner.cc
  ${_neg_e2e}/test_pki.cc)
target_include_directories(negotiated_tests PRIVATE ${_neg_e2e})
target_link_libraries(negotiated_tests PRIVATE GTest::gtest_main sslshim_warnings)
add_dependencies(negotiated_tests negotiated_probe sslshim sslshim_standin)
target_compile_definitions(negotiated_tests PRIVATE
  NEG_PROBE="$<TARGET_FILE:negotiated_probe>"
  NEG_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}"
  NEG_SHIM_LIB="$<TARGET_FILE:sslshim>"
  NEG_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
gtest_discover_tests(negotiated_tests PROPERTIES LABELS negotiated TIMEOUT 300)
