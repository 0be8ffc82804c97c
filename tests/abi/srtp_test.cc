// DTLS-SRTP answers through the shim as through OpenSSL 3: the profile lists set on a context and
// a connection (SSL_CTX_set_tlsext_use_srtp, SSL_set_tlsext_use_srtp: 0 on success, OpenSSL's
// reasons for unknown, empty and repeated names, the old list kept on failure), read back as
// OpenSSL's SRTP_PROTECTION_PROFILE structs (SSL_get_srtp_profiles), and the profile a DTLS
// handshake with a real OpenSSL peer chooses (SSL_get_selected_srtp_profile), in both roles, with
// the "EXTRACTOR-dtls_srtp" keying material equal on both sides. This process links the real
// libssl; the shim's functions are the stand-in's beside it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                     \
  X(client_method, DTLS_client_method)            \
  X(server_method, DTLS_server_method)            \
  X(ctx_new, SSL_CTX_new)                         \
  X(ctx_free, SSL_CTX_free)                       \
  X(ctx_use_certificate, SSL_CTX_use_certificate) \
  X(ctx_use_key, SSL_CTX_use_PrivateKey)          \
  X(ssl_new, SSL_new)                             \
  X(ssl_free, SSL_free)                           \
  X(set_fd, SSL_set_fd)                           \
  X(set_connect_state, SSL_set_connect_state)     \
  X(set_accept_state, SSL_set_accept_state)       \
  X(do_handshake, SSL_do_handshake)               \
  X(get_error, SSL_get_error)                     \
  X(ctx_set_srtp, SSL_CTX_set_tlsext_use_srtp)    \
  X(set_srtp, SSL_set_tlsext_use_srtp)            \
  X(get_profiles, SSL_get_srtp_profiles)          \
  X(get_selected, SSL_get_selected_srtp_profile)  \
  X(export_keying_material, SSL_export_keying_material)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::Outcome;

std::string Profiles(const STACK_OF(SRTP_PROTECTION_PROFILE) * profiles) {
  if (profiles == nullptr) return "null";
  std::string out = std::to_string(sk_SRTP_PROTECTION_PROFILE_num(profiles)) + ":";
  for (int i = 0; i < sk_SRTP_PROTECTION_PROFILE_num(profiles); ++i) {
    const SRTP_PROTECTION_PROFILE* p = sk_SRTP_PROTECTION_PROFILE_value(profiles, i);
    out += std::string(" ") + p->name + "/" + std::to_string(p->id);
  }
  return out;
}

