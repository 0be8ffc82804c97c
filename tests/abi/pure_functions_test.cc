// Functions the shim implements without any backend object (alert strings, ALPN list matching,
// client CA files) must answer exactly as OpenSSL 3's own. This process links the real libssl;
// the shim's definitions are reached through dlopen/dlsym on the stand-in, side by side.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

class PureFunctionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    handle_ = dlopen(SSLSHIM_STANDIN_LIB, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
  }
  template <typename Fn>
  static Fn Shim(const char* name, Fn real) {
    auto* fn = reinterpret_cast<Fn>(dlsym(handle_, name));
    EXPECT_NE(fn, nullptr) << name;
    EXPECT_NE(reinterpret_cast<void*>(fn), reinterpret_cast<void*>(real))
        << name << " resolved to the real libssl: the comparison would prove nothing";
    return fn;
  }
  static void* handle_;
};
void* PureFunctionsTest::handle_ = nullptr;

TEST_F(PureFunctionsTest, AlertStringsAreOpenSsls) {
  auto desc = Shim("SSL_alert_desc_string", &SSL_alert_desc_string);
  auto desc_long = Shim("SSL_alert_desc_string_long", &SSL_alert_desc_string_long);
  auto type = Shim("SSL_alert_type_string", &SSL_alert_type_string);
  auto type_long = Shim("SSL_alert_type_string_long", &SSL_alert_type_string_long);
  for (int level : {0, SSL3_AL_WARNING, SSL3_AL_FATAL, 7}) {
    for (int alert = 0; alert < 256; alert++) {
      int value = (level << 8) | alert;
      EXPECT_STREQ(desc(value), SSL_alert_desc_string(value)) << value;
      EXPECT_STREQ(desc_long(value), SSL_alert_desc_string_long(value)) << value;
      EXPECT_STREQ(type(value), SSL_alert_type_string(value)) << value;
      EXPECT_STREQ(type_long(value), SSL_alert_type_string_long(value)) << value;
    }
  }
}

std::vector<unsigned char> Wire(std::initializer_list<std::string> protos) {
  std::vector<unsigned char> out;
  for (const std::string& p : protos) {
    out.push_back(static_cast<unsigned char>(p.size()));
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

TEST_F(PureFunctionsTest, SelectNextProtoMatchesOpenSsl) {
  auto shim = Shim("SSL_select_next_proto", &SSL_select_next_proto);
  std::vector<std::pair<std::vector<unsigned char>, std::vector<unsigned char>>> cases = {
      {Wire({"h2", "http/1.1"}), Wire({"http/1.1", "h2"})},
      {Wire({"spdy/3"}), Wire({"h2", "http/1.1"})},
      {Wire({"", "h2"}), Wire({"h2"})},
      {{}, Wire({"h2"})},
      {Wire({"h2"}), {}},
      {{5, 'h', '2'}, Wire({"h2"})},  // malformed server list
      {Wire({"h2"}), {9, 'h', '2'}},  // malformed client list
      {Wire({"a", "b", "c"}), Wire({"c", "b"})},
  };
  for (auto& [server, client] : cases) {
    unsigned char* real_out = nullptr;
    unsigned char real_len = 0;
    unsigned char* shim_out = nullptr;
    unsigned char shim_len = 0;
    int real = SSL_select_next_proto(&real_out, &real_len, server.data(),
                                     static_cast<unsigned>(server.size()), client.data(),
                                     static_cast<unsigned>(client.size()));
    int ours = shim(&shim_out, &shim_len, server.data(), static_cast<unsigned>(server.size()),
                    client.data(), static_cast<unsigned>(client.size()));
    EXPECT_EQ(ours, real);
    EXPECT_EQ(shim_out, real_out);
    EXPECT_EQ(shim_len, real_len);
  }
}

TEST_F(PureFunctionsTest, LoadClientCaFileGivesTheSameNames) {
  auto shim = Shim("SSL_load_client_CA_file", &SSL_load_client_CA_file);
  // Two certificates with the same subject and one with another: two distinct names.
  char path[] = "/tmp/sslshim-ca-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::string cmd = std::string("for cn in One One Two; do openssl req -x509 -newkey ec ") +
                    "-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=$cn " +
                    "-days 1 2>/dev/null; done > " + path;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  STACK_OF(X509_NAME)* real = SSL_load_client_CA_file(path);
  STACK_OF(X509_NAME)* ours = shim(path);
  ASSERT_NE(real, nullptr);
  ASSERT_NE(ours, nullptr);
  ASSERT_EQ(sk_X509_NAME_num(ours), sk_X509_NAME_num(real));
  EXPECT_EQ(sk_X509_NAME_num(ours), 2);
  for (int i = 0; i < sk_X509_NAME_num(real); i++) {
    EXPECT_EQ(X509_NAME_cmp(sk_X509_NAME_value(ours, i), sk_X509_NAME_value(real, i)), 0) << i;
  }
  sk_X509_NAME_pop_free(real, X509_NAME_free);
  sk_X509_NAME_pop_free(ours, X509_NAME_free);
  EXPECT_EQ(shim("/nonexistent/sslshim"), nullptr);
  std::remove(path);
}

}  // namespace
