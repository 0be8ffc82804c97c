#include "core/io.h"

#include <openssl/err.h>

#include <climits>
#include <vector>

#include "core/errors.h"
#include "core/fail_closed.h"

namespace sslshim {
namespace {

// A failure decided by the contract itself, before the backend: -1, SSL_ERROR_SSL, one error.
int Refuse(Ssl* ssl, int reason, const char* func) {
  PushError(ERR_LIB_SSL, reason, func);
  ssl->connection.last_error = SSL_ERROR_SSL;
  return -1;
}

bool IsWant(int ssl_error) {
  return ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE;
}

// The transport itself failed (EPIPE, ECONNRESET...). OpenSSL 3 does not end the connection for
// it: the failed write stays pending like one that wanted to write, and the next SSL_write tries
// the transport again and answers SSL_ERROR_SYSCALL with the new errno (W21, W25; found by the
// compat suite's differential engine).
bool IsTransportFailure(const IoResult& r) {
  return r.ret <= 0 && r.ssl_error == SSL_ERROR_SYSCALL && r.sys_errno != 0;
}

// After a fatal error the connection is unusable. OpenSSL 3 reports a later write as
// SSL_ERROR_SYSCALL with an empty queue, BoringSSL as PROTOCOL_IS_SHUTDOWN: the contract takes the
// one with a reason code, on both backends (docs/contract.md, "after a fatal alert").
bool IsFatal(const IoResult& r) {
  return r.ret <= 0 && (r.ssl_error == SSL_ERROR_SSL || r.ssl_error == SSL_ERROR_SYSCALL) &&
         !IsTransportFailure(r);
}

// Records a fatal result: no more data calls; and, for a protocol failure (not a transport one),
// no more SSL_shutdown either (see Shutdown).
void NoteIfFatal(Ssl* ssl, const IoResult& r) {
  if (!IsFatal(r)) return;
  if (r.ssl_error == SSL_ERROR_SSL) {
    ssl->connection.failure.EndByProtocol();
  } else {
    ssl->connection.failure.EndByTransport();
  }
}

// The checks every data call makes first, in OpenSSL 3's order (ssl_write_internal).
int CheckUsable(Ssl* ssl, const char* func) {
  if (ssl->role == Ssl::Role::kUnset) return Refuse(ssl, SSL_R_UNINITIALIZED, func);
  if (!ssl->has_bios()) return Refuse(ssl, SSL_R_BIO_NOT_SET, func);
  return 1;
}

// For the calls that may handshake or move data: a connection with a security setting the shim
// could not apply refuses (core/fail_closed.h), before anything reaches the wire.
int CheckHandshakeAllowed(Ssl* ssl, const char* func) {
  if (CheckUsable(ssl, func) <= 0) return -1;
  if (!SettingsAllowHandshake(ssl, func) || !PskAllowsHandshake(ssl, func) ||
      !ConsultSecurityCallback(ssl, func)) {
    ssl->connection.failure.EndByProtocol();
    return -1;
  }
  return 1;
}

// SSL_ERROR_SYSCALL with errno 0: the transport gave nothing and named no error. BoringSSL says so
// at the end of the transport (0 from a read, -1 from a shutdown); OpenSSL 3 too, when the BIO does
// not report the end (below).
bool IsQuietSyscall(const IoResult& r) {
  return r.ssl_error == SSL_ERROR_SYSCALL && r.sys_errno == 0;
}

// OpenSSL 3 calls a read of nothing the end of the transport only when the BIO says so: BIO_eof
// after a failed read that does not ask for a retry (ssl3_read_n). A socket, a BIO pair whose other
// half was shut down and a memory BIO do; a program's own BIO that does not answer BIO_CTRL_EOF
// never does, and OpenSSL answers SSL_ERROR_SYSCALL, errno 0, nothing queued and nothing ended
// (measured by the differential engine's shortbio transport).
bool RbioAtEof(Ssl* ssl) {
  BIO* rbio = static_cast<BIO*>(ssl->conn()->rbio());
  return rbio != nullptr && BIO_eof(rbio) > 0;
}

// The transport ended without close_notify, as OpenSSL 3 tells it (OpenSSL 3's backend never gives
// it with the BIO at its end, having answered as below itself).
bool IsTransportEof(Ssl* ssl, const IoResult& r) { return IsQuietSyscall(r) && RbioAtEof(ssl); }

// OpenSSL 3 (the programs' library) treats the end of the transport as a fatal
// SSL_R_UNEXPECTED_EOF_WHILE_READING, or, with SSL_OP_IGNORE_UNEXPECTED_EOF, as if close_notify had
// come: SSL_RECEIVED_SHUTDOWN is set (ssl3_read_n), so a read reports SSL_ERROR_ZERO_RETURN and a
// shutdown waiting for the peer completes (1). Python sets the option on every context and reads
// SSL_get_shutdown() == SSL_RECEIVED_SHUTDOWN to tell a clean close from a failure.
// `clean_ret` is the call's answer for the clean case: 0 from a read, 1 from SSL_shutdown; -1
// from any call while the handshake runs (measured natively: SSL_do_handshake, SSL_write and
// SSL_read, client and server, blocking and non-blocking sockets, BIO pairs and memory BIOs all
// answer -1, with SSL_ERROR_SSL and the reason, or SSL_ERROR_ZERO_RETURN with the option).
int FinishTransportEof(Ssl* ssl, const IoResult& r, int clean_ret, const char* func) {
  if (ssl->options & SSL_OP_IGNORE_UNEXPECTED_EOF) {
    std::vector<ErrorRecord> dropped;  // OpenSSL 3 queues nothing for a clean close
    ssl->conn()->TakeErrors(&dropped);
    ssl->conn()->SetShutdown(ssl->conn()->GetShutdown() | SSL_RECEIVED_SHUTDOWN);
    ssl->connection.last_error = clean_ret > 0 ? SSL_ERROR_NONE : SSL_ERROR_ZERO_RETURN;
    ssl->connection.transport_wait = SSL_ERROR_NONE;  // the transport answered: no wait
    return clean_ret;
  }
  ssl->Finish(r);
  PushError(ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING, func);
  ssl->connection.last_error = SSL_ERROR_SSL;
  ssl->connection.failure.EndByProtocol({ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING});
  return r.ret < 0 || clean_ret < 0 ? -1 : 0;
}

// The transport ended while the handshake was still running (inside any call).
// Not after a fatal protocol error: OpenSSL 3's state machine is then in its error state, which
// counts as in init, and answers every call SSL_ERROR_SYSCALL without reading.
bool IsHandshakeEof(Ssl* ssl, const IoResult& r) {
  return r.ret <= 0 && IsTransportEof(ssl, r) && !ssl->conn()->IsInitFinished() &&
         !ssl->connection.failure.protocol();
}

// The transport gave nothing inside the handshake but the BIO does not say it ended: OpenSSL 3's
// SSL_ERROR_SYSCALL with errno 0, and the handshake may be tried again.
bool IsHandshakeQuietSyscall(Ssl* ssl, const IoResult& r) {
  return r.ret <= 0 && IsQuietSyscall(r) && !RbioAtEof(ssl) && !ssl->conn()->IsInitFinished();
}

// Remembers what ended the connection, for the reads that come after (ReadBytes): the last entry
// just pushed onto the program's queue.
void NoteFatalError(Ssl* ssl) {
  unsigned long e = ERR_peek_last_error();
  if (e != 0) ssl->connection.failure.NoteReason({ERR_GET_LIB(e), ERR_GET_REASON(e)});
}

// Answers a call's backend result, recording a fatal one (NoteIfFatal) and what ended it.
int FinishIo(Ssl* ssl, const IoResult& r) {
  // Not fatal: OpenSSL 3 tries the handshake again at the next call. Its handshake answers -1
  // inside any call (BoringSSL's read says 0).
  if (IsHandshakeQuietSyscall(ssl, r)) return ssl->Finish({-1, r.ssl_error, r.sys_errno});
  const bool had_failed = ssl->connection.failure.protocol();
  NoteIfFatal(ssl, r);
  const int ret = ssl->Finish(r);
  if (!had_failed && ssl->connection.failure.protocol()) NoteFatalError(ssl);
  return ret;
}

}  // namespace

namespace {

// SSL_write and SSL_write_ex share everything but the answer to a zero-length write, which
// OpenSSL 3 reports as 0 from SSL_write and as success (written 0) from SSL_write_ex.
int Write(Ssl* ssl, const void* buf, int num, bool* empty_write_done) {
  static constexpr char kFunc[] = "SSL_write";
  if (RefuseReentry(ssl, kFunc)) return -1;
  if (num < 0) return Refuse(ssl, SSL_R_BAD_LENGTH, kFunc);
  if (CheckHandshakeAllowed(ssl, kFunc) <= 0) return -1;
  BackendCallScope scope(ssl);
  if (ssl->connection.sent_shutdown || ssl->connection.failure.ended()) {
    // After close_notify OpenSSL's ssl_write_internal sets rwstate SSL_NOTHING first.
    if (ssl->connection.sent_shutdown) ssl->connection.transport_wait = SSL_ERROR_NONE;
    return Refuse(ssl, SSL_R_PROTOCOL_IS_SHUTDOWN, kFunc);
  }
  if (buf == nullptr && num > 0) return Refuse(ssl, ERR_R_PASSED_NULL_PARAMETER, kFunc);

  // W17/W18: a write that returned WANT_READ/WANT_WRITE must be retried with the same buffer (or
  // the same bytes from a moved buffer, with SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER) and at least as
  // many bytes. Refused retries leave the pending write intact: the right retry still completes.
  PendingWrite& pending = ssl->connection.pending_write;
  if (!pending.AcceptsRetry(buf, num, (ssl->mode & SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER) != 0)) {
    return Refuse(ssl, SSL_R_BAD_WRITE_RETRY, kFunc);
  }

  // DTLS: one record per write, never split across datagrams, so OpenSSL refuses more than a
  // record holds (SSL_R_DTLS_MESSAGE_TOO_BIG) and, unlike other errors, the connection goes on.
  // Before the handshake OpenSSL first runs it, and refuses only once it is done; the backend
  // is not given the write, which it would fail as fatal.
  if (num > SSL3_RT_MAX_PLAIN_LENGTH && ssl->ctx()->method->spec.datagram) {
    if (!ssl->conn()->IsInitFinished()) {
      IoResult handshake = ssl->conn()->Handshake();
      if (handshake.ret <= 0) return FinishIo(ssl, handshake);
    }
    return Refuse(ssl, SSL_R_DTLS_MESSAGE_TOO_BIG, kFunc);
  }

  if (num == 0 && !ssl->conn()->IsInitFinished()) {
    // W19 before the handshake: OpenSSL 3 runs it first, as for any write, and answers the empty
    // write once it is done: -1 with WANT_READ/WANT_WRITE while it waits on a non-blocking
    // transport, then 0 (measured on blocking and non-blocking sockets and BIO pairs, both roles,
    // TLS 1.2 and 1.3; a blocking one completes the handshake inside the call).
    IoResult handshake = ssl->conn()->Handshake();
    if (IsHandshakeEof(ssl, handshake)) return FinishTransportEof(ssl, handshake, -1, kFunc);
    if (handshake.ret <= 0) return FinishIo(ssl, handshake);
  }
  IoResult r = ssl->conn()->Write(buf, num);
  if (IsHandshakeEof(ssl, r)) return FinishTransportEof(ssl, r, -1, kFunc);
  // A KeyUpdate asked for goes out with this write (or is flushed by an empty one).
  if (r.ret >= 0) ssl->connection.key_update_pending = SSL_KEY_UPDATE_NONE;
  if (num == 0 && r.ret == 0) {
    // W19, num == 0: no record is sent; any queued post-handshake message is flushed; the answer is
    // OpenSSL 3's: 0, and SSL_get_error says SSL_ERROR_SYSCALL.
    // Once the peer's close_notify has come, OpenSSL 3's SSL_get_error calls a 0 from any call
    // SSL_ERROR_ZERO_RETURN (found by the differential engine).
    std::vector<ErrorRecord> errors;
    ssl->conn()->TakeErrors(&errors);
    PushErrors(errors);
    ssl->connection.last_error =
        ssl->PeerClosedCleanly() ? SSL_ERROR_ZERO_RETURN : SSL_ERROR_SYSCALL;
    *empty_write_done = errors.empty();
    return 0;
  }
  if (r.ret > 0 || !(IsWant(r.ssl_error) || IsTransportFailure(r))) {
    pending.Clear();
  } else if (ssl->conn()->IsInitFinished()) {
    // Only a write whose data reached the record layer is pending; one that stopped inside the
    // handshake may be retried with any arguments, as in OpenSSL.
    pending.Start(buf, num, r.ssl_error);
    // Its data waits behind a KeyUpdate asked for, which is then out of OpenSSL 3's handshake
    // state: SSL_shutdown queues behind the write, as after any waiting write (differential
    // engine). After a failed transport the KeyUpdate is sent again (SendKeyUpdateBeforeRead).
    if (IsWant(r.ssl_error)) ssl->connection.key_update_pending = SSL_KEY_UPDATE_NONE;
  }
  return FinishIo(ssl, r);
}

}  // namespace

int WriteBytes(Ssl* ssl, const void* buf, int num) {
  bool empty_write_done = false;
  return Write(ssl, buf, num, &empty_write_done);
}

int WriteEx(Ssl* ssl, const void* buf, size_t num, size_t* written) {
  bool empty_write_done = false;
  int ret = Write(ssl, buf, num > INT_MAX ? INT_MAX : static_cast<int>(num), &empty_write_done);
  if (empty_write_done) ssl->connection.last_error = SSL_ERROR_NONE;
  if (written != nullptr) *written = ret > 0 ? static_cast<size_t>(ret) : 0;
  return ret > 0 || empty_write_done ? 1 : 0;
}

namespace {

// OpenSSL 3's read first finishes the handshake state SSL_key_update put it in: the KeyUpdate goes
// out before anything is read, and a transport that will not take it is the read's answer (EPIPE,
// WANT_WRITE). BoringSSL's read would leave it queued for the next write. A result below 0 is
// the read's answer (differential engine).
IoResult SendKeyUpdateBeforeRead(Ssl* ssl) {
  if (!ssl->connection.pending_write.active()) {
    static const char kNothing = 0;  // an empty write sends what is queued
    IoResult sent = ssl->conn()->Write(&kNothing, 0);
    if (sent.ret >= 0) ssl->connection.key_update_pending = SSL_KEY_UPDATE_NONE;
    return sent;
  }
  // A write is pending, so an empty write would be its bad retry. After a write the transport
  // failed (SYSCALL with an errno), BoringSSL holds the KeyUpdate in one buffer with that write's
  // record; sending the buffer is OpenSSL's read sending the KeyUpdate again, and meets the same
  // failure. The write stays pending: its retry answers it. A write that waits (WANT_WRITE) is
  // left to its retry, as the KeyUpdate may be out already.
  if (ssl->connection.pending_write.ssl_error() != SSL_ERROR_SYSCALL) return IoResult{0, 0, 0};
  IoResult sent = ssl->conn()->FlushPendingWrite();
  if (sent.ret > 0) ssl->connection.key_update_pending = SSL_KEY_UPDATE_NONE;
  return sent;
}

}  // namespace

int ReadBytes(Ssl* ssl, void* buf, int num, bool peek) {
  const char* func = peek ? "SSL_peek" : "SSL_read";
  if (RefuseReentry(ssl, func)) return -1;
  if (num < 0) return Refuse(ssl, SSL_R_BAD_LENGTH, func);
  if (CheckHandshakeAllowed(ssl, func) <= 0) return -1;
  BackendCallScope scope(ssl);
  if (buf == nullptr && num > 0) return Refuse(ssl, ERR_R_PASSED_NULL_PARAMETER, func);
  // After the peer's fatal alert OpenSSL 3 has marked the connection closed by the peer
  // (SSL_RECEIVED_SHUTDOWN): a read answers 0 and SSL_ERROR_ZERO_RETURN, nothing queued.
  if (ssl->connection.failure.by_peer_alert()) {
    ssl->connection.last_error = SSL_ERROR_ZERO_RETURN;
    return 0;
  }
  // After a fatal protocol error OpenSSL 3 answers a read with SSL_ERROR_SYSCALL and nothing
  // queued (its handshake function refuses in its error state without a word); BoringSSL repeats
  // the error. The contract gives a reason on both backends: the error that ended the connection
  // (docs/contract.md, "After a fatal error").
  if (ssl->connection.failure.protocol() && ssl->connection.failure.reason().reason != 0) {
    // Unless the peer's close_notify came first: OpenSSL 3's SSL_read and SSL_peek then answer 0
    // before they look at anything else (ssl_read_internal, which also clears rwstate, and
    // ssl_peek_internal, which does not), and SSL_get_error says what the connection waits on,
    // else SSL_ERROR_ZERO_RETURN (differential engine, seed 360: a write refused with
    // SSL_R_BAD_LENGTH on the OpenSSL backend after the peer's close_notify).
    if ((ssl->conn()->GetShutdown() & SSL_RECEIVED_SHUTDOWN) != 0) {
      if (!peek) ssl->connection.transport_wait = SSL_ERROR_NONE;
      const int wait = ssl->connection.transport_wait;
      ssl->connection.last_error = wait != SSL_ERROR_NONE ? wait : SSL_ERROR_ZERO_RETURN;
      return 0;
    }
    PushError(ssl->connection.failure.reason().lib, ssl->connection.failure.reason().reason, func);
    ssl->connection.last_error = SSL_ERROR_SSL;
    return -1;
  }
  const bool peer_closed_before = (ssl->conn()->GetShutdown() & SSL_RECEIVED_SHUTDOWN) != 0;
  const int wait_before = ssl->connection.transport_wait;
  // After the peer's close_notify OpenSSL 3 answers a read 0 before it sends anything
  // (ssl_read_internal), so a KeyUpdate asked for since stays asked for (differential engine,
  // seed 62: a send to a peer that has gone made the read -1).
  if (ssl->connection.key_update_pending != SSL_KEY_UPDATE_NONE && ssl->conn()->IsInitFinished() &&
      !ssl->connection.sent_shutdown && !peer_closed_before) {
    // (Nothing is sent after close_notify: SSL_set_shutdown may have marked it sent since.)
    IoResult sent = SendKeyUpdateBeforeRead(ssl);
    if (sent.ret < 0) return FinishIo(ssl, sent);
  }
  const bool handshake_was_done = ssl->conn()->IsInitFinished();
  IoResult r = ssl->conn()->Read(buf, num, peek);
  // OpenSSL 3 sends a KeyUpdate asked for before it reads; a read that got to waiting for data
  // (or got data) is past that point. So is one in which the backend left its handshake state:
  // the real libssl (the OpenSSL backend) is in it from SSL_key_update until it sends the update,
  // which its read did before it met the peer's close_notify (differential engine, seed 95).
  if (r.ret > 0 || r.ssl_error == SSL_ERROR_WANT_READ ||
      (!handshake_was_done && ssl->conn()->IsInitFinished())) {
    ssl->connection.key_update_pending = SSL_KEY_UPDATE_NONE;
  }
  if (IsHandshakeEof(ssl, r)) return FinishTransportEof(ssl, r, -1, func);
  if (r.ret == 0 && IsQuietSyscall(r) && ssl->conn()->IsInitFinished()) {
    if (RbioAtEof(ssl)) return FinishTransportEof(ssl, r, 0, func);
    return ssl->Finish(r);  // a BIO that does not report its end: OpenSSL 3 goes on (RbioAtEof)
  }
  const bool had_failed = ssl->connection.failure.protocol();
  const int ret = FinishIo(ssl, r);
  // The peer's fatal alert after the handshake ends OpenSSL 3's read with 0, not -1
  // (ssl3_read_bytes), SSL_get_error saying SSL_ERROR_SSL and the queue the alert.
  const ConnectionFailure::Reason& reason = ssl->connection.failure.reason();
  if (ret <= 0 && !had_failed && ssl->connection.failure.protocol() && reason.lib == ERR_LIB_SSL &&
      reason.reason >= SSL_AD_REASON_OFFSET && reason.reason < SSL_AD_REASON_OFFSET + 256 &&
      handshake_was_done) {
    ssl->connection.failure.NoteByPeerAlert();
    return 0;
  }
  // OpenSSL 3's SSL_get_error asks what the connection waits on before it looks at the peer's
  // close_notify, and SSL_peek after that close_notify answers 0 without reading (so without
  // clearing the wait): while a write waits to be retried, SSL_get_error says what the last call
  // that reached the transport stopped on (that write, or a waiting read since). SSL_read clears
  // the wait there first (ssl_read_internal) and says ZERO_RETURN, as does a read that itself
  // meets the close_notify (differential engine, a BIO pair: seeds 44, 49).
  if (peek && ret == 0 && peer_closed_before &&
      ssl->connection.last_error == SSL_ERROR_ZERO_RETURN) {
    ssl->AnswerAsTheLastWait(wait_before);
  }
  return ret;
}

int Handshake(Ssl* ssl) {
  if (RefuseReentry(ssl, "SSL_do_handshake")) return -1;
  if (CheckHandshakeAllowed(ssl, "SSL_do_handshake") <= 0) return -1;
  BackendCallScope scope(ssl);
  // OpenSSL's SSL_do_handshake on a finished handshake touches neither the transport nor rwstate.
  const bool was_finished = ssl->conn()->IsInitFinished();
  const int wait_before = ssl->connection.transport_wait;
  IoResult r = ssl->conn()->Handshake();
  if (r.ret > 0) ssl->connection.key_update_pending = SSL_KEY_UPDATE_NONE;  // sent, as by a write
  if (IsHandshakeEof(ssl, r)) return FinishTransportEof(ssl, r, -1, "SSL_do_handshake");
  const int ret = FinishIo(ssl, r);
  if (was_finished && ret > 0) ssl->connection.transport_wait = wait_before;
  return ret;
}

int Shutdown(Ssl* ssl) {
  if (ssl->in_backend_call() && !ssl->conn()->IsInitFinished()) {
    return Refuse(ssl, SSL_R_SHUTDOWN_WHILE_IN_INIT, "SSL_shutdown");
  }
  if (CheckUsable(ssl, "SSL_shutdown") <= 0) return -1;
  // Before the handshake has finished OpenSSL 3 sends nothing and refuses (BoringSSL would answer
  // 1); found by the differential engine.
  if (!ssl->conn()->IsInitFinished() && !ssl->conn()->InEarlyData()) {
    return Refuse(ssl, SSL_R_SHUTDOWN_WHILE_IN_INIT, "SSL_shutdown");
  }
  // After a fatal protocol error OpenSSL 3's connection is in its error state: SSL_shutdown sends
  // nothing and answers -1, SSL_R_SHUTDOWN_WHILE_IN_INIT (measured: tests/chaos, where BoringSSL
  // would still send close_notify).
  if (ssl->connection.failure.protocol())
    return Refuse(ssl, SSL_R_SHUTDOWN_WHILE_IN_INIT, "SSL_shutdown");
  // SSL_key_update puts OpenSSL 3's connection back into its handshake state until a write, read
  // or handshake call sends the update: SSL_shutdown refuses meanwhile (found by the differential
  // engine; BoringSSL would send close_notify).
  if (ssl->connection.key_update_pending != SSL_KEY_UPDATE_NONE) {
    return Refuse(ssl, SSL_R_SHUTDOWN_WHILE_IN_INIT, "SSL_shutdown");
  }
  BackendCallScope scope(ssl);
  const int wait_before = ssl->connection.transport_wait;
  IoResult r = ssl->conn()->Shutdown();
  ssl->connection.sent_shutdown = (ssl->conn()->GetShutdown() & SSL_SENT_SHUTDOWN) != 0;
  // While a write is pending (it wanted to write, or met a failed transport) close_notify can only
  // queue behind it: OpenSSL 3 and BoringSSL answer -1 without touching the transport. OpenSSL's
  // SSL_get_error then says what the last call that reached the transport stopped on: the
  // pending write (WANT_WRITE, or SSL_ERROR_SYSCALL), or a read since (WANT_READ; differential
  // engine, seed 121: a TLS 1.3 server on a small BIO pair); BoringSSL's says SSL_ERROR_SYSCALL,
  // errno 0, which is no end of the transport. (After the peer's close_notify, Finish makes a
  // failure SSL_ERROR_ZERO_RETURN, as OpenSSL 3: our close_notify refused by a transport the peer
  // has closed, or queued behind a write that met it; differential engine, a program BIO and a
  // socket.)
  if (r.ret < 0 && ssl->connection.pending_write.active() && IsQuietSyscall(r)) {
    ssl->Finish(r);
    ssl->AnswerAsTheLastWait(wait_before);
    return -1;
  }
  // The second SSL_shutdown waits for the peer's close_notify; the transport may end instead. (A
  // first one answers 0, which BoringSSL's SSL_get_error also calls SSL_ERROR_SYSCALL.)
  if (r.ret < 0 && ssl->connection.sent_shutdown && IsTransportEof(ssl, r)) {
    return FinishTransportEof(ssl, r, 1, "SSL_shutdown");
  }
  // A failure that put the backend's handshake back in init is its state machine's error state:
  // OpenSSL 3's SSL_shutdown that meets application data after our close_notify (SSLfatal,
  // SSL_R_APPLICATION_DATA_AFTER_CLOSE_NOTIFY) or a bad record. The connection is over, but its
  // reason is not noted for reads to repeat: the OpenSSL backend answers them as OpenSSL 3 does,
  // -1 and SSL_ERROR_SYSCALL, nothing queued, the transport's end included (differential engine,
  // seed 163: a BIO pair that ended read as a handshake's unexpected EOF). BoringSSL's handshake
  // stays finished, and the data that met its SSL_shutdown stays readable (docs/contract.md).
  if (r.ssl_error == SSL_ERROR_SSL && !ssl->conn()->IsInitFinished()) {
    ssl->connection.failure.EndByProtocol();
  }
  return ssl->Finish(r);
}

int KeyUpdate(Ssl* ssl, int updatetype) {
  static constexpr char kFunc[] = "SSL_key_update";
  // OpenSSL 3's checks, in its order, on every backend (BoringSSL would queue the update even
  // while a write is pending).
  int refused = 0;
  // Until a version is negotiated OpenSSL 3 has none (its method is still TLS_ANY_VERSION),
  // whatever SSL_version says: before the handshake, and on a client that has sent its
  // ClientHello and has no ServerHello yet (the transport failed there, say): WRONG_SSL_VERSION
  // (differential engine).
  const HandshakeState state = ssl->conn()->GetHandshakeState();
  if (ssl->conn()->VersionNumber() != TLS1_3_VERSION || state == HandshakeState::kBefore ||
      (!ssl->conn()->IsServer() && state == HandshakeState::kCwClntHello)) {
    refused = SSL_R_WRONG_SSL_VERSION;
  } else if (updatetype != SSL_KEY_UPDATE_NOT_REQUESTED && updatetype != SSL_KEY_UPDATE_REQUESTED) {
    refused = SSL_R_INVALID_KEY_UPDATE_TYPE;
  } else if (!ssl->conn()->IsInitFinished() ||
             ssl->connection.key_update_pending != SSL_KEY_UPDATE_NONE ||
             ssl->connection.failure.protocol()) {
    // OpenSSL 3 re-enters its handshake state to send the update: until the next write, read or
    // handshake call sends it, a second SSL_key_update is STILL_IN_INIT (differential engine).
    // After a fatal error its state machine is in its error state, which counts as in init too
    // (differential engine: after an unexpected EOF, on sockets, both roles).
    refused = SSL_R_STILL_IN_INIT;
  } else if (ssl->connection.pending_write.active()) {
    refused = SSL_R_BAD_WRITE_RETRY;
  } else if (ssl->connection.sent_shutdown) {
    // close_notify promised the peer nothing more: OpenSSL 3 accepts the update and its next read
    // sends the KeyUpdate after its close_notify (measured: a BIO pair, 27 bytes after the alert),
    // or answers EPIPE from a closed transport. Refused here, on every backend
    // (docs/contract.md, "Other calls the contract touches").
    refused = SSL_R_PROTOCOL_IS_SHUTDOWN;
  }
  if (refused != 0) {
    PushError(ERR_LIB_SSL, refused, kFunc);
    return 0;
  }
  const bool ok = ssl->conn()->KeyUpdate(updatetype);
  if (ok) ssl->connection.key_update_pending = updatetype;  // until the next write sends it (Write)
  return FinishConnCall(ssl, ok, 0, kFunc);
}

bool RefuseReentry(Ssl* ssl, const char* func) {
  // Once the handshake is over (its last info callback included) a call from a callback is what
  // it is natively: measured, OpenSSL 3 writes, reads and shuts down there.
  if (!ssl->in_backend_call() || ssl->conn()->IsInitFinished()) return false;
  PushError(ERR_LIB_SSL, ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, func,
            "sslshim: called from a callback while this connection's TLS operation runs");
  ssl->connection.last_error = SSL_ERROR_SSL;
  return true;
}

int GetError(const Ssl* ssl, int ret) {
  if (ret > 0) return SSL_ERROR_NONE;
  // As OpenSSL: an error on the queue decides first.
  unsigned long queued = ERR_peek_error();
  if (queued != 0) {
    return ERR_GET_LIB(queued) == ERR_LIB_SYS ? SSL_ERROR_SYSCALL : SSL_ERROR_SSL;
  }
  return ssl->connection.last_error;
}

}  // namespace sslshim
