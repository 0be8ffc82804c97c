# The core (handle table, semantics layer, BIO binding) over a scriptable backend.
add_executable(core_unit_tests unit/core_test.cc unit/handle_table_test.cc
                               unit/named_groups_test.cc unit/shared_ciphers_test.cc
                               unit/supported_ciphers_test.cc unit/io_state_test.cc
                               unit/der_cache_test.cc)
target_include_directories(core_unit_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(core_unit_tests PRIVATE sslshim_core GTest::gtest_main OpenSSL::SSL
                                              sslshim_warnings)
gtest_discover_tests(core_unit_tests PROPERTIES LABELS unit TIMEOUT 60)
