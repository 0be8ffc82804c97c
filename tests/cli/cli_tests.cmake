# The sslshim command (help, errors, version, run, check) against this build.
if(TARGET sslshim AND TARGET sslshim_standin AND TARGET trace_probe)
  add_test(NAME cli.sslshim_command
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh ${PROJECT_SOURCE_DIR}/sslshim
            ${CMAKE_BINARY_DIR} $<TARGET_FILE:trace_probe> ${SSLSHIM_BORINGSSL_VERSION}
            ${PROJECT_VERSION})
  set_tests_properties(cli.sslshim_command PROPERTIES LABELS cli TIMEOUT 120)
endif()
