// TLS 1.3 early data (0-RTT) on BoringSSL with OpenSSL 3's API and semantics
// (SSL_read_early_data(3)), and SSL_sendfile. docs/design-notes.md, "Early data", says what
// differs.
//
// OpenSSL's server sees early data only through SSL_read_early_data, which ends with
// SSL_READ_EARLY_DATA_FINISH at EndOfEarlyData and never hands out 1-RTT data; BoringSSL's SSL_read
// goes on through EndOfEarlyData and the client's Finished into 1-RTT data. BoringSSL reads one
// record at a time from the BIO, so the boundary is kept by the read bridge: once the message
// callback has seen EndOfEarlyData during SSL_read_early_data, the bridge reports "retry read"
// without touching the program's BIO, BoringSSL stops at WANT_READ, and the shim answers FINISH.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "boringssl/conn.h"
#include "boringssl/error_translation.h"
#include "boringssl/hello_messages.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

int SslErrorSsl() { return static_cast<int>(openssl3::kSSL_ERROR_SSL); }
int SslErrorWantRead() { return static_cast<int>(openssl3::kSSL_ERROR_WANT_READ); }

// Whether a ClientHello (as sent: type, 24-bit length, body) carries the early_data extension
// (TLS 1.3's: never a DTLS one).
bool ClientHelloOffersEarlyData(const uint8_t* msg, size_t len) {
  CBS cbs, body, extensions;
  CBS_init(&cbs, msg, len);
  uint8_t type;
  if (!CBS_get_u8(&cbs, &type) || !CBS_get_u24_length_prefixed(&cbs, &body) ||
      !ClientHelloExtensions(body, /*datagram=*/false, &extensions)) {
    return false;
  }
  CBS early_data;
  return FindExtension(extensions, TLSEXT_TYPE_early_data, &early_data);
}

}  // namespace

// --- Settings -----------------------------------------------------------------------------------

bool BoringSslConn::SetMaxEarlyData(uint32_t max) {
  max_early_data_ = max;
  ApplyEarlyDataEnabled();
  return true;
}

bool BoringSslConn::SetRecvMaxEarlyData(uint32_t max) {
  recv_max_early_data_ = max;
  return true;
}

void BoringSslConn::ApplyEarlyDataEnabled() {
  bool enabled;
  if (server_) {
    // OpenSSL's server accepts early data only inside SSL_read_early_data, but its tickets allow
    // early data whenever max_early_data > 0: BoringSSL's one switch serves both, so it is off
    // while BoringSSL decides on the ClientHello (unless SSL_read_early_data runs) and on again
    // after the ServerHello, for the tickets.
    enabled =
        max_early_data_ > 0 && (early_state_ == EarlyState::kServerAccepting || server_hello_sent_);
  } else {
    // OpenSSL's client offers early data only for SSL_write_early_data.
    enabled =
        early_state_ == EarlyState::kClientConnecting || early_state_ == EarlyState::kClientWriting;
  }
  SSL_set_early_data_enabled(ssl_.get(), enabled ? 1 : 0);
}

void BoringSslConn::ObserveEarlyDataMessage(int is_write, const uint8_t* msg, size_t len) {
  if (!server_ || len < 4) return;
  if (!is_write && msg[0] == SSL3_MT_CLIENT_HELLO) {
    client_hello_offered_early_data_ |= ClientHelloOffersEarlyData(msg, len);
  } else if (is_write && msg[0] == SSL3_MT_SERVER_HELLO && !server_hello_sent_ &&
             !IsHelloRetryRequest(msg, len)) {
    server_hello_sent_ = true;
    ApplyEarlyDataEnabled();
  } else if (!is_write && msg[0] == SSL3_MT_END_OF_EARLY_DATA) {
    end_of_early_data_seen_ = true;
    if (in_early_read_) hold_reads_ = true;
  }
}

int BoringSslConn::EarlyDataStatus() const {
  if (SSL_early_data_accepted(ssl_.get())) return kEarlyDataAccepted;
  bool offered = server_ ? client_hello_offered_early_data_ : early_data_rejected_;
  return offered ? kEarlyDataRejected : kEarlyDataNotSent;
}

bool BoringSslConn::InEarlyData() const {
  return server_ && SSL_in_early_data(ssl_.get()) && !end_of_early_data_seen_;
}

IoResult BoringSslConn::FailEarlyDataCall(int reason) {
  errors_.push_back(MakeSslErrorRecord(reason, ""));
  IoResult result;
  result.ret = -1;
  result.ssl_error = SslErrorSsl();
  return result;
}

