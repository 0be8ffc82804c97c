// TLS 1.3 early data (0-RTT) and SSL_sendfile: OpenSSL 3's API over the backend's early-data calls
// (shim/boringssl/conn_early_data.cc, or the real libssl's). docs/design-notes.md, "Early data".
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <climits>
#include <vector>

#include "core/errors.h"
#include "core/fail_closed.h"
#include "core/io.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

using sslshim::Ssl;

static_assert(sslshim::kEarlyDataNotSent == SSL_EARLY_DATA_NOT_SENT);
static_assert(sslshim::kEarlyDataRejected == SSL_EARLY_DATA_REJECTED);
static_assert(sslshim::kEarlyDataAccepted == SSL_EARLY_DATA_ACCEPTED);
static_assert(sslshim::kReadEarlyDataError == SSL_READ_EARLY_DATA_ERROR);
static_assert(sslshim::kReadEarlyDataSuccess == SSL_READ_EARLY_DATA_SUCCESS);
static_assert(sslshim::kReadEarlyDataFinish == SSL_READ_EARLY_DATA_FINISH);

namespace {

// A backend call that failed without saying why: a backend without early data.
void ReportIfSilent(Ssl* ssl, const char* func) {
  if (ERR_peek_error() != 0) return;
  sslshim::PushError(ERR_LIB_SSL, ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, func,
                     "sslshim: early data is not offered by this backend");
  ssl->connection.last_error = SSL_ERROR_SSL;
}

// OpenSSL's SSL_read_early_data / SSL_write_early_data set up the handshake themselves (they call
// SSL_accept / SSL_connect), which need BIOs.
bool ReadyForHandshake(Ssl* ssl, Ssl::Role role, const char* func) {
  if (sslshim::RefuseReentry(ssl, func)) return false;
  if (ssl->role == Ssl::Role::kUnset) {
    ssl->role = role;
    if (role == Ssl::Role::kServer) {
      ssl->conn()->SetAcceptState();
    } else {
      ssl->conn()->SetConnectState();
    }
  }
  if (!ssl->has_bios()) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_BIO_NOT_SET, func);
    ssl->connection.last_error = SSL_ERROR_SSL;
    return false;
  }
  if (!sslshim::SettingsAllowHandshake(ssl, func) ||  // core/fail_closed.h
      !sslshim::ConsultSecurityCallback(ssl, func)) {
    ssl->connection.failure.EndByProtocol();
    return false;
  }
  return true;
}

}  // namespace

// --- Limits -------------------------------------------------------------------------------------

SSLSHIM_CTX_ENTRY(SSL_CTX_set_max_early_data, 0, max_early_data) {
  if (!ctx->backend()->SetMaxEarlyData(max_early_data)) {
    return sslshim::FinishCtxCall(ctx, false, SSL_R_UNSUPPORTED_PROTOCOL,
                                  "SSL_CTX_set_max_early_data");
  }
  return 1;
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_max_early_data, 0) { return ctx->backend()->MaxEarlyData(); }

SSLSHIM_CTX_ENTRY(SSL_CTX_set_recv_max_early_data, 0, recv_max_early_data) {
  return sslshim::FinishCtxCall(ctx, ctx->backend()->SetRecvMaxEarlyData(recv_max_early_data),
                                SSL_R_UNSUPPORTED_PROTOCOL, "SSL_CTX_set_recv_max_early_data");
}

SSLSHIM_CTX_ENTRY(SSL_CTX_get_recv_max_early_data, 0) { return ctx->backend()->RecvMaxEarlyData(); }

SSLSHIM_SSL_ENTRY(SSL_set_max_early_data, 0, max_early_data) {
  return sslshim::FinishConnCall(ssl, ssl->conn()->SetMaxEarlyData(max_early_data),
                                 SSL_R_UNSUPPORTED_PROTOCOL, "SSL_set_max_early_data");
}

SSLSHIM_SSL_ENTRY(SSL_get_max_early_data, 0) { return ssl->conn()->MaxEarlyData(); }

SSLSHIM_SSL_ENTRY(SSL_set_recv_max_early_data, 0, recv_max_early_data) {
  return sslshim::FinishConnCall(ssl, ssl->conn()->SetRecvMaxEarlyData(recv_max_early_data),
                                 SSL_R_UNSUPPORTED_PROTOCOL, "SSL_set_recv_max_early_data");
}

SSLSHIM_SSL_ENTRY(SSL_get_recv_max_early_data, 0) { return ssl->conn()->RecvMaxEarlyData(); }

SSLSHIM_SESSION_ENTRY(SSL_SESSION_get_max_early_data, 0) {
  return session->backend->MaxEarlyData();
}

