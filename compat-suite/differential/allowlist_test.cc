// The documented-differences list: its line format, and an entry limited to one column allowing a
// kind there and nowhere else.
#include "allowlist.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace compat {
namespace {

// `text` in a temporary file, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/sslshim-known-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    if (fd >= 0) {
      EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
      close(fd);
      path_ = name;
    }
  }
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(KnownDifferences, AColumnEntryAllowsTheKindInThatColumnAlone) {
  TempFile file(
      "# a comment\n"
      "@shim-boringssl SSL_read*: WANT_* before the answer*\tdocs/contract.md \"Wire\"\n"
      "SSL_write* after SSL/*: native SYSCALL, shim SSL/*\tdocs/contract.md \"Bad input\"\n");
  std::string error;
  auto known = LoadKnownDifferences(file.path(), &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0].column, "shim-boringssl");
  EXPECT_EQ(known[0].pattern, "SSL_read*: WANT_* before the answer*");

  const std::string wire = "SSL_read: WANT_* before the answer: native 'R', shim ''";
  EXPECT_NE(FindKnown(known, "shim-boringssl", wire), nullptr);
  EXPECT_EQ(FindKnown(known, "shim-openssl", wire), nullptr);
  const std::string bad_input =
      "SSL_write after SSL/x: native SYSCALL, shim SSL/protocol is shutdown";
  EXPECT_NE(FindKnown(known, "shim-openssl", bad_input), nullptr);
  EXPECT_NE(FindKnown(known, "shim-boringssl", bad_input), nullptr);
}

TEST(KnownDifferences, AnEntryWithoutAContractRowOrColumnPatternIsAnError) {
  for (const char* text : {"SSL_read*: native SYSCALL\n", "@shim-boringssl\tdocs/contract.md\n",
                           "@ SSL_read*\tdocs/contract.md\n"}) {
    TempFile file(text);
    std::string error;
    EXPECT_TRUE(LoadKnownDifferences(file.path(), &error).empty()) << text;
    EXPECT_NE(error, "") << text;
  }
}

}  // namespace
}  // namespace compat
