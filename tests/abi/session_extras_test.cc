// A client's session after a handshake with a real OpenSSL server, through the shim as through
// OpenSSL 3: SSL_SESSION_get0_ticket (a ticket, stable pointer), SSL_SESSION_print_keylog (NSS's
// line, shown here by its shape: the bytes are the handshake's own), and SSL_SESSION_dup (a copy
// with the same ID and master secret that resumes), SSL_SESSION_get0_peer (the server's
// certificate, a stable object) and SSL_SESSION_get_max_fragment_length. TLS 1.2 and 1.3.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                     \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                        \
  X(read, SSL_read)                                               \
  X(get1_session, SSL_get1_session)                               \
  X(set_session, SSL_set_session)                                 \
  X(session_reused, SSL_session_reused)                           \
  X(session_free, SSL_SESSION_free)                               \
  X(get0_ticket, SSL_SESSION_get0_ticket)                         \
  X(print_keylog, SSL_SESSION_print_keylog)                       \
  X(dup, SSL_SESSION_dup)                                         \
  X(get_id, SSL_SESSION_get_id)                                   \
  X(get_master_key, SSL_SESSION_get_master_key)                   \
  X(get0_peer, SSL_SESSION_get0_peer)                             \
  X(get_max_fragment_length, SSL_SESSION_get_max_fragment_length) \
  X(f_ssl, BIO_f_ssl)                                             \
  X(bio_copy_session_id, BIO_ssl_copy_session_id)                 \
  X(get_session, SSL_get_session)                                 \
  X(get_ssl_ctx, SSL_get_SSL_CTX)                                 \
  X(session_new, SSL_SESSION_new)                                 \
  X(set1_id, SSL_SESSION_set1_id)                                 \
  X(set1_master_key, SSL_SESSION_set1_master_key)                 \
  X(get0_cipher, SSL_SESSION_get0_cipher)                         \
  X(set_cipher, SSL_SESSION_set_cipher)                           \
  X(get_protocol_version, SSL_SESSION_get_protocol_version)       \
  X(set_protocol_version, SSL_SESSION_set_protocol_version)       \
  X(i2d_session, i2d_SSL_SESSION)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

// "RSA Session-ID:<n> Master-Key:<m>\n" for a line of n and m upper-case hex digits; the line as
// it is when it is not of that form.
std::string Shape(const std::string& line) {
  static const std::string kId = "RSA Session-ID:", kKey = " Master-Key:";
  auto hex_run = [&](size_t from, size_t* end) {
    size_t i = from;
    while (i < line.size() && (std::isdigit(static_cast<unsigned char>(line[i])) ||
                               (line[i] >= 'A' && line[i] <= 'F'))) {
      i++;
    }
    *end = i;
    return i - from;
  };
  if (line.compare(0, kId.size(), kId) != 0) return line;
  size_t end = 0;
  const size_t id = hex_run(kId.size(), &end);
  if (line.compare(end, kKey.size(), kKey) != 0) return line;
  const size_t key = hex_run(end + kKey.size(), &end);
  if (line.substr(end) != "\n") return line;
  return "RSA Session-ID:<" + std::to_string(id) + "> Master-Key:<" + std::to_string(key) + ">\\n";
}

// The peer server's ticket keys, the same in every run, so a session from one resumes in another;
// and one TLS 1.3 suite, so the resumption secret has one length (BoringSSL's client offers
// AES-128-GCM first, OpenSSL's AES-256-GCM).
void FixTicketKeys(SSL_CTX* server) {
  SSL_CTX_set_ciphersuites(server, "TLS_AES_256_GCM_SHA384");
  unsigned char keys[80];
  for (size_t i = 0; i < sizeof keys; i++) keys[i] = static_cast<unsigned char>(i * 7 + 1);
  SSL_CTX_set_tlsext_ticket_keys(server, keys, sizeof keys);
}

