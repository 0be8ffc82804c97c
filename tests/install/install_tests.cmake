# `cmake --install` into a scratch prefix, and programs built against what it installed.
if(TARGET sslshim AND TARGET sslshim_standin AND TARGET trace_probe)
  add_test(NAME install.prefix_pkgconfig_find_package_run
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/install/install_test.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_INSTALL_LIBDIR} ${CMAKE_C_COMPILER} ${CMAKE_CURRENT_SOURCE_DIR}/abi/trace_probe.c
            ${PROJECT_VERSION})
  set_tests_properties(install.prefix_pkgconfig_find_package_run PROPERTIES
    LABELS install TIMEOUT 300)
endif()
