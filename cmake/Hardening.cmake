# Every object of the project, BoringSSL's included, is built hardened; tests/abi checks the
# libraries: full RELRO and BIND_NOW, the stack protector, FORTIFY_SOURCE (optimised builds: it
# needs the optimiser) and Intel CET (indirect-branch tracking and shadow stack markers).
add_compile_options(-fstack-protector-strong -fcf-protection=full)
if(NOT SSLSHIM_SANITIZE AND NOT SSLSHIM_FUZZ AND NOT SSLSHIM_TSAN)
  add_compile_definitions($<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
endif()
add_link_options(LINKER:-z,relro LINKER:-z,now)