std::string Script(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SSL_SESSION* kept = nullptr;
    std::string out = sslshim::side_by_side::RunAgainstPeer(
        api, RealApiOnce(), true, version, identity.key, identity.cert,
        [](SSL_CTX*, SSL_CTX* server) { FixTicketKeys(server); }, {},
        [&](SSL* ssl, SSL* peer) {
          // TLS 1.3 tickets come after the handshake: a read takes them.
          SSL_write(peer, "x", 1);
          char byte;
          api.read(ssl, &byte, 1);
          SSL_SESSION* session = api.get1_session(ssl);
          std::string answers;
          const unsigned char* ticket = nullptr;
          size_t len = 0;
          api.get0_ticket(session, &ticket, &len);
          const unsigned char* again = nullptr;
          size_t len_again = 0;
          api.get0_ticket(session, &again, &len_again);
          answers += std::string("ticket ") + (len > 0 && ticket != nullptr ? "yes" : "no") +
                     (again == ticket && len_again == len ? " stable" : " moved");
          BIO* mem = BIO_new(BIO_s_mem());
          const int printed = api.print_keylog(mem, session);
          char* text = nullptr;
          const long text_len = BIO_get_mem_data(mem, &text);
          answers += ", keylog " + std::to_string(printed) + " " +
                     Shape(std::string(text != nullptr ? text : "", static_cast<size_t>(text_len)));
          BIO_free(mem);
          SSL_SESSION* copy = api.dup(session);
          unsigned int id_len = 0, copy_id_len = 0;
          const unsigned char* id = api.get_id(session, &id_len);
          const unsigned char* copy_id = copy != nullptr ? api.get_id(copy, &copy_id_len) : nullptr;
          unsigned char key[64], copy_key[64];
          const size_t key_len = api.get_master_key(session, key, sizeof key);
          const size_t copy_key_len =
              copy != nullptr ? api.get_master_key(copy, copy_key, sizeof copy_key) : 0;
          answers += std::string(", dup ") + (copy != nullptr && copy != session ? "new" : "none") +
                     (copy_id_len == id_len &&
                              std::string(reinterpret_cast<const char*>(id), id_len) ==
                                  std::string(reinterpret_cast<const char*>(copy_id), copy_id_len)
                          ? " same id"
                          : " other id") +
                     (key_len == copy_key_len &&
                              std::string(reinterpret_cast<char*>(key), key_len) ==
                                  std::string(reinterpret_cast<char*>(copy_key), copy_key_len)
                          ? " same key"
                          : " other key");
          X509* peer_cert = api.get0_peer(session);
          char cn[64] = "-";
          if (peer_cert != nullptr) {
            X509_NAME_get_text_by_NID(X509_get_subject_name(peer_cert), NID_commonName, cn,
                                      sizeof cn);
          }
          answers += std::string(", peer ") + cn +
                     (api.get0_peer(session) == peer_cert ? " stable" : " moved") +
                     ", max_fragment_length " +
                     std::to_string(api.get_max_fragment_length(session));
          // BIO_ssl_copy_session_id between two SSL BIOs, and with a chain that has none.
          SSL* other = api.ssl_new(api.get_ssl_ctx(ssl));
          BIO* to = BIO_new(api.f_ssl());
          BIO_set_ssl(to, other, BIO_CLOSE);
          BIO* from = BIO_new(api.f_ssl());
          BIO_set_ssl(from, ssl, BIO_NOCLOSE);
          BIO* plain = BIO_new(BIO_s_mem());
          const int copied = api.bio_copy_session_id(to, from);
          const bool shared = api.get_session(other) == api.get_session(ssl);
          answers += ", bio copy " + std::to_string(copied) + (shared ? " shared" : " apart") +
                     ", without an SSL BIO " + std::to_string(api.bio_copy_session_id(plain, from));
          BIO_free(plain);
          BIO_free(from);
          BIO_free(to);
          api.session_free(session);
          kept = copy;
          return answers;
        });
    log += std::to_string(version) + ": " + out + "\n";
    // The copy resumes.
    std::string resumed = sslshim::side_by_side::RunAgainstPeer(
        api, RealApiOnce(), true, version, identity.key, identity.cert,
        [](SSL_CTX*, SSL_CTX* server) { FixTicketKeys(server); },
        [&](SSL* ssl) { api.set_session(ssl, kept); },
        [&](SSL* ssl, SSL*) { return "reused " + std::to_string(api.session_reused(ssl)); });
    log += std::to_string(version) + " with the copy: " + resumed + "\n";
    if (kept != nullptr) api.session_free(kept);
  }
  return log;
}

TEST(SessionExtras, TicketKeylogAndDupAsOpenSsl) {
  const std::string native = Script(RealApiOnce());
  ASSERT_NE(native.find("peer side-by-side.test stable, max_fragment_length 0, bio copy 1 shared, "
                        "without an SSL BIO 0"),
            std::string::npos)
      << native;
  ASSERT_NE(
      native.find("772: done / done ticket yes stable, keylog 1 RSA Session-ID:<64> Master-Key:<"),
      std::string::npos)
      << native;
  EXPECT_EQ(Script(ShimApi()), native);
}

}  // namespace

