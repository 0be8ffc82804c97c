#include "openssl_test_support.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace sslshim::openssl_test {
namespace {

Der CertDer(X509* cert) {
  Der der(static_cast<size_t>(i2d_X509(cert, nullptr)));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

Der KeyPkcs8Der(EVP_PKEY* key) {
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(key);
  Der der(static_cast<size_t>(i2d_PKCS8_PRIV_KEY_INFO(p8, nullptr)));
  unsigned char* p = der.data();
  i2d_PKCS8_PRIV_KEY_INFO(p8, &p);
  PKCS8_PRIV_KEY_INFO_free(p8);
  return der;
}

}  // namespace

// ---- Test certificates, made with libcrypto ------------------------------------------------

KeyAndCert MakeKeyAndCert(const char* common_name, const KeyAndCert* issuer, bool is_ca) {
  KeyAndCert out;
  out.key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  out.cert = X509_new();
  X509_set_version(out.cert, X509_VERSION_3);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(out.cert), serial++);
  X509_gmtime_adj(X509_getm_notBefore(out.cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(out.cert), 3600);
  X509_NAME* name = X509_get_subject_name(out.cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(
      out.cert, issuer ? X509_get_subject_name(issuer->cert) : X509_get_subject_name(out.cert));
  X509_set_pubkey(out.cert, out.key);
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints,
                                           is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  X509_add_ext(out.cert, bc, -1);
  X509_EXTENSION_free(bc);
  X509_sign(out.cert, issuer ? issuer->key : out.key, EVP_sha256());
  out.cert_der = CertDer(out.cert);
  out.key_pkcs8 = KeyPkcs8Der(out.key);
  return out;
}

const TestPki& Pki() {
  static const TestPki* pki = new TestPki;  // lives for the process; libcrypto objects
  return *pki;
}

Der SubjectDer(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  Der der(static_cast<size_t>(i2d_X509_NAME(name, nullptr)));
  unsigned char* p = der.data();
  i2d_X509_NAME(name, &p);
  return der;
}

Backend& OpenSsl() {
  static Backend* backend = [] {
    std::string why;
    std::unique_ptr<Backend> made = MakeOpenSslBackend(&why);
    EXPECT_NE(made, nullptr) << why;
    return made.release();
  }();
  return *backend;
}

// ---- The core's side of a connection --------------------------------------------------------

void RecordingObserver::OnInfo(int where, int /*ret*/) { info_where.push_back(where); }

VerifyOutcome RecordingObserver::VerifyPeer(const Chain& chain_der) {
  chains.push_back(chain_der);
  return outcome;
}

void RecordingObserver::OnKeyLog(const char* line) { keylog_lines.emplace_back(line); }

void RecordingObserver::OnMessage(int write_p, int version, int content_type, const void* buf,
                                  size_t len) {
  const auto* bytes = static_cast<const uint8_t*>(buf);
  messages.push_back({write_p, version, content_type, Der(bytes, bytes + len)});
}

bool RecordingObserver::OnNewSession(std::unique_ptr<BackendSession> session) {
  ++new_session_calls;
  if (!keep_sessions) return false;  // `session` is dropped here, as the core would
  sessions.push_back(std::move(session));
  return true;
}

int RecordingObserver::SelectAlpn(const uint8_t* in, size_t inlen, const uint8_t** out,
                                  uint8_t* outlen) {
  alpn_offers.emplace_back(in, in + inlen);
  if (!select_alpn) return SSL_TLSEXT_ERR_NOACK;
  return select_alpn(in, inlen, out, outlen);
}

int RecordingObserver::OnServerName(int* alert) {
  ++server_name_calls;
  return server_name ? server_name(alert) : SSL_TLSEXT_ERR_OK;
}

int RecordingObserver::OnCertificateNeeded() {
  ++cert_calls;
  if (cert_answers.empty()) return 1;
  const int answer = cert_answers.front();
  cert_answers.pop_front();
  return answer;
}

int RecordingObserver::AdvertiseNextProtos(const uint8_t** out, unsigned* outlen) {
  if (npn_advertised.empty()) return SSL_TLSEXT_ERR_NOACK;
  *out = npn_advertised.data();
  *outlen = static_cast<unsigned>(npn_advertised.size());
  return SSL_TLSEXT_ERR_OK;
}

int RecordingObserver::SelectNextProto(uint8_t** out, uint8_t* outlen, const uint8_t* in,
                                       unsigned inlen) {
  npn_offers.emplace_back(in, in + inlen);
  if (npn_choice.empty()) return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = npn_choice.data();
  *outlen = static_cast<uint8_t>(npn_choice.size());
  return SSL_TLSEXT_ERR_OK;
}

bool RecordingObserver::SawInfo(int bits) const {
  for (int where : info_where) {
    if ((where & bits) == bits) return true;
  }
  return false;
}

size_t RecordingObserver::KeyLogLinesWith(const std::string& label) const {
  size_t count = 0;
  for (const std::string& line : keylog_lines) {
    if (line.compare(0, label.size() + 1, label + " ") == 0) ++count;
  }
  return count;
}

bool IsWant(const IoResult& r) {
  return r.ssl_error == SSL_ERROR_WANT_READ || r.ssl_error == SSL_ERROR_WANT_WRITE;
}

std::vector<unsigned long> DrainErrors() {
  std::vector<unsigned long> errors;
  while (unsigned long e = ERR_get_error()) errors.push_back(e);
  return errors;
}

bool HasSslError(const std::vector<unsigned long>& errors, int reason) {
  for (unsigned long e : errors) {
    if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == reason) return true;
  }
  return false;
}

// ---- Link -----------------------------------------------------------------------------------

Link::Link(int version) {
  server_ctx = OpenSsl().NewCtx({Endpoint::kServer, version, version}, nullptr);
  client_ctx = OpenSsl().NewCtx({Endpoint::kClient, version, version}, nullptr);
  EXPECT_NE(server_ctx, nullptr);
  EXPECT_NE(client_ctx, nullptr);
  EXPECT_TRUE(server_ctx->UseCertificateChain({Pki().server.cert_der, Pki().ca.cert_der}));
  EXPECT_TRUE(server_ctx->UsePrivateKey(Pki().server.key_pkcs8));
  client_ctx->SetVerify(SSL_VERIFY_PEER);
}

Link::~Link() { Disconnect(); }

void Link::Disconnect() {
  client.reset();
  server.reset();
  for (int& fd : fds) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

void Link::Connect() {
  Disconnect();
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  for (int fd : fds) ASSERT_EQ(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
  client = client_ctx->NewConn(&client_observer);
  server = server_ctx->NewConn(&server_observer);
  ASSERT_NE(client, nullptr);
  ASSERT_NE(server, nullptr);
  client->SetConnectState();
  server->SetAcceptState();
  client_bio = BIO_new_socket(fds[0], BIO_NOCLOSE);
  server_bio = BIO_new_socket(fds[1], BIO_NOCLOSE);
  client->SetBio(client_bio, client_bio);
  server->SetBio(server_bio, server_bio);
}

bool Link::Handshake() {
  for (int i = 0; i < 200; ++i) {
    client_result = client->Handshake();
    if (client_result.ret != 1 && !IsWant(client_result)) return false;
    server_result = server->Handshake();
    if (server_result.ret != 1 && !IsWant(server_result)) return false;
    if (client_result.ret == 1 && server_result.ret == 1) return true;
  }
  return false;
}

void Link::ClientReadsPending() {
  uint8_t byte;
  for (int i = 0; i < 10; ++i) {
    IoResult r = client->Read(&byte, 1, false);
    if (r.ret <= 0 && r.ssl_error == SSL_ERROR_WANT_READ) return;
    ADD_FAILURE() << "unexpected read result " << r.ret << " error " << r.ssl_error;
    return;
  }
}

// ---- Data -----------------------------------------------------------------------------------

Transfer Send(BackendConn* writer, BackendConn* reader, const Der& data, bool move_buffer) {
  Transfer t;
  const Der copies[2] = {data, data};
  int which = 0;
  bool written = false;
  Der chunk(16384);
  for (int i = 0; i < 100000 && (!written || t.received.size() < data.size()); ++i) {
    if (!written) {
      IoResult w = writer->Write(copies[which].data(), static_cast<int>(data.size()));
      if (w.ret == static_cast<int>(data.size())) {
        written = true;
      } else if (w.ret <= 0 && IsWant(w)) {
        ++t.write_retries;
        if (move_buffer) which ^= 1;
      } else {
        t.failed = true;
        t.failure = w;
        return t;
      }
    }
    IoResult r = reader->Read(chunk.data(), static_cast<int>(chunk.size()), false);
    if (r.ret > 0) {
      t.received.insert(t.received.end(), chunk.begin(), chunk.begin() + r.ret);
    } else if (r.ssl_error != SSL_ERROR_WANT_READ) {
      t.failed = true;
      t.failure = r;
      return t;
    }
  }
  return t;
}

Der Pattern(size_t size) {
  Der data(size);
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<uint8_t>((i * 131 + i / 7) & 0xff);
  return data;
}

}  // namespace sslshim::openssl_test
