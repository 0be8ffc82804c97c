# The ABI checks: what the three libraries export, at which version, and what they need.
if(TARGET sslshim AND TARGET sslshim_standin)
  find_program(SSLSHIM_OBJDUMP_TOOL NAMES objdump REQUIRED)
  find_program(SSLSHIM_READELF_TOOL NAMES readelf REQUIRED)
  find_file(SSLSHIM_SYSTEM_LIBSSL libssl.so.3
            PATHS /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib NO_DEFAULT_PATH REQUIRED)
  add_executable(abi_tests abi/abi_test.cc)
  add_dependencies(abi_tests sslshim sslshim_standin sslshim_lazy)
  target_link_libraries(abi_tests PRIVATE GTest::gtest_main OpenSSL::SSL sslshim_warnings)
  target_compile_definitions(abi_tests PRIVATE
    SSLSHIM_OBJDUMP="${SSLSHIM_OBJDUMP_TOOL}"
    SSLSHIM_READELF="${SSLSHIM_READELF_TOOL}"
    SSLSHIM_SYSTEM_LIBSSL="${SSLSHIM_SYSTEM_LIBSSL}"
    SSLSHIM_MANIFEST="${PROJECT_SOURCE_DIR}/abi/libssl.so.3.symbols"
    SSLSHIM_SERVED_LIST="${SSLSHIM_ABI_DIR}/served.txt"
    SSLSHIM_PRELOAD_LIB="$<TARGET_FILE:sslshim>"
    SSLSHIM_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>"
    SSLSHIM_LAZY_LIB="$<TARGET_FILE:sslshim_lazy>"
    # cmake/Hardening.cmake turns FORTIFY_SOURCE on for optimised builds without sanitizers.
    SSLSHIM_EXPECT_FORTIFY=$<AND:$<NOT:$<CONFIG:Debug>>,$<NOT:$<BOOL:${SSLSHIM_SANITIZE}>>,$<NOT:$<BOOL:${SSLSHIM_FUZZ}>>>)
  gtest_discover_tests(abi_tests PROPERTIES LABELS abi TIMEOUT 60)

  # BoringSSL's prefixed archives rename a constructor's or destructor's COMDAT key with its
  # functions (cmake/make-redefine-map.sh).
  find_program(SSLSHIM_NM_TOOL NAMES nm REQUIRED)
  set(_bssl_prefixed ${CMAKE_BINARY_DIR}/bssl-prefixed)
  add_test(NAME abi.bssl_comdat_groups_prefixed
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi/bssl_comdat_groups_test.sh
            ${SSLSHIM_READELF_TOOL} ${SSLSHIM_NM_TOOL} ${SSLSHIM_BSSL_PREFIX}
            ${_bssl_prefixed}/libbssl_ssl_raw.a ${_bssl_prefixed}/libbssl_crypto_raw.a
            ${_bssl_prefixed}/libsslshim_backend_boringssl_raw.a)
  set_tests_properties(abi.bssl_comdat_groups_prefixed PROPERTIES LABELS abi TIMEOUT 120)

  # The shim's backend-free functions against OpenSSL's own, in one process.
  add_executable(pure_function_tests abi/pure_functions_test.cc)
  add_dependencies(pure_function_tests sslshim_standin)
  target_link_libraries(pure_function_tests PRIVATE GTest::gtest_main OpenSSL::SSL
                                                    sslshim_warnings ${CMAKE_DL_LIBS})
  target_compile_definitions(pure_function_tests PRIVATE
    SSLSHIM_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
  gtest_discover_tests(pure_function_tests PROPERTIES LABELS abi TIMEOUT 60)
endif()

# SSL_CONF_* through the stand-in against OpenSSL's own, in one process.
if(TARGET sslshim_standin)
  add_executable(conf_tests abi/conf_test.cc)
  add_dependencies(conf_tests sslshim_standin)
  target_link_libraries(conf_tests PRIVATE GTest::gtest_main OpenSSL::SSL sslshim_warnings
                                           ${CMAKE_DL_LIBS})
  target_compile_definitions(conf_tests PRIVATE
    SSLSHIM_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
  gtest_discover_tests(conf_tests PROPERTIES LABELS abi TIMEOUT 60)
endif()

# One script on OpenSSL's libssl and on the stand-in beside it, in one process
# (abi/side_by_side.h): finite-field DH parameters, trust-anchor locations, certificate and key
# encodings, the client hello callback, group lists, SSL_CTX_new_ex property queries, certificate
# chains and stores, signature algorithm lists, what a connection keeps from the peer's hello
# messages, client certificate callbacks, methods and sessions, CA lists, a connection's password
# callback, the small getters, DTLS-SRTP, DANE, SSL_MODE_ASYNC, the server session cache, SSL_want, and the refusals and fail-closed settings of functions
# the shim cannot serve as OpenSSL does.
if(TARGET sslshim_standin)
  add_executable(side_by_side_tests abi/dh_params_test.cc abi/verify_locations_test.cc
                                    abi/cert_encodings_test.cc abi/client_hello_test.cc
                                    abi/groups_propq_test.cc abi/tmp_ecdh_timeout_test.cc
                                    abi/chain_sigalgs_test.cc abi/hello_ctrls_test.cc
                                    abi/client_cert_cb_test.cc abi/methods_sessions_test.cc
                                    abi/misc_getters_test.cc abi/srtp_test.cc abi/refusals_test.cc
                                    abi/fatal_alert_test.cc abi/session_extras_test.cc
                                    abi/security_callback_test.cc
                                    abi/ssl_dup_test.cc abi/dane_test.cc
                                    abi/async_mode_test.cc abi/session_cache_test.cc
                                    abi/session_alpn_test.cc abi/want_state_test.cc)
  add_dependencies(side_by_side_tests sslshim_standin)
  target_link_libraries(side_by_side_tests PRIVATE GTest::gtest_main OpenSSL::SSL
                                                   sslshim_warnings ${CMAKE_DL_LIBS})
  target_compile_definitions(side_by_side_tests PRIVATE OPENSSL_SUPPRESS_DEPRECATED
    SSLSHIM_STANDIN_LIB="$<TARGET_FILE:sslshim_standin>")
  gtest_discover_tests(side_by_side_tests PROPERTIES LABELS abi TIMEOUT 60)
  # The same scripts with the stand-in on its OpenSSL backend (the real libssl beside it in this
  # process): the client hello callback, property queries and the hello messages' ctrl commands
  # answer as OpenSSL there too. The group-list refusal of groups BoringSSL lacks is the BoringSSL
  # backend's alone.
  set(_on_openssl_backend
    ClientHelloCallback.*
    PropertyQuery.*
    GroupLists.AnswerAsOpenSsl
    CertificateChains.*
    SignatureAlgorithmLists.*
    VerifyCertStore.*
    SmallCommands.*
    AfterHandshake.*
    MultipleCertificates.*
    CtlogStore.*
    SessionExtras.*
    SessionAlpn.*
    SessionBuilder.*
    SecurityCallback.*
    CheckChain.*
    FatalAlert.*
    HelloCtrls.*
    ClientCertCallback.*
    Methods.*
    SessionPem.*
    Extensions.*
    ClientVersion.*
    EmptySession.*
    CaLists.*
    ConnectionPasswordCallback.*
    SmallGetters.*
    SslTrace.*
    Srtp.*
    ServedAnswers.*
    RecordPadding.*
    RefusedSecuritySettings.*
    RefusedByDesign.*
    RenegotiateAbbreviated.*
    SslDup.*
    MatchingSessionId.*
    DaneRecords.*
    DaneVerification.*
    AsyncMode.*
    SessionCache.*
    WantState.*)
  list(JOIN _on_openssl_backend ":" _on_openssl_backend_filter)
  add_test(NAME abi.side_by_side_on_openssl_backend
    COMMAND side_by_side_tests --gtest_filter=${_on_openssl_backend_filter})
  set_tests_properties(abi.side_by_side_on_openssl_backend PROPERTIES
    LABELS abi TIMEOUT 60 ENVIRONMENT SSLSHIM_BACKEND=openssl)
endif()

# The guard generator refuses a refused-by-design list that names a function the shim serves
# (`sslshim check` would then call a served function refused), and accepts the real list.
if(TARGET sslshim_exports)
  set(_gen_guards sh ${PROJECT_SOURCE_DIR}/abi/gen-guards.sh ${CMAKE_NM}
      ${PROJECT_SOURCE_DIR}/abi/libssl.so.3.symbols)
  add_test(NAME abi.gen_guards_refuses_a_served_name_listed_as_refused
    COMMAND bash -c "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && \
      printf 'SSL_write\\tsupposedly refused\\n' >\"$d/refused.tsv\" && \
      ! $<JOIN:${_gen_guards}, > \"$d/refused.tsv\" \"$d/out\" $<TARGET_FILE:sslshim_exports> \
        2>\"$d/err\" && grep -q 'served, yet listed' \"$d/err\" && \
      $<JOIN:${_gen_guards}, > ${PROJECT_SOURCE_DIR}/abi/refused-by-design.tsv \"$d/ok\" \
        $<TARGET_FILE:sslshim_exports> && grep -q SSL_write \"$d/ok/served.txt\"")
  set_tests_properties(abi.gen_guards_refuses_a_served_name_listed_as_refused PROPERTIES
    LABELS abi TIMEOUT 60)
endif()

# SSLSHIM_LOG=trace under both load modes, to a file and to stderr, and silence when it is off.
if(TARGET sslshim AND TARGET sslshim_standin)
  add_executable(trace_probe abi/trace_probe.c)
  target_link_libraries(trace_probe PRIVATE OpenSSL::SSL)
  add_dependencies(trace_probe sslshim sslshim_standin)
  add_test(NAME abi.trace_logs_each_served_call
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/abi/trace_test.sh $<TARGET_FILE:trace_probe>
            $<TARGET_FILE:sslshim> $<TARGET_FILE_DIR:sslshim_standin>)
  set_tests_properties(abi.trace_logs_each_served_call PROPERTIES LABELS abi TIMEOUT 120)

  # SSLSHIM_LOG's other levels: refusals (the default), off, info; ctrl commands by name.
  add_executable(log_probe abi/log_probe.c)
  target_link_libraries(log_probe PRIVATE OpenSSL::SSL)
  add_dependencies(log_probe sslshim sslshim_standin)
  add_test(NAME abi.log_levels_refusals_info_ctrl_names
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/abi/log_test.sh $<TARGET_FILE:log_probe>
            $<TARGET_FILE:sslshim> $<TARGET_FILE_DIR:sslshim_standin> ${PROJECT_VERSION}
            ${SSLSHIM_BORINGSSL_VERSION})
  set_tests_properties(abi.log_levels_refusals_info_ctrl_names PROPERTIES LABELS abi TIMEOUT 120)
endif()

# Standing in, with no real libssl to ask, the process-wide answers are the real libssl's: TLS
# compression's methods, and the program's named ssl_conf sections (SSL_CTX_config, SSL_config).
if(TARGET sslshim_standin)
  add_executable(standin_answers_probe abi/standin_answers_probe.c)
  target_link_libraries(standin_answers_probe PRIVATE OpenSSL::SSL)
  target_compile_definitions(standin_answers_probe PRIVATE OPENSSL_SUPPRESS_DEPRECATED)
  add_dependencies(standin_answers_probe sslshim_standin)
  add_test(NAME abi.standin_answers_compression_and_config_sections
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/abi/standin_answers_test.sh
            $<TARGET_FILE:standin_answers_probe> $<TARGET_FILE_DIR:sslshim_standin>)
  set_tests_properties(abi.standin_answers_compression_and_config_sections PROPERTIES
    LABELS abi TIMEOUT 60)
endif()

# Preloaded, the shim does not look for libssl.so.3 in a process that never calls libssl, searches
# once while none is loaded, and forwards to one a module opened RTLD_LOCAL brings in later.
if(TARGET sslshim)
  find_program(SSLSHIM_STRACE_TOOL NAMES strace REQUIRED)
  find_package(Threads REQUIRED)
  add_library(late_libssl_module MODULE abi/late_libssl_module.c)
  target_link_libraries(late_libssl_module PRIVATE OpenSSL::SSL ${CMAKE_DL_LIBS} sslshim_warnings)
  add_executable(late_libssl_probe abi/late_libssl_probe.c)
  target_link_libraries(late_libssl_probe PRIVATE ${CMAKE_DL_LIBS} Threads::Threads sslshim_warnings)
  add_dependencies(late_libssl_probe sslshim late_libssl_module)
  add_test(NAME abi.late_libssl_searched_once_and_forwarded
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/abi/late_libssl_test.sh $<TARGET_FILE:late_libssl_probe>
            $<TARGET_FILE:late_libssl_module> $<TARGET_FILE:sslshim> ${SSLSHIM_STRACE_TOOL})
  set_tests_properties(abi.late_libssl_searched_once_and_forwarded PROPERTIES
    LABELS abi TIMEOUT 180)
  # The same through the lazy preload library, which loads the shim on the first libssl call.
  add_dependencies(late_libssl_probe sslshim_lazy)
  add_test(NAME abi.lazy_preload_loads_nothing_until_libssl_is_called
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/abi/late_libssl_test.sh $<TARGET_FILE:late_libssl_probe>
            $<TARGET_FILE:late_libssl_module> $<TARGET_FILE:sslshim_lazy> ${SSLSHIM_STRACE_TOOL})
  set_tests_properties(abi.lazy_preload_loads_nothing_until_libssl_is_called PROPERTIES
    LABELS abi TIMEOUT 180)
endif()