std::string SettersScript(const Api& api) {
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  SSL* ssl = api.ssl_new(ctx);
  log += "fresh: " + Profiles(api.get_profiles(ssl)) + "\n";
  for (const char* list : {"SRTP_AES128_CM_SHA1_80", "SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_32",
                           "", "bogus", "SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_80",
                           "SRTP_AES128_CM_SHA1_80:", ":SRTP_AES128_CM_SHA1_80",
                           "SRTP_AES128_F8_SHA1_80", "srtp_aes128_cm_sha1_80",
                           "SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_32:"
                           "SRTP_AES128_CM_SHA1_80"}) {
    log += std::string("ctx '") + list + "': " + Outcome(api.ctx_set_srtp(ctx, list)) + " -> " +
           Profiles(api.get_profiles(ssl)) + "\n";
  }
  // The SSL made before sees the context's list; its own replaces it.
  log += "ssl own: " + Outcome(api.set_srtp(ssl, "SRTP_AEAD_AES_128_GCM")) + " -> " +
         Profiles(api.get_profiles(ssl)) + "\n";
  log += "ssl bogus: " + Outcome(api.set_srtp(ssl, "SRTP_X")) + " -> " +
         Profiles(api.get_profiles(ssl)) + "\n";
  log += std::string("same stack twice: ") +
         (api.get_profiles(ssl) == api.get_profiles(ssl) ? "yes" : "no") + "\n";
  SSL* other = api.ssl_new(ctx);
  log += "another ssl: " + Profiles(api.get_profiles(other)) + "\n";
  log += std::string("selected before the handshake: ") +
         (api.get_selected(ssl) == nullptr ? "null" : "set") + "\n";
  api.ssl_free(other);
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(Srtp, ProfileListsAnswerAsOpenSsl) {
  const std::string native = SettersScript(RealApi());
  ASSERT_NE(native.find("ctx '': 1 20:364"), std::string::npos) << native;
  ASSERT_NE(native.find("SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_80': 1 20:353"),
            std::string::npos)
      << native;
  EXPECT_EQ(SettersScript(ShimApi()), native);
}

// --- A DTLS handshake with a real OpenSSL peer
// -----------------------------------------------------

// `program` (shim or native) in one role, the real libssl in the other, over a non-blocking
// datagram socketpair. Lists are "" for none; `program_ssl_list` is set on the program's SSL.
struct Scenario {
  std::string program_list, program_ssl_list, peer_list;
  bool program_is_client = true;
};

std::string Handshake(const Api& program, const Scenario& run) {
  const Api& real = RealApi();
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return "socketpair failed";
  for (int fd : fds) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  const sslshim::side_by_side::Identity& id = sslshim::side_by_side::ServerIdentity();
  const Api* apis[2] = {&program, &real};  // [0] the program, [1] the peer
  const bool is_client[2] = {run.program_is_client, !run.program_is_client};
  const std::string lists[2] = {run.program_list, run.peer_list};
  SSL_CTX* ctx[2];
  SSL* ssl[2];
  for (int i = 0; i < 2; ++i) {
    const Api& api = *apis[i];
    ctx[i] = api.ctx_new(is_client[i] ? api.client_method() : api.server_method());
    if (!is_client[i]) {
      api.ctx_use_certificate(ctx[i], id.cert);
      api.ctx_use_key(ctx[i], id.key);
    }
    if (!lists[i].empty()) api.ctx_set_srtp(ctx[i], lists[i].c_str());
    ssl[i] = api.ssl_new(ctx[i]);
    if (i == 0 && !run.program_ssl_list.empty()) api.set_srtp(ssl[i], run.program_ssl_list.c_str());
    api.set_fd(ssl[i], fds[i]);
    if (is_client[i]) {
      api.set_connect_state(ssl[i]);
    } else {
      api.set_accept_state(ssl[i]);
    }
  }
  bool done[2] = {false, false};
  std::string failure;
  for (int step = 0; step < 200 && !(done[0] && done[1]) && failure.empty(); ++step) {
    for (int i = 0; i < 2; ++i) {
      if (done[i]) continue;
      const int ret = apis[i]->do_handshake(ssl[i]);
      const int err = apis[i]->get_error(ssl[i], ret);
      if (ret == 1) {
        done[i] = true;
      } else if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
        failure = (i == 0 ? "program " : "peer ") + std::to_string(err) + " " + Outcome(ret);
      }
    }
  }
  std::string log;
  if (!failure.empty() || !done[0] || !done[1]) {
    log = "handshake failed: " + failure;
  } else {
    const SRTP_PROTECTION_PROFILE* selected[2];
    for (int i = 0; i < 2; ++i) selected[i] = apis[i]->get_selected(ssl[i]);
    log = std::string("program selected ") +
          (selected[0] != nullptr
               ? selected[0]->name + std::string("/") + std::to_string(selected[0]->id)
               : "none") +
          ", peer selected " + (selected[1] != nullptr ? selected[1]->name : "none");
    if (selected[0] != nullptr) {
      // OpenSSL's answer is an entry of the connection's own list, the same pointer each time.
      bool listed = false;
      const STACK_OF(SRTP_PROTECTION_PROFILE)* mine = apis[0]->get_profiles(ssl[0]);
      for (int i = 0; i < sk_SRTP_PROTECTION_PROFILE_num(mine); ++i) {
        listed |= sk_SRTP_PROTECTION_PROFILE_value(mine, i) == selected[0];
      }
      log += std::string(listed ? ", an entry of its list" : ", NOT an entry of its list") +
             (apis[0]->get_selected(ssl[0]) == selected[0] ? ", stable" : ", NOT stable");
      // RFC 5764 4.2: two keys and two salts; 16 + 14 bytes each for the AES-128 profiles.
      unsigned char keys[2][60];
      const char label[] = "EXTRACTOR-dtls_srtp";
      int exported[2];
      for (int i = 0; i < 2; ++i) {
        exported[i] = apis[i]->export_keying_material(ssl[i], keys[i], sizeof keys[i], label,
                                                      sizeof label - 1, nullptr, 0, 0);
      }
      log += ", export " + std::to_string(exported[0]) + "/" + std::to_string(exported[1]) +
             (std::string(reinterpret_cast<char*>(keys[0]), sizeof keys[0]) ==
                      std::string(reinterpret_cast<char*>(keys[1]), sizeof keys[1])
                  ? " equal"
                  : " DIFFERENT");
    }
  }
  ERR_clear_error();
  for (int i = 0; i < 2; ++i) {
    apis[i]->ssl_free(ssl[i]);
    apis[i]->ctx_free(ctx[i]);
    close(fds[i]);
  }
  return log;
}

const Scenario kScenarios[] = {
    // The server's preference wins, in both libraries.
    {"SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_32", "",
     "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM", true},
    {"SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM", "",
     "SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80", false},
    // The connection's own list replaces its context's.
    {"SRTP_AES128_CM_SHA1_32", "SRTP_AES128_CM_SHA1_80",
     "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80", true},
    {"SRTP_AES128_CM_SHA1_32", "SRTP_AES128_CM_SHA1_80",
     "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80", false},
    // Nothing in common, or one side without SRTP: the handshake goes on without a profile.
    {"SRTP_AES128_CM_SHA1_80", "", "SRTP_AEAD_AES_128_GCM", true},
    {"SRTP_AES128_CM_SHA1_80", "", "SRTP_AEAD_AES_128_GCM", false},
    {"", "", "SRTP_AES128_CM_SHA1_80", true},
    {"SRTP_AES128_CM_SHA1_80", "", "", false},
};

TEST(Srtp, HandshakeWithOpenSslChoosesAsNatively) {
  std::string native, shim;
  for (const Scenario& run : kScenarios) {
    const std::string what = std::string(run.program_is_client ? "client" : "server") + " [" +
                             run.program_list + "|" + run.program_ssl_list + "] vs [" +
                             run.peer_list + "]: ";
    native += what + Handshake(RealApi(), run) + "\n";
    shim += what + Handshake(ShimApi(), run) + "\n";
  }
  ASSERT_NE(native.find("program selected SRTP_AES128_CM_SHA1_32/2, peer selected "
                        "SRTP_AES128_CM_SHA1_32, an entry of its list, stable, export 1/1 equal"),
            std::string::npos)
      << native;
  EXPECT_EQ(shim, native);
}

}  // namespace
