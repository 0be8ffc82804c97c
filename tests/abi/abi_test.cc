// The ABI promise (docs/design-notes.md): the three libraries export exactly OpenSSL 3.0's libssl
// functions, each at OPENSSL_3.0.0, as the system's libssl.so.3 does; nothing of BoringSSL, no C++
// symbol, nothing else; the stand-in carries soname libssl.so.3 and needs the program's libcrypto.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

// W01: SSL_write's exact signature. The exported definition is compiled against OpenSSL's own
// declaration (abi/exports/ssl_io.cc), so a mismatch does not build; this states it once more.
static_assert(std::is_same_v<decltype(&SSL_write), int (*)(SSL*, const void*, int)>);

namespace {

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

// name -> version of every function a shared library defines in its dynamic symbol table.
std::map<std::string, std::string> DefinedFunctions(const std::string& lib) {
  std::map<std::string, std::string> out;
  std::istringstream lines(RunCommand(std::string(SSLSHIM_OBJDUMP) + " -T " + lib));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(" DF ") == std::string::npos || line.find("*UND*") != std::string::npos) continue;
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    if (f.size() < 2) continue;
    out[f.back()] = f[f.size() - 2];
  }
  return out;
}

std::set<std::string> ReadList(const std::string& path) {
  std::set<std::string> out;
  std::ifstream in(path);
  for (std::string name; in >> name;) out.insert(name);
  return out;
}

std::string DynamicSection(const std::string& lib) {
  return RunCommand(std::string(SSLSHIM_READELF) + " -d " + lib);
}

class AbiTest : public ::testing::TestWithParam<const char*> {};

TEST(Manifest, MatchesTheSystemLibssl) {
  auto system = DefinedFunctions(SSLSHIM_SYSTEM_LIBSSL);
  std::set<std::string> names;
  for (const auto& [name, version] : system) {
    names.insert(name);
    EXPECT_EQ(version, "OPENSSL_3.0.0") << name;
  }
  EXPECT_EQ(names, ReadList(SSLSHIM_MANIFEST))
      << "the system's libssl.so.3 and abi/libssl.so.3.symbols disagree: regenerate the manifest";
}

TEST_P(AbiTest, ExportsExactlyTheManifestAtOpenSsl300) {
  auto exported = DefinedFunctions(GetParam());
  ASSERT_FALSE(exported.empty());
  std::set<std::string> names;
  for (const auto& [name, version] : exported) {
    names.insert(name);
    EXPECT_EQ(version, "OPENSSL_3.0.0") << name;
  }
  EXPECT_EQ(names, ReadList(SSLSHIM_MANIFEST));
}

TEST_P(AbiTest, ExportsNoOtherSymbolOfAnyKind) {
  std::istringstream lines(RunCommand(std::string(SSLSHIM_OBJDUMP) + " -T " + GetParam()));
  auto manifest = ReadList(SSLSHIM_MANIFEST);
  std::string line;
  int defined = 0;
  while (std::getline(lines, line)) {
    if (line.find("*UND*") != std::string::npos || line.find(" g ") == std::string::npos) continue;
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    const std::string& name = f.back();
    if (name == "OPENSSL_3.0.0") continue;  // the version definition itself
    defined++;
    EXPECT_TRUE(manifest.count(name)) << "unexpected export: " << line;
    EXPECT_NE(name.rfind("_Z", 0), 0u) << "C++ symbol exported: " << name;
    EXPECT_EQ(name.find("sslshim_bssl_"), std::string::npos) << "BoringSSL symbol: " << name;
  }
  EXPECT_EQ(defined, static_cast<int>(manifest.size()));
}

TEST(Needed, TheShimNeedsTheProgramsLibcryptoAndNoLibssl) {
  for (const char* lib : {SSLSHIM_PRELOAD_LIB, SSLSHIM_STANDIN_LIB}) {
    std::string dynamic = DynamicSection(lib);
    EXPECT_NE(dynamic.find("[libcrypto.so.3]"), std::string::npos) << dynamic;
    EXPECT_EQ(dynamic.find("NEEDED) Shared library: [libssl"), std::string::npos) << dynamic;
  }
}

// The lazy preload library loads nothing a process would not load without it: libc alone.
TEST(Needed, TheLazyPreloadLibraryNeedsOnlyLibc) {
  const std::string dynamic = DynamicSection(SSLSHIM_LAZY_LIB);
  std::istringstream lines(dynamic);
  std::vector<std::string> needed;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(NEEDED)") != std::string::npos) needed.push_back(line.substr(line.find('[')));
  }
  EXPECT_EQ(needed, std::vector<std::string>{"[libc.so.6]"}) << dynamic;
}

