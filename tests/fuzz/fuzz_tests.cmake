# libFuzzer targets (the "fuzz" preset: clang, coverage, ASan and UBSan over everything). Each
# target links the stand-in as libssl.so.3. The test command runs a short fixed-seed slice of each
# (label "fuzz"); ./sslshim fuzz runs them at length with a corpus kept outside the repository.
# Executions in the test command's slice: the API sequences are cheap; each peer-flight input runs
# full handshakes (about 120 a second under the sanitizers while libFuzzer checks for leaks after
# every input, which it does for the first thousand or so).
set(_fuzz_runs_api_sequence 20000)
set(_fuzz_runs_peer_flight 3000)
foreach(_fuzz_target api_sequence peer_flight)
  add_executable(${_fuzz_target}_fuzzer ${CMAKE_CURRENT_LIST_DIR}/${_fuzz_target}_fuzzer.cc
                                        ${CMAKE_CURRENT_LIST_DIR}/fuzz_contexts.cc)
  target_link_libraries(${_fuzz_target}_fuzzer PRIVATE sslshim_standin OpenSSL::Crypto
                                                      sslshim_warnings)
  target_link_options(${_fuzz_target}_fuzzer PRIVATE -fsanitize=fuzzer)
  add_test(NAME fuzz.${_fuzz_target}
           COMMAND ${_fuzz_target}_fuzzer -seed=1 -runs=${_fuzz_runs_${_fuzz_target}} -max_len=4096
                   -len_control=0)
  set_tests_properties(fuzz.${_fuzz_target} PROPERTIES
    LABELS fuzz TIMEOUT 900
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0")
endforeach()
