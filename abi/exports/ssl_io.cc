// The data path: SSL_write (the contract this library exists for) and its neighbours. Each is a
// handle check and a call into the semantics layer (shim/core/io.cc), nothing else.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <climits>

#include "core/errors.h"
#include "core/io.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

using sslshim::Ssl;

SSLSHIM_SSL_ENTRY(SSL_write, -1, buf, num) { return sslshim::WriteBytes(ssl, buf, num); }

SSLSHIM_SSL_ENTRY(SSL_write_ex, 0, buf, num, written) {
  // One call writes at most INT_MAX bytes, then reports how many, as with partial writes.
  return sslshim::WriteEx(ssl, buf, num, written);
}

SSLSHIM_SSL_ENTRY(SSL_read, -1, buf, num) { return sslshim::ReadBytes(ssl, buf, num, false); }

SSLSHIM_SSL_ENTRY(SSL_peek, -1, buf, num) { return sslshim::ReadBytes(ssl, buf, num, true); }

namespace {

int ReadEx(Ssl* ssl, void* buf, size_t num, size_t* readbytes, bool peek) {
  int ret = sslshim::ReadBytes(ssl, buf, num > INT_MAX ? INT_MAX : static_cast<int>(num), peek);
  if (readbytes != nullptr) *readbytes = ret > 0 ? static_cast<size_t>(ret) : 0;
  return ret > 0 ? 1 : 0;
}

}  // namespace

SSLSHIM_SSL_ENTRY(SSL_read_ex, 0, buf, num, readbytes) {
  return ReadEx(ssl, buf, num, readbytes, false);
}

SSLSHIM_SSL_ENTRY(SSL_peek_ex, 0, buf, num, readbytes) {
  return ReadEx(ssl, buf, num, readbytes, true);
}

SSLSHIM_SSL_ENTRY(SSL_do_handshake, -1) { return sslshim::Handshake(ssl); }

SSLSHIM_SSL_ENTRY(SSL_connect, -1) {
  if (ssl->role == Ssl::Role::kUnset) {  // as OpenSSL: SSL_connect sets the role itself
    ssl->role = Ssl::Role::kClient;
    ssl->conn()->SetConnectState();
  }
  return sslshim::Handshake(ssl);
}

SSLSHIM_SSL_ENTRY(SSL_accept, -1) {
  if (ssl->role == Ssl::Role::kUnset) {
    ssl->role = Ssl::Role::kServer;
    ssl->conn()->SetAcceptState();
  }
  return sslshim::Handshake(ssl);
}

SSLSHIM_SSL_ENTRY(SSL_shutdown, -1) { return sslshim::Shutdown(ssl); }

SSLSHIM_SSL_ENTRY(SSL_get_error, SSL_ERROR_SSL, ret_code) {
  return sslshim::GetError(ssl, ret_code);
}

// OpenSSL's rwstate: the transport wait of the last call that reached the transport, which a call
// refused before it (a negative length) leaves in place though its own SSL_get_error is
// SSL_ERROR_SSL (side-by-side); else what a callback asked the last call to wait for. (OpenSSL
// keeps a callback's wait across such a refusal too; the shim, which holds it in the last call's
// answer, does not.)
SSLSHIM_SSL_ENTRY(SSL_want, SSL_NOTHING) {
  switch (ssl->connection.transport_wait) {
    case SSL_ERROR_WANT_READ:
      return SSL_READING;
    case SSL_ERROR_WANT_WRITE:
      return SSL_WRITING;
    default:
      break;
  }
  switch (ssl->connection.last_error) {
    case SSL_ERROR_WANT_X509_LOOKUP:
      return SSL_X509_LOOKUP;
    case SSL_ERROR_WANT_CLIENT_HELLO_CB:
      return SSL_CLIENT_HELLO_CB;
    case SSL_ERROR_WANT_RETRY_VERIFY:
      return SSL_RETRY_VERIFY;
    case SSL_ERROR_WANT_ASYNC:
      return SSL_ASYNC_PAUSED;
    case SSL_ERROR_WANT_ASYNC_JOB:
      return SSL_ASYNC_NO_JOBS;
    default:
      return SSL_NOTHING;
  }
}

SSLSHIM_SSL_ENTRY(SSL_pending, 0) { return ssl->conn()->Pending(); }

SSLSHIM_SSL_ENTRY(SSL_has_pending, 0) { return ssl->conn()->HasPending() ? 1 : 0; }

SSLSHIM_SSL_ENTRY(SSL_get_shutdown, 0) { return ssl->conn()->GetShutdown(); }

SSLSHIM_SSL_ENTRY(SSL_set_shutdown, , mode) {
  ssl->conn()->SetShutdown(mode);
  ssl->connection.sent_shutdown = (ssl->conn()->GetShutdown() & SSL_SENT_SHUTDOWN) != 0;
}

SSLSHIM_SSL_ENTRY(SSL_is_init_finished, 0) { return ssl->conn()->IsInitFinished() ? 1 : 0; }

SSLSHIM_SSL_ENTRY(SSL_in_init, 0) {
  // A server reading early data is out of init in OpenSSL (its SSL_accept returned), though the
  // handshake is not finished (docs/design-notes.md, "Early data").
  return ssl->conn()->IsInitFinished() || ssl->conn()->InEarlyData() ? 0 : 1;
}

SSLSHIM_SSL_ENTRY(SSL_renegotiate, 0) {
  int ok = sslshim::FinishConnCall(ssl, ssl->conn()->Renegotiate(), 0, "SSL_renegotiate");
  if (ok == 1) ssl->connection.renegotiate_pending = true;
  return ok;
}

// OpenSSL's: true from a successful SSL_renegotiate until a handshake finishes (haproxy asks
// after every SSL_read that wants more data).
SSLSHIM_SSL_ENTRY(SSL_renegotiate_pending, 0) {
  return ssl->connection.renegotiate_pending ? 1 : 0;
}

SSLSHIM_SSL_ENTRY(SSL_key_update, 0, updatetype) { return sslshim::KeyUpdate(ssl, updatetype); }