namespace {

// SSL_SESSION_set_protocol_version on a session the program builds: the version reads back.
// (OpenSSL stores any number; the BoringSSL backend takes only the versions it speaks.)
std::string ProtocolVersionScript(decltype(&SSL_SESSION_new) session_new,
                                  decltype(&SSL_SESSION_free) session_free,
                                  decltype(&SSL_SESSION_set_protocol_version) set,
                                  decltype(&SSL_SESSION_get_protocol_version) get) {
  std::string log;
  SSL_SESSION* session = session_new();
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION, TLS1_VERSION}) {
    const int ret = set(session, version);
    log += std::to_string(version) + ": " + std::to_string(ret) + " -> " +
           std::to_string(get(session)) + "\n";
  }
  session_free(session);
  return log;
}

TEST(SessionExtras, SetProtocolVersionAsOpenSsl) {
  using sslshim::side_by_side::Shim;
  const std::string native =
      ProtocolVersionScript(&SSL_SESSION_new, &SSL_SESSION_free, &SSL_SESSION_set_protocol_version,
                            &SSL_SESSION_get_protocol_version);
  ASSERT_EQ(native, "771: 1 -> 771\n772: 1 -> 772\n769: 1 -> 769\n");
  EXPECT_EQ(
      ProtocolVersionScript(
          Shim("SSL_SESSION_new", &SSL_SESSION_new), Shim("SSL_SESSION_free", &SSL_SESSION_free),
          Shim("SSL_SESSION_set_protocol_version", &SSL_SESSION_set_protocol_version),
          Shim("SSL_SESSION_get_protocol_version", &SSL_SESSION_get_protocol_version)),
      native);
}

}  // namespace

namespace {

std::string HostnameScript(decltype(&SSL_SESSION_new) session_new,
                           decltype(&SSL_SESSION_free) session_free,
                           decltype(&SSL_SESSION_set1_hostname) set,
                           decltype(&SSL_SESSION_get0_hostname) get) {
  SSL_SESSION* session = session_new();
  std::string log = std::string("fresh ") + (get(session) != nullptr ? get(session) : "(null)");
  for (const char* name : {"example.test", "", static_cast<const char*>(nullptr)}) {
    const int ret = set(session, name);
    const char* now = get(session);
    log += std::string(", set ") + (name != nullptr ? "'" + std::string(name) + "'" : "NULL") +
           ": " + std::to_string(ret) + " -> " +
           (now != nullptr ? "'" + std::string(now) + "'" : "(null)");
  }
  session_free(session);
  return log;
}

TEST(SessionExtras, SetHostnameAsOpenSsl) {
  using sslshim::side_by_side::Shim;
  const std::string native = HostnameScript(&SSL_SESSION_new, &SSL_SESSION_free,
                                            &SSL_SESSION_set1_hostname, &SSL_SESSION_get0_hostname);
  ASSERT_NE(native.find("set 'example.test': 1 -> 'example.test'"), std::string::npos) << native;
  EXPECT_EQ(HostnameScript(Shim("SSL_SESSION_new", &SSL_SESSION_new),
                           Shim("SSL_SESSION_free", &SSL_SESSION_free),
                           Shim("SSL_SESSION_set1_hostname", &SSL_SESSION_set1_hostname),
                           Shim("SSL_SESSION_get0_hostname", &SSL_SESSION_get0_hostname)),
            native);
}

}  // namespace