SSLSHIM_SESSION_ENTRY(SSL_SESSION_set_max_early_data, 0, max_early_data) {
  // The backend's session may be immutable (BoringSSL's): the handle gets a copy with the limit.
  std::unique_ptr<sslshim::BackendSession> copy =
      session->backend->WithMaxEarlyData(max_early_data);
  if (copy == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR, "SSL_SESSION_set_max_early_data");
    return 0;
  }
  session->backend = std::move(copy);
  return 1;
}

SSLSHIM_SSL_ENTRY(SSL_get_early_data_status, SSL_EARLY_DATA_NOT_SENT) {
  return ssl->conn()->EarlyDataStatus();
}

// --- Reading and writing ------------------------------------------------------------------------

SSLSHIM_SSL_ENTRY(SSL_read_early_data, SSL_READ_EARLY_DATA_ERROR, buf, num, readbytes) {
  static constexpr char kFunc[] = "SSL_read_early_data";
  if (!ssl->conn()->IsServer()) {  // OpenSSL's first check
    sslshim::PushError(ERR_LIB_SSL, ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, kFunc);
    ssl->connection.last_error = SSL_ERROR_SSL;
    return SSL_READ_EARLY_DATA_ERROR;
  }
  if (!ReadyForHandshake(ssl, Ssl::Role::kServer, kFunc)) return SSL_READ_EARLY_DATA_ERROR;
  int status = SSL_READ_EARLY_DATA_ERROR;
  sslshim::BackendCallScope scope(ssl);
  sslshim::IoResult r =
      ssl->conn()->ReadEarlyData(buf, num > INT_MAX ? INT_MAX : static_cast<int>(num), &status);
  if (status == SSL_READ_EARLY_DATA_SUCCESS) {
    ssl->Finish(r);
    if (readbytes != nullptr) *readbytes = static_cast<size_t>(r.ret);
    return status;
  }
  if (readbytes != nullptr) *readbytes = 0;
  if (status == SSL_READ_EARLY_DATA_FINISH) {
    ssl->connection.last_error = SSL_ERROR_NONE;
    return status;
  }
  if (r.ret > 0) r.ret = 0;  // an error status always reads as a failure
  ssl->Finish(r);
  if (r.ssl_error == SSL_ERROR_SSL) ReportIfSilent(ssl, kFunc);
  return SSL_READ_EARLY_DATA_ERROR;
}

SSLSHIM_SSL_ENTRY(SSL_write_early_data, 0, buf, num, written) {
  static constexpr char kFunc[] = "SSL_write_early_data";
  if (!ReadyForHandshake(ssl, ssl->conn()->IsServer() ? Ssl::Role::kServer : Ssl::Role::kClient,
                         kFunc)) {
    return 0;
  }
  sslshim::BackendCallScope scope(ssl);
  sslshim::IoResult r =
      ssl->conn()->WriteEarlyData(buf, num > INT_MAX ? INT_MAX : static_cast<int>(num));
  if (r.ret > 0) {
    ssl->Finish(r);
    if (written != nullptr) *written = static_cast<size_t>(r.ret);
    return 1;
  }
  ssl->Finish(r);
  if (r.ssl_error == SSL_ERROR_SSL) ReportIfSilent(ssl, kFunc);
  return 0;
}

// OpenSSL 3 sends a file only over kernel TLS on the write BIO, and fails otherwise. The shim's
// connections on BoringSSL never have it (nginx checks BIO_get_ktls_send first and does not call
// this); the OpenSSL backend hands the call to the real libssl.
SSLSHIM_SSL_ENTRY(SSL_sendfile, -1, fd, offset, size, flags) {
  static constexpr char kFunc[] = "SSL_sendfile";
  // OpenSSL's checks, in its order.
  if (ssl->role == Ssl::Role::kUnset) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_UNINITIALIZED, kFunc);
    ssl->connection.last_error = SSL_ERROR_SSL;
    return -1;
  }
  if (ssl->connection.sent_shutdown) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_PROTOCOL_IS_SHUTDOWN, kFunc);
    ssl->connection.last_error = SSL_ERROR_NONE;  // OpenSSL sets rwstate SSL_NOTHING
    ssl->connection.transport_wait = SSL_ERROR_NONE;
    return -1;
  }
  sslshim::IoResult r = ssl->conn()->SendFile(fd, offset, size, flags);
  ssl->Finish(r);
  if (r.ret < 0 && r.ssl_error == SSL_ERROR_SSL && ERR_peek_error() == 0) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_UNINITIALIZED, kFunc);  // no kernel TLS
  }
  return r.ret;
}
