# Builds BoringSSL from Debian's source package (android-platform-external-boringssl) as static,
# position-independent archives, with no Go and no Perl: the package ships the full source list
# (android-sources.cmake), the pregenerated x86-64 assembly and the pregenerated error strings.
#
# Every symbol BoringSSL defines is then renamed with a private prefix (objcopy --redefine-syms from
# an nm list, applied identically to the backend that calls it), so that BoringSSL's SSL_write,
# BIO_new, ... can never be confused with OpenSSL's or with the shim's own exported names
# (docs/design-notes.md). --prefix-symbols is not used: it would rename undefined libc references too.

if(NOT BORINGSSL_SOURCE_DIR)
  message(FATAL_ERROR "BORINGSSL_SOURCE_DIR is not set: run ./sslshim setup (or the README commands)")
endif()
if(NOT EXISTS "${BORINGSSL_SOURCE_DIR}/android-sources.cmake")
  message(FATAL_ERROR "${BORINGSSL_SOURCE_DIR} holds no android-sources.cmake: "
                      "run tools/fetch-boringssl.sh to unpack Debian's source package")
endif()
if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  message(FATAL_ERROR "only x86-64 assembly is wired up (found ${CMAKE_SYSTEM_PROCESSOR})")
endif()

set(BORINGSSL_ROOT "${BORINGSSL_SOURCE_DIR}/")
set(SSLSHIM_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "")
include("${BORINGSSL_SOURCE_DIR}/android-sources.cmake")
set(SSLSHIM_BSSL_PREFIX "sslshim_bssl_" CACHE INTERNAL "prefix given to every BoringSSL symbol")

set(_bssl_flags -fPIC -fvisibility=hidden -w)
# Not OPENSSL_SMALL, which Debian's and Android's builds set for size: it turns off BoringSSL's
# assembly P-256 (nistz) and X25519's precomputed tables. With them, nginx's full ECDSA P-256
# handshakes cost 0.69-0.77x native server CPU instead of 0.83-0.92x (./sslshim bench --programs),
# for 0.4 MB more library.
set(_bssl_defs BORINGSSL_IMPLEMENTATION _XOPEN_SOURCE=700)
if(SSLSHIM_FUZZ)
  # BoringSSL's fuzzer mode (never outside the fuzz preset): null record encryption, no signature
  # or Finished checks, deterministic randomness, so fuzzed flights reach past the record layer.
  list(APPEND _bssl_defs BORINGSSL_UNSAFE_DETERMINISTIC_MODE BORINGSSL_UNSAFE_FUZZER_MODE)
endif()

add_library(bssl_crypto_raw STATIC ${crypto_sources} ${crypto_sources_linux_x86_64})
add_library(bssl_ssl_raw STATIC ${ssl_sources})
foreach(t bssl_crypto_raw bssl_ssl_raw)
  target_include_directories(${t} SYSTEM PUBLIC "${BORINGSSL_SOURCE_DIR}/src/include")
  target_compile_options(${t} PRIVATE ${_bssl_flags})
  target_compile_definitions(${t} PRIVATE ${_bssl_defs})
  set_target_properties(${t} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON CXX_STANDARD 17
                                        POSITION_INDEPENDENT_CODE ON)
endforeach()
target_link_libraries(bssl_ssl_raw PUBLIC bssl_crypto_raw)
target_link_libraries(bssl_crypto_raw PUBLIC Threads::Threads)

# Headers-only target for code compiled against BoringSSL's headers (the backend).
add_library(bssl_headers INTERFACE)
target_include_directories(bssl_headers SYSTEM INTERFACE "${BORINGSSL_SOURCE_DIR}/src/include")

