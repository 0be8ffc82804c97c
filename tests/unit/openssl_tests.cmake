# The OpenSSL backend's unit tests (included from tests/CMakeLists.txt). In this process there is
# no shim: dlvsym(RTLD_NEXT) from the backend finds the real libssl linked into the test, as it
# finds the program's libssl after a preloaded shim.
if(NOT TARGET GTest::gtest_main)
  find_package(GTest REQUIRED)
endif()

add_executable(openssl_backend_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/openssl_backend_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/openssl_backend_hooks_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/openssl_backend_state_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/openssl_dtls_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/openssl_test_support.cc)
target_include_directories(openssl_backend_unit_tests PRIVATE ${PROJECT_SOURCE_DIR}/shim)
target_link_libraries(openssl_backend_unit_tests PRIVATE
  sslshim_backend_openssl GTest::gtest_main OpenSSL::SSL OpenSSL::Crypto sslshim_warnings
  ${CMAKE_DL_LIBS})
add_test(NAME openssl_backend_unit_tests COMMAND openssl_backend_unit_tests)
set_tests_properties(openssl_backend_unit_tests PROPERTIES TIMEOUT 120 LABELS unit)

# The backend must reach libssl only through its dlvsym table: in a preloaded process any direct
# reference (a call, or one of OpenSSL's macros over SSL_ctrl) would bind to the shim itself.
add_test(NAME openssl_backend_has_no_direct_libssl_reference
  COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DARCHIVE=$<TARGET_FILE:sslshim_backend_openssl>
          -DLIBSSL=$<TARGET_FILE:OpenSSL::SSL>
          -P ${CMAKE_CURRENT_LIST_DIR}/openssl_backend_symbols.cmake)
set_tests_properties(openssl_backend_has_no_direct_libssl_reference PROPERTIES TIMEOUT 30 LABELS abi)

# DTLS through the whole shim, against the real libssl.
include(${CMAKE_CURRENT_LIST_DIR}/dtls_tests.cmake)
