# The Debian package (`./sslshim package`, or cpack in a build directory): what `cmake --install`
# puts under a /usr prefix (cmake/Install.cmake), as one binary package. Nothing in it shadows the
# system's libssl.so.3: the shim and the stand-in live in /usr/lib/sslshim and are used only when
# asked (sslshim run, sslshim enable, LD_PRELOAD, LD_LIBRARY_PATH).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sslshim)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "OpenSSL 3's libssl ABI with TLS by BoringSSL")
# The extended description; CPack indents it under the summary.
set(CPACK_PACKAGE_DESCRIPTION "\
sslshim gives unmodified programs linked to OpenSSL 3's libssl the TLS stack
of BoringSSL: preloaded (sslshim run, or a systemd drop-in that sslshim enable
writes), or as a stand-in libssl.so.3 first on the library path. The system's
libssl.so.3 is not replaced. sslshim check says which of a program's libssl
calls are served.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(SSLSHIM_PACKAGE_MAINTAINER "sslshim developers <sslshim@example.org>"
    CACHE STRING "The Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SSLSHIM_PACKAGE_MAINTAINER}")
# Library dependencies as dpkg-shlibdeps computes them (libc6, libssl3 for libcrypto, libstdc++6…);
# sslshim check reads ELF files with binutils and python3.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "binutils, python3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
set(CPACK_STRIP_FILES ON)
# Debian's tools read the install tree's owners from the package, not from whoever built it.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
