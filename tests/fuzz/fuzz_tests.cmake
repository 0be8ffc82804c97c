# libFuzzer targets (the "fuzz" preset: clang, coverage, ASan and UBSan over everything). Each
# target links the stand-in as libssl.so.3. The test command runs a short fixed-seed slice of each
# (label "fuzz"); ./sslshim fuzz runs them at length with a corpus kept outside the repository.
add_executable(api_sequence_fuzzer ${CMAKE_CURRENT_LIST_DIR}/api_sequence_fuzzer.cc)
target_link_libraries(api_sequence_fuzzer PRIVATE sslshim_standin OpenSSL::Crypto
                                                  sslshim_warnings)
target_link_options(api_sequence_fuzzer PRIVATE -fsanitize=fuzzer)

set(SSLSHIM_FUZZ_SLICE_RUNS 20000 CACHE STRING "executions per fuzz target in the test command")
add_test(NAME fuzz.api_sequence
         COMMAND api_sequence_fuzzer -seed=1 -runs=${SSLSHIM_FUZZ_SLICE_RUNS} -max_len=4096)
set_tests_properties(fuzz.api_sequence PROPERTIES
  LABELS fuzz TIMEOUT 900
  # The stand-in's own objects leak nothing; the program's libcrypto keeps process-lifetime state.
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0")
