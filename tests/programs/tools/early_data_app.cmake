# early_data_app: TLS 1.3 early data through the process's libssl.so.3 (run_early_data_app.sh runs
# it natively and under the shim on both backends). An ordinary OpenSSL program.
add_executable(early_data_app ${CMAKE_CURRENT_LIST_DIR}/early_data_app.c)
target_link_libraries(early_data_app PRIVATE OpenSSL::SSL OpenSSL::Crypto sslshim_warnings)
list(APPEND _programs_env "PROGRAMS_EARLY_DATA_APP=$<TARGET_FILE:early_data_app>")
