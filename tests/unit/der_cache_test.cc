// DerCache: the object kept while the bytes stay the same, made again when they change.
#include "core/der_cache.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace sslshim {
namespace {

using Bytes = std::vector<uint8_t>;

// Makes a fresh X509_NAME per call and counts the calls; fails while `fail` is set.
struct NameMaker {
  int calls = 0;
  bool fail = false;
  UniquePtr<X509_NAME> operator()(const Bytes&) {
    calls++;
    return UniquePtr<X509_NAME>(fail ? nullptr : X509_NAME_new());
  }
};

TEST(DerCache, SameBytesGiveTheSameObject) {
  DerCache<X509_NAME, Bytes> cache;
  NameMaker make;
  X509_NAME* first = cache.Get({1, 2, 3}, std::ref(make));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(cache.Get({1, 2, 3}, std::ref(make)), first);
  EXPECT_EQ(make.calls, 1);
}

TEST(DerCache, OtherBytesMakeANewObject) {
  DerCache<X509_NAME, Bytes> cache;
  NameMaker make;
  cache.Get({1}, std::ref(make));
  EXPECT_NE(cache.Get({2}, std::ref(make)), nullptr);
  EXPECT_EQ(make.calls, 2);
}

TEST(DerCache, EmptyBytesAreNoObjectAndForgetTheKeptOne) {
  DerCache<X509_NAME, Bytes> cache;
  NameMaker make;
  cache.Get({1}, std::ref(make));
  EXPECT_EQ(cache.Get({}, std::ref(make)), nullptr);
  EXPECT_NE(cache.Get({1}, std::ref(make)), nullptr);
  EXPECT_EQ(make.calls, 2);
}

TEST(DerCache, AFailedMakeIsTriedAgain) {
  DerCache<X509_NAME, Bytes> cache;
  NameMaker make;
  make.fail = true;
  EXPECT_EQ(cache.Get({1}, std::ref(make)), nullptr);
  make.fail = false;
  EXPECT_NE(cache.Get({1}, std::ref(make)), nullptr);
  EXPECT_EQ(make.calls, 2);
}

}  // namespace
}  // namespace sslshim
