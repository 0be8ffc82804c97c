# cmake -DNM=<nm> -DARCHIVE=<libsslshim_backend_openssl.a> -DLIBSSL=<libssl.so> -P openssl_backend_symbols.cmake
cmake_minimum_required(VERSION 3.25)
# Fails when the OpenSSL backend's archive refers to any libssl name directly (a call, or one of
# OpenSSL's header macros over SSL_ctrl/SSL_CTX_ctrl): in a preloaded process such a reference
# would bind to the shim itself. It must reach libssl only through dlvsym. A libssl name is one
# the real libssl exports (so i2d_SSL_SESSION, BIO_new_ssl... count too), or one that looks like it.
execute_process(COMMAND ${NM} -u --format=just-symbols ${ARCHIVE}
                OUTPUT_VARIABLE undefined RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "nm failed on ${ARCHIVE}")
endif()
string(REPLACE "\n" ";" undefined "${undefined}")

set(exported "")
if(LIBSSL)
  execute_process(COMMAND ${NM} -D --defined-only --format=just-symbols ${LIBSSL}
                  OUTPUT_VARIABLE exported RESULT_VARIABLE libssl_result)
  if(NOT libssl_result EQUAL 0 OR exported STREQUAL "")
    message(FATAL_ERROR "nm -D failed on ${LIBSSL}")
  endif()
  string(REGEX REPLACE "@[^\n]*" "" exported "${exported}")  # drop @@OPENSSL_3.0.0
  string(REPLACE "\n" ";" exported "${exported}")
endif()

set(direct "")
foreach(symbol IN LISTS undefined)
  if(symbol MATCHES "^(SSL|TLS|DTLS)_" OR symbol MATCHES "^(i2d|d2i)_SSL_"
     OR symbol STREQUAL "OPENSSL_init_ssl" OR symbol IN_LIST exported)
    list(APPEND direct ${symbol})
  endif()
endforeach()
if(direct)
  message(FATAL_ERROR "direct libssl references in ${ARCHIVE}: ${direct}")
endif()
# The lookup itself lives in the core (sslshim::RealLibsslSymbol, dlvsym underneath).
set(looks_up FALSE)
foreach(symbol IN LISTS undefined)
  if(symbol STREQUAL "dlvsym" OR symbol MATCHES "RealLibsslSymbol")
    set(looks_up TRUE)
  endif()
endforeach()
if(NOT looks_up)
  message(FATAL_ERROR "${ARCHIVE} uses neither dlvsym nor RealLibsslSymbol: where does it find libssl?")
endif()
message(STATUS "no direct libssl reference; libssl reached through dlvsym")
