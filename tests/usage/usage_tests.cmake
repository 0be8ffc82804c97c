# docs/MATRIX.md is generated (tools/usage/gen-matrix.py) from the committed usage data
# (abi/usage/bookworm.tsv), the build's served list and the ctrl dispatchers' sources. This test
# regenerates it into the build tree and fails, with the diff and the command that regenerates it,
# when the committed file differs: a function or ctrl command that becomes served cannot leave the
# matrix silently stale. It downloads nothing. Included from tests/CMakeLists.txt.
if(TARGET sslshim)
  find_program(SSLSHIM_PYTHON3 NAMES python3 REQUIRED)
  add_test(NAME usage.matrix_is_current
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/matrix_is_current.sh ${SSLSHIM_PYTHON3}
            ${PROJECT_SOURCE_DIR} ${SSLSHIM_ABI_DIR}/served.txt ${OPENSSL_INCLUDE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/usage/MATRIX.md)
  set_tests_properties(usage.matrix_is_current PROPERTIES LABELS usage TIMEOUT 60)
endif()
