# Real Debian programs (curl, psql, python3, socat, nginx, haproxy, stunnel4, ncat, redis,
# mosquitto, perl's IO::Socket::SSL, ruby, php-cli, lighttpd), unmodified and linked against the
# system's OpenSSL 3, run natively, with libsslshim.so preloaded and with the stand-in libssl.so.3 on
# the library path. Each scenario is a bash driver; the peer on the other side is native, and
# tls_sniff_relay, a TCP relay between the two, proves from the handshake bytes which library built
# the TLS. Included from tests/CMakeLists.txt; paths are relative to this file.

set(_programs_dir ${CMAKE_CURRENT_LIST_DIR})

# The evidence relay and the key-log checker: test tools, never loaded with the shim.
add_executable(tls_sniff_relay
  ${_programs_dir}/tools/tls_sniff_relay.cc
  ${_programs_dir}/tools/relay_common.cc
  ${_programs_dir}/tools/hello_sniffer.cc)
target_link_libraries(tls_sniff_relay PRIVATE Threads::Threads sslshim_testsupport sslshim_warnings)
add_executable(tls13_keylog_check ${_programs_dir}/tools/tls13_keylog_check.cc)
target_link_libraries(tls13_keylog_check PRIVATE OpenSSL::Crypto sslshim_warnings)

# The drivers find the tools and both forms of the shim through these variables. A form that is
# not built leaves its variable empty, and the driver skips that mode (exit 77), never passes.
set(_programs_env
  "PROGRAMS_RELAY=$<TARGET_FILE:tls_sniff_relay>"
  "PROGRAMS_KEYLOG_CHECK=$<TARGET_FILE:tls13_keylog_check>")