# sslshim_bssl_redefine_map(<out-var>)
# Sets <out-var> to the rename map (every global symbol the BoringSSL archives define) and, on the
# first call only, defines the command that writes it and the target `sslshim_bssl_redefine_map`
# that runs it. Once only: an OUTPUT may have one rule, and more than one part of the tree (the shim,
# the benchmarks) prefixes archives with the same map.
function(sslshim_bssl_redefine_map out_var)
  set(dir "${CMAKE_BINARY_DIR}/bssl-prefixed")
  set(map "${dir}/redefine-syms.txt")
  get_property(defined GLOBAL PROPERTY SSLSHIM_BSSL_REDEFINE_MAP_DEFINED)
  if(NOT defined)
    add_custom_command(
      OUTPUT "${map}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
      COMMAND sh "${SSLSHIM_CMAKE_DIR}/make-redefine-map.sh" ${CMAKE_NM} ${SSLSHIM_BSSL_PREFIX} "${map}"
              $<TARGET_FILE:bssl_crypto_raw> $<TARGET_FILE:bssl_ssl_raw>
      DEPENDS bssl_crypto_raw bssl_ssl_raw "${SSLSHIM_CMAKE_DIR}/make-redefine-map.sh"
      COMMENT "Listing BoringSSL's symbols for the private prefix"
      VERBATIM)
    add_custom_target(sslshim_bssl_redefine_map DEPENDS "${map}")
    set_property(GLOBAL PROPERTY SSLSHIM_BSSL_REDEFINE_MAP_DEFINED TRUE)
  endif()
  set(${out_var} "${map}" PARENT_SCOPE)
endfunction()

# sslshim_prefix_archives(<out-target> <raw-archive-targets...>)
# Makes an INTERFACE target that links the prefixed copies of the given static archives (in the
# given order). May be called more than once, from any directory, with overlapping archives: each
# archive's prefixed copy gets one rule and one target (`sslshim_bssl_prefixed_<raw>`), made by the
# first call that names it; later calls depend on that target.
function(sslshim_prefix_archives out)
  sslshim_bssl_redefine_map(map)
  set(dir "${CMAKE_BINARY_DIR}/bssl-prefixed")
  set(outputs)
  set(producers)
  foreach(raw IN LISTS ARGN)
    set(prefixed "${dir}/lib${raw}.a")
    get_property(defined GLOBAL PROPERTY SSLSHIM_BSSL_PREFIXED_${raw}_DEFINED)
    if(NOT defined)
      add_custom_command(
        OUTPUT "${prefixed}"
        COMMAND ${CMAKE_OBJCOPY} --redefine-syms=${map} $<TARGET_FILE:${raw}> ${prefixed}
        DEPENDS ${raw} "${map}"
        COMMENT "Prefixing ${raw}"
        VERBATIM)
      add_custom_target(sslshim_bssl_prefixed_${raw} DEPENDS "${prefixed}")
      # The map's rule may live in another directory: order on its target, not only on the file.
      add_dependencies(sslshim_bssl_prefixed_${raw} sslshim_bssl_redefine_map)
      set_property(GLOBAL PROPERTY SSLSHIM_BSSL_PREFIXED_${raw}_DEFINED TRUE)
    endif()
    list(APPEND outputs "${prefixed}")
    list(APPEND producers sslshim_bssl_prefixed_${raw})
  endforeach()
  add_library(${out} INTERFACE)
  add_dependencies(${out} ${producers})
  target_link_libraries(${out} INTERFACE ${outputs} Threads::Threads)
endfunction()

# The BoringSSL version the library says it carries: the first line of the Debian source package's
# changelog, "android-platform-external-boringssl (13.0.0+r24-2) unstable; ...".
set(_changelog "${BORINGSSL_SOURCE_DIR}/debian/changelog")
file(STRINGS "${_changelog}" _changelog_head LIMIT_COUNT 1)
if(NOT _changelog_head MATCHES "^([^ ]+) \\(([^)]+)\\)")
  message(FATAL_ERROR "no Debian version in ${_changelog}")
endif()
set(SSLSHIM_BORINGSSL_PACKAGE "${CMAKE_MATCH_1}")
set(SSLSHIM_BORINGSSL_VERSION "${CMAKE_MATCH_2}")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_changelog}")
