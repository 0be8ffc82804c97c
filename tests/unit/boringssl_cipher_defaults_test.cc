// The BoringSSL backend's cipher lists match what Debian's OpenSSL 3 offers: no 3DES, by default
// or on request (OpenSSL 3 there has no 3DES suite, so "DES-CBC3-SHA" matches nothing).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backend/backend.h"
#include "boringssl_fake_program_bio.h"
#include "boringssl_test_support.h"

namespace sslshim {
namespace {

bool Offers(const BackendConn& conn, const std::string& name) {
  for (const CipherInfo& cipher : conn.Ciphers()) {
    if (cipher.name == name) return true;
  }
  return false;
}

class BoringSslCipherDefaults : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    backend_ = MakeBoringSslBackend(&why);
    ASSERT_NE(backend_, nullptr) << why;
    ctx_ = backend_->NewCtx({Endpoint::kClient, 0, 0}, testing_support::FakeBioOps());
    ASSERT_NE(ctx_, nullptr);
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendCtx> ctx_;
  testing_support::QuietObserver observer_;
};

TEST_F(BoringSslCipherDefaults, DefaultListHasAesGcmButNo3Des) {
  std::unique_ptr<BackendConn> conn = ctx_->NewConn(&observer_);
  EXPECT_TRUE(Offers(*conn, "ECDHE-RSA-AES128-GCM-SHA256"));
  EXPECT_FALSE(Offers(*conn, "DES-CBC3-SHA"));
}

TEST_F(BoringSslCipherDefaults, NamedDefaultAndAllHaveNo3Des) {
  for (const char* list : {"DEFAULT", "ALL", "ALL:+3DES", "3DES:ALL"}) {
    ASSERT_TRUE(ctx_->SetCipherList(list)) << list;
    std::unique_ptr<BackendConn> conn = ctx_->NewConn(&observer_);
    EXPECT_TRUE(Offers(*conn, "ECDHE-RSA-AES128-GCM-SHA256")) << list;
    EXPECT_FALSE(Offers(*conn, "DES-CBC3-SHA")) << list;
  }
}

TEST_F(BoringSslCipherDefaults, OnlyTripleDesMatchesNothing) {
  EXPECT_FALSE(ctx_->SetCipherList("DES-CBC3-SHA"));
  std::vector<ErrorRecord> errors;
  ctx_->TakeErrors(&errors);
  EXPECT_FALSE(errors.empty());
  std::unique_ptr<BackendConn> conn = ctx_->NewConn(&observer_);
  EXPECT_FALSE(conn->SetCipherList("3DES"));
}

}  // namespace
}  // namespace sslshim
