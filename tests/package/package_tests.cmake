# The Debian package: cpack, lintian, dpkg into a fresh root, real programs from its paths. Uses
# the program scenarios' environment (programs/programs_tests.cmake), with the shim's paths
# replaced by the installed ones.
if(TARGET sslshim AND TARGET sslshim_standin AND DEFINED _programs_env)
  set(_package_env ${_programs_env})
  list(FILTER _package_env EXCLUDE REGEX "^PROGRAMS_(SHIM|STANDIN_DIR)=")
  add_test(NAME package.deb_lintian_install_run
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/package_test.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_INSTALL_LIBDIR} ${PROJECT_VERSION} ${CMAKE_CURRENT_SOURCE_DIR}/programs)
  set_tests_properties(package.deb_lintian_install_run PROPERTIES
    LABELS package TIMEOUT 600 ENVIRONMENT "${_package_env}")
endif()
