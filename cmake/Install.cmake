# `cmake --install`: everything under <libdir>/sslshim so that nothing shadows the system's
# libssl.so.3 unless asked (LD_PRELOAD, LD_LIBRARY_PATH, PKG_CONFIG_PATH, CMAKE_PREFIX_PATH):
#   <libdir>/sslshim/libsslshim.so            for LD_PRELOAD
#   <libdir>/sslshim/libsslshim-lazy.so       for LD_PRELOAD everywhere: loads the shim when used
#   <libdir>/sslshim/standin/libssl.so.3      the stand-in, and libssl.so to link against
#   <libdir>/sslshim/pkgconfig/libssl.pc      and libcrypto.pc (the system's libcrypto)
#   <libdir>/sslshim/sslshim-check            with served.txt, ctrl-table.tsv, refused-by-design.tsv
#                                             and usage.py (its ctrl-command disassembly)
#   <libdir>/cmake/sslshim/                   find_package(sslshim): sslshim::ssl
#   <libdir>/sslshim/sslshim-systemd          enable/disable's drop-in writer
#   <bindir>/sslshim                          run, check, version, enable, disable
#   <docdir>/                                 README, docs, copyright, changelog, BoringSSL's licence
#   <mandir>/man1/sslshim.1.gz
# Debian's multiarch library directory whatever the prefix, as Debian configures its own CMake
# packages: /usr/lib/<triplet>/sslshim in the package, <prefix>/lib/<triplet>/sslshim elsewhere.
if(NOT DEFINED CMAKE_INSTALL_LIBDIR AND CMAKE_LIBRARY_ARCHITECTURE)
  set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}"
      CACHE PATH "Object code libraries (lib/<multiarch triplet> on Debian)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SSLSHIM_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/sslshim")
set(_staging "${CMAKE_BINARY_DIR}/install-staging")
file(MAKE_DIRECTORY "${_staging}")

install(TARGETS sslshim sslshim_lazy LIBRARY DESTINATION "${SSLSHIM_INSTALL_DIR}")
install(TARGETS sslshim_standin LIBRARY DESTINATION "${SSLSHIM_INSTALL_DIR}/standin")
# The development link a linker looks for with -lssl; programs still record libssl.so.3.
file(CREATE_LINK libssl.so.3 "${_staging}/libssl.so" SYMBOLIC)
install(FILES "${_staging}/libssl.so" DESTINATION "${SSLSHIM_INSTALL_DIR}/standin")

# sslshim-check and what it reads next to the shim.
install(PROGRAMS "${PROJECT_SOURCE_DIR}/tools/sslshim-check" DESTINATION "${SSLSHIM_INSTALL_DIR}")
install(FILES "${SSLSHIM_ABI_DIR}/served.txt" "${SSLSHIM_ABI_DIR}/ctrl-table.tsv"
              "${PROJECT_SOURCE_DIR}/abi/refused-by-design.tsv"
        DESTINATION "${SSLSHIM_INSTALL_DIR}")
install(PROGRAMS "${PROJECT_SOURCE_DIR}/tools/usage/usage.py" DESTINATION "${SSLSHIM_INSTALL_DIR}")
install(PROGRAMS "${PROJECT_SOURCE_DIR}/tools/sslshim-systemd" DESTINATION "${SSLSHIM_INSTALL_DIR}")

# The sslshim command, told where the shim is relative to itself (so that a copy installed with
# DESTDIR or --prefix finds its own files).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}")
  set(_shimdir_from_bin "${CMAKE_INSTALL_FULL_LIBDIR}/sslshim")
else()
  file(RELATIVE_PATH _shimdir_from_bin "${CMAKE_INSTALL_FULL_BINDIR}"
       "${CMAKE_INSTALL_FULL_LIBDIR}/sslshim")
endif()
file(READ "${PROJECT_SOURCE_DIR}/sslshim" _script)
string(REPLACE "\ninstalled_shimdir=\"\"\n" "\ninstalled_shimdir=\"${_shimdir_from_bin}\"\n"
       _installed_script "${_script}")
if(_installed_script STREQUAL _script)
  message(FATAL_ERROR "sslshim: no installed_shimdir line to set in the sslshim script")
endif()
file(WRITE "${_staging}/sslshim" "${_installed_script}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/sslshim")
install(PROGRAMS "${_staging}/sslshim" DESTINATION "${CMAKE_INSTALL_BINDIR}")

# pkg-config files with the prefix given at install time (--prefix), as OpenSSL's own carry
# absolute paths. libssl.pc records a run path: a program built against the stand-in should load
# it, not the system's libssl.so.3 of the same soname.
get_filename_component(_crypto_libdir "${OPENSSL_CRYPTO_LIBRARY}" DIRECTORY)
configure_file(cmake/sslshim-pkgconfig.cmake.in "${_staging}/pkgconfig.cmake" @ONLY)
install(SCRIPT "${_staging}/pkgconfig.cmake")

# find_package(sslshim): the stand-in as sslshim::ssl, found relative to the package's own files.
configure_file(cmake/sslshimConfig.cmake.in "${_staging}/sslshimConfig.cmake" @ONLY)
write_basic_package_version_file("${_staging}/sslshimConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${_staging}/sslshimConfig.cmake" "${_staging}/sslshimConfigVersion.cmake"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/sslshim")

# Documentation; the library contains BoringSSL, so its licence and Debian's copyright file go too.
file(GLOB _docs "${PROJECT_SOURCE_DIR}/docs/*.md")
# docs/ stays a subdirectory, so that the README's links to it hold.
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES ${_docs} DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")
install(FILES "${BORINGSSL_SOURCE_DIR}/src/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
        RENAME LICENSE.BoringSSL)
install(FILES "${BORINGSSL_SOURCE_DIR}/debian/copyright" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
        RENAME copyright.BoringSSL)
# The package's copyright file (where Debian's tools look): what is whose, then BoringSSL's.
configure_file(cmake/copyright.in "${_staging}/copyright" @ONLY)
file(READ "${BORINGSSL_SOURCE_DIR}/debian/copyright" _bssl_copyright)
file(APPEND "${_staging}/copyright" "${_bssl_copyright}")
install(FILES "${_staging}/copyright" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# The manual page and the changelog, compressed as Debian's policy asks (gzip -9n: no name or
# time in the header, so the package is reproducible). The changelog's version is the project's.
file(STRINGS "${PROJECT_SOURCE_DIR}/packaging/changelog" _changelog_head LIMIT_COUNT 1)
if(NOT _changelog_head MATCHES "^sslshim \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/changelog starts with '${_changelog_head}', not version "
                      "${PROJECT_VERSION}: add an entry for it")
endif()
foreach(_page IN ITEMS packaging/sslshim.1 packaging/changelog)
  get_filename_component(_name "${_page}" NAME)
  execute_process(COMMAND gzip -9n -c "${PROJECT_SOURCE_DIR}/${_page}"
                  OUTPUT_FILE "${_staging}/${_name}.gz" RESULT_VARIABLE _gzip_status)
  if(NOT _gzip_status EQUAL 0)
    message(FATAL_ERROR "gzip ${_page}: ${_gzip_status}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/${_page}")
endforeach()
install(FILES "${_staging}/sslshim.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${_staging}/changelog.gz" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
