# The sslshim command (help, errors, version, run, check) against this build.
if(TARGET sslshim AND TARGET sslshim_standin AND TARGET trace_probe)
  add_test(NAME cli.sslshim_command
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh ${PROJECT_SOURCE_DIR}/sslshim
            ${CMAKE_BINARY_DIR} $<TARGET_FILE:trace_probe> ${SSLSHIM_BORINGSSL_VERSION}
            ${PROJECT_VERSION})
  set_tests_properties(cli.sslshim_command PROPERTIES LABELS cli TIMEOUT 120)
endif()

# The test command's rule that a test which did not run is a failure.
add_test(NAME cli.skipped_test_fails_the_run
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/skip_fails_test.sh ${PROJECT_SOURCE_DIR}/tools/run-ctest)
set_tests_properties(cli.skipped_test_fails_the_run PROPERTIES LABELS cli TIMEOUT 60)
