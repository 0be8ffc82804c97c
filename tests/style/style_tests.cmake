# The sources keep one clang-format style.
add_test(NAME style.clang_format
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/style/format_check.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(style.clang_format PROPERTIES LABELS style TIMEOUT 120)
