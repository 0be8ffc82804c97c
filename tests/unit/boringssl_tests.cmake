# The BoringSSL backend's tests, for tests/unit/CMakeLists.txt to include(). Needs GTest found.
#
# They call the backend only through its own functions and the Backend interface: their objects
# are not rewritten with the BoringSSL prefix, so they must not call BoringSSL directly (BoringSSL's
# and OpenSSL's headers are used for their macros only: numbers, no symbols).
add_executable(boringssl_backend_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_error_translation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_mode_translation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_name_translation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_fake_program_bio.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_test_credentials.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_backend_e2e_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_backend_hooks_test.cc
)
target_include_directories(boringssl_backend_unit_tests PRIVATE ${PROJECT_SOURCE_DIR}/shim)
target_link_libraries(boringssl_backend_unit_tests PRIVATE
  sslshim_bssl bssl_headers sslshim_boringssl_generated GTest::gtest_main sslshim_warnings)
# The end-to-end test makes its certificate with the openssl command at run time.
find_program(SSLSHIM_OPENSSL_CLI openssl REQUIRED)
target_compile_definitions(boringssl_backend_unit_tests PRIVATE
  SSLSHIM_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}")
include(GoogleTest)
gtest_discover_tests(boringssl_backend_unit_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 60 LABELS unit)
