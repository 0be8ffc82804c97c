// Early data and SSL_sendfile on the OpenSSL backend: the real libssl's own calls, through the
// RealLibssl table (its errors land on the program's queue itself).
#include <cerrno>
#include <climits>

#include "openssl_conn.h"
#include "openssl_ctx.h"
#include "openssl_session.h"

namespace sslshim::openssl_backend {

bool OpenSslCtx::SetMaxEarlyData(uint32_t max) {
  return real_.SSL_CTX_set_max_early_data(ctx_, max) == 1;
}
uint32_t OpenSslCtx::MaxEarlyData() const { return real_.SSL_CTX_get_max_early_data(ctx_); }
bool OpenSslCtx::SetRecvMaxEarlyData(uint32_t max) {
  return real_.SSL_CTX_set_recv_max_early_data(ctx_, max) == 1;
}
uint32_t OpenSslCtx::RecvMaxEarlyData() const {
  return real_.SSL_CTX_get_recv_max_early_data(ctx_);
}

bool OpenSslConn::SetMaxEarlyData(uint32_t max) {
  return real_.SSL_set_max_early_data(ssl_, max) == 1;
}
uint32_t OpenSslConn::MaxEarlyData() const { return real_.SSL_get_max_early_data(ssl_); }
bool OpenSslConn::SetRecvMaxEarlyData(uint32_t max) {
  return real_.SSL_set_recv_max_early_data(ssl_, max) == 1;
}
uint32_t OpenSslConn::RecvMaxEarlyData() const { return real_.SSL_get_recv_max_early_data(ssl_); }
int OpenSslConn::EarlyDataStatus() const { return real_.SSL_get_early_data_status(ssl_); }
// The real libssl's own answer: out of init, yet not finished.
bool OpenSslConn::InEarlyData() const {
  return real_.SSL_in_init(ssl_) == 0 && real_.SSL_is_init_finished(ssl_) == 0;
}

IoResult OpenSslConn::ReadEarlyData(void* buf, int num, int* status) {
  errno = 0;
  size_t readbytes = 0;
  *status = real_.SSL_read_early_data(ssl_, buf, static_cast<size_t>(num), &readbytes);
  if (*status == SSL_READ_EARLY_DATA_SUCCESS) {
    IoResult result;
    result.ret = static_cast<int>(readbytes);
    return result;
  }
  if (*status == SSL_READ_EARLY_DATA_FINISH) return IoResult{};
  return ResultOf(0, errno);
}

IoResult OpenSslConn::WriteEarlyData(const void* buf, int num) {
  errno = 0;
  size_t written = 0;
  if (real_.SSL_write_early_data(ssl_, buf, static_cast<size_t>(num), &written) == 1) {
    IoResult result;
    result.ret = static_cast<int>(written);
    return result;
  }
  return ResultOf(0, errno);
}

IoResult OpenSslConn::SendFile(int fd, int64_t offset, size_t size, int flags) {
  errno = 0;
  ossl_ssize_t sent = real_.SSL_sendfile(ssl_, fd, static_cast<off_t>(offset), size, flags);
  if (sent > 0) {
    IoResult result;
    result.ret = sent > INT_MAX ? INT_MAX : static_cast<int>(sent);
    return result;
  }
  return ResultOf(static_cast<int>(sent), errno);
}

uint32_t OpenSslSession::MaxEarlyData() const {
  return real_.SSL_SESSION_get_max_early_data(session_);
}

std::unique_ptr<BackendSession> OpenSslSession::WithMaxEarlyData(uint32_t max) const {
  // OpenSSL's sessions are mutable: the same session, changed, under a new reference.
  if (real_.SSL_SESSION_set_max_early_data(session_, max) != 1) return nullptr;
  return Share(real_, session_);
}

}  // namespace sslshim::openssl_backend
