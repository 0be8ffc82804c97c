# The BoringSSL backend's tests, for tests/unit/CMakeLists.txt to include(). Needs GTest found.
#
# They call the backend only through its own functions and the Backend interface: their objects
# are not rewritten with the BoringSSL prefix, so they must not call BoringSSL directly (BoringSSL's
# and OpenSSL's headers are used for their macros only: numbers, no symbols).

# The end-to-end tests make their certificates with the openssl command at run time.
find_program(SSLSHIM_OPENSSL_CLI openssl REQUIRED)
include(GoogleTest)

# sslshim_boringssl_test_executable(NAME SOURCES...): a GoogleTest executable of the backend's
# tests, with the fakes and test support every one of them shares, registered with ctest.
function(sslshim_boringssl_test_executable name)
  add_executable(${name} ${ARGN}
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/boringssl_fake_program_bio.cc
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/boringssl_test_credentials.cc
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/boringssl_test_support.cc)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/shim)
  target_link_libraries(${name} PRIVATE
    sslshim_bssl bssl_headers sslshim_boringssl_generated GTest::gtest_main sslshim_warnings)
  target_compile_definitions(${name} PRIVATE SSLSHIM_OPENSSL_CLI="${SSLSHIM_OPENSSL_CLI}"
                                             SSLSHIM_BORINGSSL_SOURCE_DIR="${BORINGSSL_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 60 LABELS unit)
endfunction()

sslshim_boringssl_test_executable(boringssl_backend_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_error_translation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_mode_translation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_name_translation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_shared_settings_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_backend_e2e_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_backend_hooks_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_cipher_defaults_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_dtls_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_handshake_state_test.cc)

# Early data on its own executable.
sslshim_boringssl_test_executable(boringssl_early_data_tests
  ${CMAKE_CURRENT_LIST_DIR}/boringssl_early_data_test.cc)
