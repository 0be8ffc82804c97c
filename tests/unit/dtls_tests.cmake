# DTLS through the whole shim: dtls_api_probe (a C program of OpenSSL 3's DTLS API) must print the
# same natively and through the shim on both backends. Included from openssl_tests.cmake.
if(TARGET sslshim AND TARGET sslshim_standin)
  add_executable(dtls_api_probe ${CMAKE_CURRENT_LIST_DIR}/dtls_api_probe.c)
  target_link_libraries(dtls_api_probe PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)
  target_compile_definitions(dtls_api_probe PRIVATE OPENSSL_SUPPRESS_DEPRECATED)
  add_test(NAME dtls_api_same_as_openssl
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/dtls_api_compare.sh $<TARGET_FILE:dtls_api_probe>
            $<TARGET_FILE:sslshim> $<TARGET_FILE_DIR:sslshim_standin>)
  set_tests_properties(dtls_api_same_as_openssl PROPERTIES
    TIMEOUT 120 LABELS unit SKIP_RETURN_CODE 77)
endif()
