#include "openssl_conn.h"

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include <cerrno>

namespace sslshim::openssl_backend {
namespace {

// The SSL ex_data slot that points back at the OpenSslConn owning the SSL. A CRYPTO ex index
// (libcrypto) shared by every real SSL in the process; allocated once.
int ConnExIndex() {
  static const int index =
      CRYPTO_get_ex_new_index(CRYPTO_EX_INDEX_SSL, 0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

}  // namespace

std::unique_ptr<OpenSslConn> OpenSslConn::Create(const RealLibssl& real, SSL_CTX* ctx,
                                                 ConnObserver* observer,
                                                 uint64_t ctx_options_from_core) {
  if (ConnExIndex() < 0) return nullptr;  // libcrypto has put the reason on the queue
  SSL* ssl = real.SSL_new(ctx);
  if (ssl == nullptr) return nullptr;
  std::unique_ptr<OpenSslConn> conn(new OpenSslConn(real, ssl, observer, ctx_options_from_core));
  if (real.SSL_set_ex_data(ssl, ConnExIndex(), conn.get()) != 1) return nullptr;
  // Moving-tolerant from the start: the core enforces SSL_write's retry rule itself.
  real.SSL_ctrl(ssl, SSL_CTRL_MODE, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, nullptr);
  return conn;
}

OpenSslConn::OpenSslConn(const RealLibssl& real, SSL* ssl, ConnObserver* observer,
                         uint64_t options_from_core)
    : real_(real), ssl_(ssl), observer_(observer), options_from_core_(options_from_core) {}

// SSL_free also frees the BIOs the SSL owns, as SetBio's contract says.
OpenSslConn::~OpenSslConn() { real_.SSL_free(ssl_); }

OpenSslConn* OpenSslConn::FromSsl(const RealLibssl& real, const SSL* ssl) {
  if (ssl == nullptr || ConnExIndex() < 0) return nullptr;
  return static_cast<OpenSslConn*>(real.SSL_get_ex_data(ssl, ConnExIndex()));
}

void OpenSslConn::SetConnectState() { real_.SSL_set_connect_state(ssl_); }
void OpenSslConn::SetAcceptState() { real_.SSL_set_accept_state(ssl_); }
bool OpenSslConn::IsServer() const { return real_.SSL_is_server(ssl_) == 1; }

// The program's BIOs come from the same libcrypto the real libssl uses: handed over as they are.
void OpenSslConn::SetBio(void* rbio, void* wbio) {
  real_.SSL_set_bio(ssl_, static_cast<BIO*>(rbio), static_cast<BIO*>(wbio));
}
void* OpenSslConn::rbio() const { return real_.SSL_get_rbio(ssl_); }
void* OpenSslConn::wbio() const { return real_.SSL_get_wbio(ssl_); }

IoResult OpenSslConn::ResultOf(int ret, int errno_after) const {
  IoResult result;
  result.ret = ret;
  result.ssl_error = real_.SSL_get_error(ssl_, ret);
  if (result.ssl_error == SSL_ERROR_SYSCALL) result.sys_errno = errno_after;
  return result;
}

// Each operation starts with errno = 0 so that SSL_ERROR_SYSCALL with errno 0 (an EOF that broke
// the protocol) is told apart from a stale errno of some earlier call.
IoResult OpenSslConn::Handshake() {
  errno = 0;
  int ret = real_.SSL_do_handshake(ssl_);
  return ResultOf(ret, errno);
}

IoResult OpenSslConn::Write(const void* buf, int num) {
  errno = 0;
  int ret = real_.SSL_write(ssl_, buf, num);
  return ResultOf(ret, errno);
}

IoResult OpenSslConn::Read(void* buf, int num, bool peek) {
  errno = 0;
  int ret = peek ? real_.SSL_peek(ssl_, buf, num) : real_.SSL_read(ssl_, buf, num);
  return ResultOf(ret, errno);
}

IoResult OpenSslConn::Shutdown() {
  errno = 0;
  int ret = real_.SSL_shutdown(ssl_);
  return ResultOf(ret, errno);
}

int OpenSslConn::Pending() const { return real_.SSL_pending(ssl_); }

bool OpenSslConn::HasPending() const { return real_.SSL_has_pending(ssl_) == 1; }

void OpenSslConn::SetReadAhead(bool on) { real_.SSL_set_read_ahead(ssl_, on ? 1 : 0); }
bool OpenSslConn::IsInitFinished() const { return real_.SSL_is_init_finished(ssl_) == 1; }
int OpenSslConn::GetShutdown() const { return real_.SSL_get_shutdown(ssl_); }
void OpenSslConn::SetShutdown(int mode) { real_.SSL_set_shutdown(ssl_, mode); }

// Both push OpenSSL's own reason (e.g. SSL_R_WRONG_SSL_VERSION) when they refuse.
bool OpenSslConn::Renegotiate() { return real_.SSL_renegotiate(ssl_) == 1; }
bool OpenSslConn::KeyUpdate(int type) { return real_.SSL_key_update(ssl_, type) == 1; }

// `openssl_mode` is the connection's whole mode word as the core keeps it. The real SSL gets
// exactly that, plus ACCEPT_MOVING_WRITE_BUFFER (the core checks SSL_write's retry arguments
// itself, above both backends, so neither may reject a moved buffer on its own). Bits the word
// lacks are cleared: that is what turns off AUTO_RETRY, which OpenSSL 3 sets by default.
void OpenSslConn::SetMode(long openssl_mode) {
  const long mode = openssl_mode | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
  real_.SSL_ctrl(ssl_, SSL_CTRL_CLEAR_MODE, ~mode, nullptr);
  real_.SSL_ctrl(ssl_, SSL_CTRL_MODE, mode, nullptr);
}

bool OpenSslConn::SetHostName(const char* name) {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                        const_cast<char*>(name)) == 1;
}

// The context's cert verify callback (installed by OpenSslCtx) does the verification; the mode only
// says whether a certificate is asked for and whether a failed verification ends the handshake.
void OpenSslConn::SetVerify(int mode) { real_.SSL_set_verify(ssl_, mode, nullptr); }

const char* OpenSslConn::Version() const { return real_.SSL_get_version(ssl_); }
int OpenSslConn::VersionNumber() const { return real_.SSL_version(ssl_); }

size_t OpenSslConn::Finished(void* out, size_t len) const {
  return real_.SSL_get_finished(ssl_, out, len);
}
size_t OpenSslConn::PeerFinished(void* out, size_t len) const {
  return real_.SSL_get_peer_finished(ssl_, out, len);
}

std::vector<uint8_t> OpenSslConn::PeerCertificateDer() const {
  std::vector<uint8_t> der;
  X509* peer = real_.SSL_get1_peer_certificate(ssl_);
  if (peer == nullptr) return der;
  const int len = i2d_X509(peer, nullptr);
  if (len > 0) {
    der.resize(static_cast<size_t>(len));
    unsigned char* p = der.data();
    if (i2d_X509(peer, &p) != len) der.clear();
  }
  X509_free(peer);
  return der;
}

// The real libssl pushes its errors onto the program's error queue itself (same libcrypto), in
// OpenSSL's numbering already: there is nothing to move, and the queue is left as it is.
void OpenSslConn::TakeErrors(std::vector<ErrorRecord>* /*out*/) {}

}  // namespace sslshim::openssl_backend