namespace {

// A TLS 1.2 session the program builds by hand (SSL_SESSION_new, _set1_id, _set_cipher,
// _set1_master_key, _set_protocol_version, in either order of suite and key, as openssl s_client
// and s_server build theirs), from the ID, suite and secret of a session a real OpenSSL server
// made: it reads back and resumes against that server, through the shim as through OpenSSL 3. A
// secret that did not reach the session would fail the resumed handshake's Finished.

using sslshim::side_by_side::Outcome;

// The real server's session from the first handshake, handed back to the next server by its
// session-ID lookup (each run has its own context, hence no shared cache).
SSL_SESSION* server_session = nullptr;

int KeepServerSession(SSL*, SSL_SESSION* session) {
  if (server_session != nullptr) SSL_SESSION_free(server_session);
  server_session = session;
  return 1;  // the reference is ours
}

SSL_SESSION* FindServerSession(SSL*, const unsigned char*, int, int* copy) {
  *copy = 1;
  return server_session;
}

// The server: session IDs only (no tickets), and no extended master secret, which a hand-built
// session cannot say it had.
void ConfigureServer(SSL_CTX* server) {
  SSL_CTX_set_options(server, SSL_OP_NO_TICKET | SSL_OP_NO_EXTENDED_MASTER_SECRET);
  SSL_CTX_sess_set_new_cb(server, KeepServerSession);
  SSL_CTX_sess_set_get_cb(server, FindServerSession);
  SSL_CTX_set_session_cache_mode(server, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
}

struct SessionParts {
  std::vector<unsigned char> id, key;
  const SSL_CIPHER* cipher = nullptr;
  int version = 0;
};

std::string BuiltSessionScript(const Api& api) {
  const auto& identity = sslshim::side_by_side::ServerIdentity();
  std::string log;
  SessionParts parts;
  log += "made:" + sslshim::side_by_side::RunAgainstPeer(
                       api, RealApiOnce(), true, TLS1_2_VERSION, identity.key, identity.cert,
                       [](SSL_CTX*, SSL_CTX* server) { ConfigureServer(server); }, {},
                       [&](SSL* ssl, SSL* peer) {
                         // Freed without a shutdown, OpenSSL's server would drop its session.
                         SSL_set_shutdown(peer, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
                         SSL_SESSION* session = api.get1_session(ssl);
                         unsigned int id_len = 0;
                         const unsigned char* id = api.get_id(session, &id_len);
                         parts.id.assign(id, id + id_len);
                         parts.key.resize(64);
                         parts.key.resize(api.get_master_key(session, parts.key.data(), 64));
                         parts.cipher = api.get0_cipher(session);
                         parts.version = api.get_protocol_version(session);
                         api.session_free(session);
                         return "id " + std::to_string(parts.id.size()) + " key " +
                                std::to_string(parts.key.size()) + " version " +
                                std::to_string(parts.version);
                       });
  // s_client's order, s_server's, and the version first (the suite and key then reach a session
  // that already has a version).
  for (const char* order : {"suite key version", "key suite version", "version suite key"}) {
    SSL_SESSION* built = api.session_new();
    log += std::string("\n") + order + ":";
    log += " id " +
           Outcome(api.set1_id(built, parts.id.data(), static_cast<unsigned int>(parts.id.size())));
    const unsigned char too_long[513] = {0};  // OpenSSL 3 holds up to 512
    log += " long key " + Outcome(api.set1_master_key(built, too_long, sizeof too_long));
    std::string steps = order;
    for (size_t at = 0; at < steps.size();) {
      const size_t end_of_step = std::min(steps.find(' ', at), steps.size());
      const std::string step = steps.substr(at, end_of_step - at);
      at = end_of_step + 1;
      long ret = step == "suite" ? api.set_cipher(built, parts.cipher)
                 : step == "key" ? api.set1_master_key(built, parts.key.data(), parts.key.size())
                                 : api.set_protocol_version(built, parts.version);
      log += " " + step + " " + Outcome(ret);
    }
    unsigned char key[64];
    const size_t key_len = api.get_master_key(built, key, sizeof key);
    log +=
        std::string(" reads ") +
        (std::vector<unsigned char>(key, key + key_len) == parts.key ? "the key" : "another key");
    const SSL_CIPHER* cipher = api.get0_cipher(built);
    log += std::string(" suite ") + (cipher == parts.cipher ? "the session's" : "another");
    log += std::string(" encodes ") + (api.i2d_session(built, nullptr) > 0 ? "yes" : "no");
    log += " resumed:" + sslshim::side_by_side::RunAgainstPeer(
                             api, RealApiOnce(), true, TLS1_2_VERSION, identity.key, identity.cert,
                             [](SSL_CTX*, SSL_CTX* server) { ConfigureServer(server); },
                             [&](SSL* ssl) { api.set_session(ssl, built); },
                             [&](SSL* ssl, SSL* peer) {
                               SSL_set_shutdown(peer, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
                               return "reused " + std::to_string(api.session_reused(ssl)) + "/" +
                                      std::to_string(SSL_session_reused(peer));
                             });
    api.session_free(built);
  }
  return log;
}

TEST(SessionBuilder, BuiltSessionResumesAsOpenSsl) {
  const std::string native = BuiltSessionScript(RealApiOnce());
  ASSERT_NE(native.find("made:done / done id 32 key 48 version 771"), std::string::npos) << native;
  ASSERT_NE(
      native.find(
          "key suite version: id 1 - long key 0 - key 1 - suite 1 - version 1 - reads the key"),
      std::string::npos)
      << native;
  // Every order resumes.
  size_t resumed = 0;
  for (size_t at = native.find("reused 1/1"); at != std::string::npos;
       at = native.find("reused 1/1", at + 1)) {
    resumed++;
  }
  ASSERT_EQ(resumed, 3u) << native;
  EXPECT_EQ(BuiltSessionScript(ShimApi()), native);
}

}  // namespace
