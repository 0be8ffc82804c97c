// Unit tests of the harness's own parts: the evidence classifier and the JSON reader. The vectors
// for OpenSSL are what tls_peer recorded from OpenSSL 3.0.19 with default settings; the BoringSSL
// ones follow its source (kDefaultGroups and kExtensions in ssl/extensions.cc,
// do_send_server_hello in ssl/tls13_server.cc).
#include <gtest/gtest.h>

#include "testsupport/json.h"
#include "testsupport/tls_stack.h"
#include "tls_reports.h"

namespace sslshim::e2e {
namespace {

TEST(HarnessClientHello, OpenSslTls13DefaultsOfferX448AndFfdhe) {
  testsupport::StackVerdict v =
      testsupport::ClassifyClientHello({29, 23, 30, 25, 24, 256, 257, 258, 259, 260});
  EXPECT_EQ(v.stack, testsupport::TlsStack::kOpenSsl) << v.reason;
}

TEST(HarnessClientHello, OpenSslTls12DefaultsOfferX448) {
  testsupport::StackVerdict v = testsupport::ClassifyClientHello({29, 23, 30, 25, 24});
  EXPECT_EQ(v.stack, testsupport::TlsStack::kOpenSsl) << v.reason;
}

TEST(HarnessClientHello, BoringSslDefaults) {
  testsupport::StackVerdict v = testsupport::ClassifyClientHello({29, 23, 24});
  EXPECT_EQ(v.stack, testsupport::TlsStack::kBoringSsl) << v.reason;
}

TEST(HarnessClientHello, NoEvidenceIsUnknown) {
  EXPECT_EQ(testsupport::ClassifyClientHello({}).stack, testsupport::TlsStack::kUnknown);
  EXPECT_EQ(testsupport::ClassifyClientHello({23, 24, 25}).stack, testsupport::TlsStack::kUnknown);
}

TEST(HarnessServerHello, Tls13Order) {
  EXPECT_EQ(testsupport::ClassifyServerHello("1.3", {43, 51}).stack,
            testsupport::TlsStack::kOpenSsl);
  EXPECT_EQ(testsupport::ClassifyServerHello("1.3", {51, 43}).stack,
            testsupport::TlsStack::kBoringSsl);
  EXPECT_EQ(testsupport::ClassifyServerHello("1.3", {51}).stack, testsupport::TlsStack::kUnknown);
}

TEST(HarnessServerHello, Tls12Order) {
  EXPECT_EQ(testsupport::ClassifyServerHello("1.2", {65281, 11, 35, 23}).stack,
            testsupport::TlsStack::kOpenSsl);
  EXPECT_EQ(testsupport::ClassifyServerHello("1.2", {23, 65281, 11, 35}).stack,
            testsupport::TlsStack::kBoringSsl);
  EXPECT_EQ(testsupport::ClassifyServerHello("1.2", {}).stack, testsupport::TlsStack::kUnknown);
}

TEST(HarnessJson, ReadsTheProgramsOutputShape) {
  std::string error;
  auto v = testsupport::Json::Parse(
      R"({"ok":true,"n":-12,"s":"a\"b\\c\u0001","l":[1,2,65281],"e":[]})", &error);
  ASSERT_TRUE(v.has_value()) << error;
  bool ok = true;
  EXPECT_TRUE(v->BoolField("ok", &ok));
  EXPECT_EQ(v->IntField("n", &ok), -12);
  EXPECT_EQ(v->StringField("s", &ok), std::string("a\"b\\c\x01"));
  EXPECT_EQ(v->IntArrayField("l", &ok), (std::vector<int64_t>{1, 2, 65281}));
  EXPECT_TRUE(v->IntArrayField("e", &ok).empty());
  EXPECT_TRUE(ok);
  v->IntField("missing", &ok);
  EXPECT_FALSE(ok);
}

TEST(HarnessJson, RejectsMalformedInput) {
  std::string error;
  EXPECT_FALSE(testsupport::Json::Parse(R"({"a":1,})", &error).has_value());
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(testsupport::Json::Parse(R"({"a":"unterminated)", &error).has_value());
  EXPECT_FALSE(testsupport::Json::Parse(R"({"a":1} x)", &error).has_value());
}

TEST(HarnessReports, MissingFieldIsAnError) {
  std::string error;
  EXPECT_FALSE(ParsePeerReport("{\"ok\":true}\n", &error).has_value());
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(ParseAppReport("", &error).has_value());
}

}  // namespace
}  // namespace sslshim::e2e
