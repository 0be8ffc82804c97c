# The DTLS evidence relay (run_socat_dtls.sh): a UDP relay that classifies each side's hello.
# Included by programs_tests.cmake, which globs tools/*.cmake.
add_executable(dtls_sniff_relay
  ${_programs_dir}/tools/dtls_sniff_relay.cc
  ${_programs_dir}/tools/dtls_hello_parser.cc
  ${_programs_dir}/tools/relay_common.cc
  ${_programs_dir}/tools/hello_sniffer.cc)
target_link_libraries(dtls_sniff_relay PRIVATE sslshim_testsupport sslshim_warnings)
list(APPEND _programs_env "PROGRAMS_DTLS_RELAY=$<TARGET_FILE:dtls_sniff_relay>")