// --- Single-use tickets (ticket_anti_replay.h) ---------------------------------------------------

bool BoringSslConn::IssuesSingleUseTickets(const SSL* ssl) {
  // OpenSSL's rule (tls_construct_new_session_ticket, tls_parse_ctos_psk): stateful tickets while
  // the connection's max_early_data is above 0 and SSL_OP_NO_ANTI_REPLAY is off; TLS 1.3 only.
  const BoringSslConn* conn = FromSsl(ssl);
  return conn != nullptr && conn->server_ && IsTls13(ssl) && conn->max_early_data_ > 0 &&
         !conn->no_anti_replay_;
}

SSL_CTX* BoringSslConn::SessionCtxOf(const SSL* ssl) {
  const BoringSslConn* conn = FromSsl(ssl);
  return conn != nullptr ? conn->session_ctx_ : SSL_get_SSL_CTX(ssl);
}

// --- Server: SSL_read_early_data ----------------------------------------------------------------

IoResult BoringSslConn::ReadEarlyData(void* buf, int num, int* status) {
  const int kShouldNotHaveBeenCalled =
      static_cast<int>(openssl3::kERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
  *status = kReadEarlyDataError;
  IoResult finish;  // ret 0, SSL_ERROR_NONE
  if (!server_) return FailEarlyDataCall(kShouldNotHaveBeenCalled);
  if (early_state_ == EarlyState::kNone) {
    if (HandshakeStarted()) return FailEarlyDataCall(kShouldNotHaveBeenCalled);
    early_state_ = EarlyState::kServerAccepting;
    ApplyEarlyDataEnabled();
  }
  if (early_state_ == EarlyState::kServerAccepting) {
    IoResult r = Handshake();
    bool accepted = SSL_early_data_accepted(ssl_.get()) != 0;
    if (r.ret <= 0) {
      // OpenSSL's SSL_accept returns once its flight is out when early data is not accepted; the
      // handshake finishes in a later call. BoringSSL waits on for the client's Finished.
      bool flight_out = server_hello_sent_ && IsTls13(ssl_.get());
      if (r.ssl_error != SslErrorWantRead() || !flight_out || accepted) return r;
    }
    if (!accepted) {
      early_state_ = EarlyState::kServerFinished;
      *status = kReadEarlyDataFinish;
      return finish;
    }
    early_state_ = EarlyState::kServerReading;
  }
  if (early_state_ != EarlyState::kServerReading) {
    return FailEarlyDataCall(kShouldNotHaveBeenCalled);
  }
  if (!end_of_early_data_seen_) {
    in_early_read_ = true;
    IoResult r = Read(buf, num, false);
    in_early_read_ = false;
    hold_reads_ = false;
    if (r.ret > 0) {
      *status = kReadEarlyDataSuccess;
      return r;
    }
    // Only the stop at the held read means FINISH; any other failure is the program's to see.
    if (!end_of_early_data_seen_ || r.ssl_error != SslErrorWantRead()) return r;
  }
  // EndOfEarlyData was read (BoringSSL stopped at the held read after it): FINISH, and the
  // WANT_READ that stop left is no error of the program's.
  std::vector<ErrorRecord> dropped;
  TakeErrors(&dropped);
  early_state_ = EarlyState::kServerFinished;
  *status = kReadEarlyDataFinish;
  return finish;
}

// --- SSL_write_early_data -----------------------------------------------------------------------

IoResult BoringSslConn::WriteEarlyData(const void* buf, int num) {
  const int kShouldNotHaveBeenCalled =
      static_cast<int>(openssl3::kERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
  if (server_) {
    // Half-RTT data: the server writes to a client not yet authenticated, after early data.
    if (early_state_ != EarlyState::kServerReading && early_state_ != EarlyState::kServerFinished) {
      return FailEarlyDataCall(kShouldNotHaveBeenCalled);
    }
    return WriteAsIs(buf, num);
  }
  if (early_state_ == EarlyState::kNone) {
    SSL_SESSION* session = SSL_get_session(ssl_.get());
    if (HandshakeStarted() || session == nullptr || !SSL_SESSION_early_data_capable(session)) {
      return FailEarlyDataCall(kShouldNotHaveBeenCalled);
    }
    early_state_ = EarlyState::kClientConnecting;
    ApplyEarlyDataEnabled();
  }
  if (early_state_ == EarlyState::kClientConnecting) {
    IoResult r = Handshake();
    if (r.ret <= 0) return r;
    early_state_ = EarlyState::kClientWriting;
  }
  if (early_state_ != EarlyState::kClientWriting) {
    return FailEarlyDataCall(kShouldNotHaveBeenCalled);
  }
  // As OpenSSL: all of it or nothing (no partial writes of early data).
  uint32_t partial = SSL_get_mode(ssl_.get()) & SSL_MODE_ENABLE_PARTIAL_WRITE;
  SSL_clear_mode(ssl_.get(), SSL_MODE_ENABLE_PARTIAL_WRITE);
  IoResult r = WriteAsIs(buf, num);
  SSL_set_mode(ssl_.get(), partial);
  return r;
}

IoResult BoringSslConn::FinishEarlyDataBeforeWrite() {
  IoResult done;
  done.ret = 1;
  if (server_) {
    // OpenSSL: once SSL_read_early_data has said FINISH, a plain SSL_write completes the handshake
    // first (it waits for the client's Finished); BoringSSL would write at once, as half-RTT
    // data. nginx relies on OpenSSL's order: it answers a request made in early data with
    // SSL_write, then reads SSL_in_init to decide whether to send close_notify.
    if (early_state_ == EarlyState::kServerFinished && SSL_in_init(ssl_.get())) return Handshake();
    return done;
  }
  if (early_state_ != EarlyState::kClientWriting || !SSL_in_early_data(ssl_.get())) return done;
  // OpenSSL: a plain SSL_write after SSL_write_early_data completes the handshake first, and no
  // more early data may be written. BoringSSL would send the bytes as early data.
  early_state_ = EarlyState::kClientFinished;
  return Handshake();
}

bool BoringSslConn::ServerHandshakeAfterEarlyDataPending() const {
  bool reading =
      early_state_ == EarlyState::kServerReading || early_state_ == EarlyState::kServerFinished;
  return server_ && reading && SSL_early_data_accepted(ssl_.get()) && SSL_in_init(ssl_.get());
}

bool BoringSslConn::DeferShutdownDuringEarlyData(int mode) {
  if (!ServerHandshakeAfterEarlyDataPending()) return false;
  deferred_shutdown_ |= mode;
  return true;
}

// Unread early data left when the program shuts down keeps BoringSSL in its handshake: the
// shutdown then sends nothing (BoringSSL's answer in a handshake), where OpenSSL would send
// close_notify.
IoResult BoringSslConn::FinishEarlyDataBeforeShutdown() {
  IoResult done;
  done.ret = 1;
  if (ServerHandshakeAfterEarlyDataPending()) {
    // BoringSSL's SSL_do_handshake returns at once while early data may come; a peek reads on
    // through EndOfEarlyData and the client's Finished and leaves any data where it is.
    // (Once the handshake is done, a WANT_READ only says that no data has come yet.)
    uint8_t unused;
    IoResult handshake = Read(&unused, 1, /*peek=*/true);
    if (handshake.ret <= 0 && SSL_in_init(ssl_.get())) {
      if (handshake.ssl_error != SslErrorWantRead()) return handshake;
      return SendCloseNotifyInEarlyData(handshake);
    }
    std::vector<ErrorRecord> dropped;
    TakeErrors(&dropped);
  }
  if (deferred_shutdown_ != 0) {
    int mode = deferred_shutdown_;
    deferred_shutdown_ = 0;
    SetShutdown(mode);
  }
  return done;
}

bool BoringSslConn::RecoverFromEarlyDataReject(int ret) {
  if (server_ || SSL_get_error(ssl_.get(), ret) != SSL_ERROR_EARLY_DATA_REJECTED) return false;
  // OpenSSL's client is not interrupted: the handshake goes on, SSL_get_early_data_status says
  // SSL_EARLY_DATA_REJECTED and the program sends the data again.
  early_data_rejected_ = true;
  if (early_state_ == EarlyState::kClientWriting) early_state_ = EarlyState::kClientFinished;
  SSL_reset_early_data_reject(ssl_.get());
  ERR_clear_error();
  return true;
}

// --- SSL_sendfile -------------------------------------------------------------------------------

IoResult BoringSslConn::SendFile(int /*fd*/, int64_t /*offset*/, size_t /*size*/, int /*flags*/) {
  // BoringSSL has no kernel TLS, so the write BIO never has it: what OpenSSL 3 answers for a
  // connection without kernel TLS (ssl/ssl_lib.c, SSL_sendfile).
  return FailEarlyDataCall(static_cast<int>(openssl3::kSSL_R_UNINITIALIZED));
}

}  // namespace sslshim::boringssl
