// SSL_get_shared_ciphers' text against OpenSSL 3's, measured with the same names and buffers
// (tests/reliability/shared_ciphers_probe.c holds the whole call to it).
#include "core/shared_ciphers.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace sslshim {
namespace {

CipherInfo Suite(const char* name, uint16_t code) {
  CipherInfo info;
  info.name = name;
  info.id = 0x03000000u | code;
  return info;
}

// The client's order: a suite the server lacks, then three it has, listed in another order.
const std::vector<uint16_t> kOffered = {0xc030, 0xc02b, 0x002f, 0xcca9};
const std::vector<CipherInfo> kOurs = {Suite("AES128-SHA", 0x002f),
                                       Suite("ECDHE-ECDSA-CHACHA20-POLY1305", 0xcca9),
                                       Suite("ECDHE-ECDSA-AES128-GCM-SHA256", 0xc02b)};

std::string Shared(int size) {
  char buf[128];
  std::memset(buf, 'x', sizeof buf);
  char* ret = WriteSharedCiphers(kOffered, kOurs, buf, size);
  if (ret == nullptr) return "NULL";
  EXPECT_EQ(ret, buf);
  return ret;
}

TEST(SharedCiphers, WholeNamesInTheClientsOrderAsFarAsTheyFit) {
  EXPECT_EQ(Shared(128), "ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305");
  EXPECT_EQ(Shared(71), "ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305");
  EXPECT_EQ(Shared(70), "ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA");
  EXPECT_EQ(Shared(41), "ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA");
  EXPECT_EQ(Shared(40), "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(Shared(30), "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(Shared(29), "NULL");
  EXPECT_EQ(Shared(2), "NULL");
  EXPECT_EQ(Shared(1), "NULL");
  EXPECT_EQ(Shared(0), "NULL");
}

TEST(SharedCiphers, NothingSharedIsNull) {
  char buf[64];
  EXPECT_EQ(WriteSharedCiphers({0xc030}, kOurs, buf, sizeof buf), nullptr);
  EXPECT_EQ(WriteSharedCiphers({}, kOurs, buf, sizeof buf), nullptr);
}

}  // namespace
}  // namespace sslshim