// Built hardened (cmake/Hardening.cmake): full RELRO (GNU_RELRO and BIND_NOW), the stack
// protector, and in optimised builds FORTIFY_SOURCE (glibc's checked functions are imported).
// Intel CET is asked for everywhere (and the lazy library's entry points start with ENDBR64), but
// no library carries the CET property: Debian bookworm's crti.o and crtn.o, which every shared
// library links, have no CET notes, nor has the assembly of BoringSSL's Debian snapshot, and one
// object without them drops the property for the whole library. That is printed, so it shows when
// the toolchain and the snapshot bring them.
TEST_P(AbiTest, IsBuiltHardened) {
  const std::string lib = GetParam();
  EXPECT_NE(RunCommand(std::string(SSLSHIM_READELF) + " -lW " + lib).find("GNU_RELRO"),
            std::string::npos);
  const std::string dynamic = DynamicSection(lib);
  EXPECT_TRUE(dynamic.find("BIND_NOW") != std::string::npos ||
              dynamic.find("Flags: NOW") != std::string::npos)
      << dynamic;
  const std::string imports = RunCommand(std::string(SSLSHIM_OBJDUMP) + " -T " + lib);
  EXPECT_NE(imports.find("__stack_chk_fail"), std::string::npos);
#if SSLSHIM_EXPECT_FORTIFY
  // Any of glibc's checked functions (__memcpy_chk, __snprintf_chk...), not the stack protector's.
  std::string checked = imports;
  for (size_t at; (at = checked.find("__stack_chk_fail")) != std::string::npos;) {
    checked.erase(at, std::strlen("__stack_chk_fail"));
  }
  EXPECT_NE(checked.find("_chk"), std::string::npos) << "FORTIFY_SOURCE is not on";
#endif
  const std::string notes = RunCommand(std::string(SSLSHIM_READELF) + " -n " + lib);
  std::printf("%s: CET property %s\n", lib.c_str(),
              notes.find("IBT") != std::string::npos
                  ? "present"
                  : "absent (crti.o, crtn.o, BoringSSL's assembly)");
}

INSTANTIATE_TEST_SUITE_P(EveryLibrary, AbiTest,
                         ::testing::Values(SSLSHIM_PRELOAD_LIB, SSLSHIM_STANDIN_LIB,
                                           SSLSHIM_LAZY_LIB));

TEST(Soname, StandInIsLibssl3AndPreloadIsItsOwn) {
  EXPECT_NE(DynamicSection(SSLSHIM_STANDIN_LIB).find("Library soname: [libssl.so.3]"),
            std::string::npos);
  EXPECT_NE(DynamicSection(SSLSHIM_PRELOAD_LIB).find("Library soname: [libsslshim.so]"),
            std::string::npos);
}

TEST(Served, TheSurfaceAroundSslWriteIsImplementedNotGuarded) {
  auto served = ReadList(SSLSHIM_SERVED_LIST);
  for (const char* name : {"SSL_write",
                           "SSL_write_ex",
                           "SSL_read",
                           "SSL_read_ex",
                           "SSL_peek",
                           "SSL_get_error",
                           "SSL_shutdown",
                           "SSL_CTX_new",
                           "SSL_CTX_free",
                           "SSL_CTX_up_ref",
                           "SSL_CTX_ctrl",
                           "SSL_ctrl",
                           "SSL_new",
                           "SSL_free",
                           "SSL_set_fd",
                           "SSL_set_bio",
                           "SSL_set0_rbio",
                           "SSL_set0_wbio",
                           "SSL_get_rbio",
                           "SSL_get_wbio",
                           "SSL_set_connect_state",
                           "SSL_set_accept_state",
                           "SSL_connect",
                           "SSL_accept",
                           "SSL_do_handshake",
                           "SSL_is_init_finished",
                           "SSL_pending",
                           "SSL_get_shutdown",
                           "SSL_set_shutdown",
                           "SSL_renegotiate",
                           "SSL_key_update",
                           "SSL_get_current_cipher",
                           "SSL_CIPHER_get_name",
                           "SSL_get_finished",
                           "SSL_get_peer_finished",
                           "SSL_set_ex_data",
                           "SSL_get_ex_data",
                           "SSL_get_verify_result",
                           "SSL_get1_peer_certificate",
                           "SSL_get_version",
                           "OPENSSL_init_ssl",
                           "TLS_method",
                           "TLS_client_method",
                           "TLS_server_method",
                           "TLSv1_2_method",
                           "SSL_CTX_set_options",
                           "SSL_CTX_clear_options",
                           "SSL_CTX_get_options",
                           "SSL_CTX_set_cipher_list",
                           "SSL_CTX_set_ciphersuites",
                           "SSL_CTX_set_verify",
                           "SSL_CTX_set_info_callback",
                           "SSL_CTX_use_certificate",
                           "SSL_CTX_use_certificate_file",
                           "SSL_CTX_use_certificate_chain_file",
                           "SSL_CTX_use_PrivateKey",
                           "SSL_CTX_use_PrivateKey_file",
                           "SSL_CTX_check_private_key",
                           "SSL_CTX_load_verify_locations",
                           "SSL_CTX_set_default_verify_paths"}) {
    EXPECT_TRUE(served.count(name)) << name << " is guarded, not implemented";
  }
}

}  // namespace