# Further witnesses, one cmake file each, append their targets and variables to _programs_env.
file(GLOB _program_tool_cmakes CONFIGURE_DEPENDS ${_programs_dir}/tools/*.cmake)
foreach(_tool_cmake ${_program_tool_cmakes})
  include(${_tool_cmake})
endforeach()
if(TARGET sslshim)
  list(APPEND _programs_env "PROGRAMS_SHIM=$<TARGET_FILE:sslshim>")
endif()
if(TARGET sslshim_standin)
  list(APPEND _programs_env "PROGRAMS_STANDIN_DIR=$<TARGET_FILE_DIR:sslshim_standin>")
endif()
if(TARGET sslshim_lazy)
  list(APPEND _programs_env "PROGRAMS_LAZY=$<TARGET_FILE:sslshim_lazy>")
endif()
# The lazy preload library, for the programs that load libssl at start-up (curl, the openssl
# command) and late (Python's _ssl module).
set(_lazy_mode_programs curl openssl_cli python)

# One scenario per driver script: tests/programs/run_<scenario>.sh.
file(GLOB _program_drivers CONFIGURE_DEPENDS ${_programs_dir}/run_*.sh)
foreach(_driver ${_program_drivers})
  get_filename_component(_program ${_driver} NAME_WE)
  string(REGEX REPLACE "^run_" "" _program ${_program})
  set(_modes native preload standin)
  if(_program IN_LIST _lazy_mode_programs)
    list(APPEND _modes lazy)
  endif()
  foreach(_mode ${_modes})
    add_test(NAME programs.${_program}.${_mode}
      COMMAND bash ${_programs_dir}/run_${_program}.sh ${_mode})
    set_tests_properties(programs.${_program}.${_mode} PROPERTIES
      LABELS programs
      TIMEOUT 120
      SKIP_RETURN_CODE 77
      ENVIRONMENT "${_programs_env}")
  endforeach()
endforeach()

# Python's own test_ssl natively and under the shim: takes minutes, so not part of `ctest`; run it
# with `cmake --build build/release --target programs_python_test_ssl`.
add_custom_target(programs_python_test_ssl
  COMMAND ${CMAKE_COMMAND} -E env ${_programs_env}
          bash ${_programs_dir}/python_test_ssl.sh
  USES_TERMINAL
  VERBATIM)

# `sslshim check` on programs whose answer is known: the e2e test program imports only served
# functions ("fully served", exit 0); curl imports the SRP setters, refused by design (exit 1; each
# is "refused", with the reason, in the README's words: served / refused).
if(TARGET sslshim AND TARGET tls_app)
  add_test(NAME programs.check.fully_served
    COMMAND ${PROJECT_SOURCE_DIR}/tools/sslshim-check --shim $<TARGET_FILE:sslshim>
            $<TARGET_FILE:tls_app>)
  set_tests_properties(programs.check.fully_served PROPERTIES
    LABELS programs TIMEOUT 60 PASS_REGULAR_EXPRESSION "verdict: fully served")
  add_test(NAME programs.check.curl_names_refusals
    COMMAND bash -c "command -v curl >/dev/null || exit 77; \
      out=$(${PROJECT_SOURCE_DIR}/tools/sslshim-check --shim $<TARGET_FILE:sslshim> \
            \"$(command -v curl)\"); rc=$?; echo \"$out\"; \
      [ $rc -eq 1 ] && echo \"$out\" | grep -q 'SSL_CTX_set_srp_username (SRP: BoringSSL has no SRP)' \
        && echo \"$out\" | grep -Eq '^  refused +SSL_CTX_set_srp_username .*\\[by design: SRP: BoringSSL has no SRP\\]$' \
        && echo \"$out\" | grep -Eq '^libssl functions imported: [0-9]+ \\(served [0-9]+, refused 2 \\(2 by design\\), missing 0\\)$' \
        && ! echo \"$out\" | grep -qi forwarded")
  set_tests_properties(programs.check.curl_names_refusals PROPERTIES
    LABELS programs TIMEOUT 60 SKIP_RETURN_CODE 77)
  # nginx imports only served functions and passes only served ctrl commands (found by
  # disassembly, each listed): fully served. A program that passes a ctrl command the shim does not
  # serve: check must name it in the verdict, and not call the program fully served.
  add_test(NAME programs.check.nginx_ctrl_commands_served
    COMMAND bash -c "out=$(${PROJECT_SOURCE_DIR}/tools/sslshim-check --shim $<TARGET_FILE:sslshim> \
            /usr/sbin/nginx); rc=$?; echo \"$out\"; [ $rc -eq 0 ] && \
      echo \"$out\" | grep -q 'refused 0 (0 by design), missing 0' && \
      echo \"$out\" | grep -q '^  served     SSL_CTX_callback_ctrl 72 SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB' && \
      echo \"$out\" | grep -q '^  served     SSL_CTX_ctrl 116 SSL_CTRL_SELECT_CURRENT_CERT' && \
      echo \"$out\" | grep -q '^verdict: fully served'")
  set_tests_properties(programs.check.nginx_ctrl_commands_served PROPERTIES
    LABELS programs TIMEOUT 60)
  add_executable(unserved_ctrl_user ${_programs_dir}/tools/unserved_ctrl_user.c)
  target_link_libraries(unserved_ctrl_user PRIVATE OpenSSL::SSL OpenSSL::Crypto)
  add_test(NAME programs.check.names_unserved_ctrl_commands
    COMMAND bash -c "out=$(${PROJECT_SOURCE_DIR}/tools/sslshim-check --shim $<TARGET_FILE:sslshim> \
            $<TARGET_FILE:unserved_ctrl_user>); rc=$?; echo \"$out\"; [ $rc -eq 1 ] && \
      echo \"$out\" | grep -q '^  unserved   SSL_CTX_ctrl 104 SSL_CTRL_SET_CLIENT_CERT_TYPES' && \
      echo \"$out\" | grep -q '^verdict: .*ctrl commands are not served: SSL_CTX_ctrl 104 '")
  set_tests_properties(programs.check.names_unserved_ctrl_commands PROPERTIES
    LABELS programs TIMEOUT 60)
  # The other drop-in programs import only functions, and pass only ctrl commands, the shim
  # serves. Each pattern names the binaries (a program and the modules it loads); skipped when the
  # package is missing.
  foreach(_checked
      "socat|/usr/bin/socat"
      "psql|/usr/lib/postgresql/*/bin/psql"
      "python|/usr/bin/python3 /usr/lib/python3*/lib-dynload/_ssl.cpython-*.so"
      "ncat|/usr/bin/ncat"
      "redis|/usr/bin/redis-server /usr/bin/redis-cli"
      "mosquitto|/usr/sbin/mosquitto /usr/lib/x86_64-linux-gnu/libmosquitto.so.1")
    string(REPLACE "|" ";" _checked "${_checked}")
    list(GET _checked 0 _name)
    list(GET _checked 1 _binaries)
    add_test(NAME programs.check.${_name}_fully_served
      COMMAND bash -c "set -- ${_binaries}; for f; do [ -e \"$f\" ] || exit 77; done;         ${PROJECT_SOURCE_DIR}/tools/sslshim-check --shim $<TARGET_FILE:sslshim> \"$@\"")
    set_tests_properties(programs.check.${_name}_fully_served PROPERTIES
      LABELS programs TIMEOUT 60 SKIP_RETURN_CODE 77 PASS_REGULAR_EXPRESSION "verdict: fully served")
  endforeach()
endif()

# A short slice of the real-program benchmark (./sslshim bench --programs runs it at length):
# that every mode of nginx starts, serves the generators and loads the library it should, and that
# session-ID resumption resumes. No speed is asserted here.
if(TARGET sslshim AND TARGET sslshim_standin)
  add_test(NAME bench.programs_slice
    COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/programs/programs_bench.py
            --shim $<TARGET_FILE:sslshim> --reps 1 --seconds 1
            --only keepalive-1k,resume-sessionid-1.2,full-1.3-ec-nagle,idle-memory)
  set_tests_properties(bench.programs_slice PROPERTIES LABELS bench TIMEOUT 300)
endif()
