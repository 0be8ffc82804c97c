// What a connection's data calls leave for the next one: the write a retry must match (W17,
// W18) and how the connection ended, if it did. Each keeps its invariants behind its methods, so
// io.cc, which holds the SSL_write contract, is the only place that moves them on.
#pragma once

namespace sslshim {

// An SSL_write that returned WANT_READ/WANT_WRITE, or met a failed transport, after its data
// reached the record layer: its retry must give the same buffer (or, with
// SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, the same bytes elsewhere) and at least as many bytes.
class PendingWrite {
 public:
  bool active() const { return active_; }
  // What SSL_get_error said about it (WANT_WRITE, WANT_READ, SYSCALL).
  int ssl_error() const { return ssl_error_; }

  // The write of `num` bytes from `buf` waits, for the reason `ssl_error` says.
  void Start(const void* buf, int num, int ssl_error) {
    active_ = true;
    buf_ = buf;
    num_ = num;
    ssl_error_ = ssl_error;
  }
  // It is done (or failed for good): any write may come next.
  void Clear() { *this = PendingWrite(); }

  // Whether a write of `num` bytes from `buf` may retry it; `moving_allowed`:
  // SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER. Any write may come when none is pending.
  bool AcceptsRetry(const void* buf, int num, bool moving_allowed) const {
    if (!active_) return true;
    return num >= num_ && (buf == buf_ || moving_allowed);
  }

 private:
  bool active_ = false;
  const void* buf_ = nullptr;
  int num_ = 0;
  int ssl_error_ = 0;
};

// How the connection ended (docs/contract.md, "After a fatal error"). Invariants: a protocol
// failure is a failure; the error that ended it and the peer's alert are known only for a
// protocol failure.
class ConnectionFailure {
 public:
  struct Reason {
    int lib = 0;
    int reason = 0;
  };

  // A backend call failed fatally: no more data calls.
  bool ended() const { return ended_; }
  // ... with SSL_ERROR_SSL (or a setting the shim could not apply): SSL_shutdown sends nothing.
  bool protocol() const { return protocol_; }
  // The error that ended it (lib 0: not known), which reads after it repeat.
  const Reason& reason() const { return reason_; }
  // The peer's fatal alert, read after the handshake, ended it: reads answer as after the peer's
  // close.
  bool by_peer_alert() const { return by_peer_alert_; }

  // A transport failure that ends the connection (SSL_ERROR_SYSCALL without an errno).
  void EndByTransport() { ended_ = true; }
  // A protocol failure; its reason, when known, comes with it or later (NoteReason).
  void EndByProtocol() {
    ended_ = true;
    protocol_ = true;
  }
  void EndByProtocol(Reason reason) {
    EndByProtocol();
    reason_ = reason;
  }
  void NoteReason(Reason reason) {
    if (protocol_) reason_ = reason;
  }
  void NoteByPeerAlert() {
    if (protocol_) by_peer_alert_ = true;
  }
  // SSL_clear: the object serves a new connection.
  void Clear() { *this = ConnectionFailure(); }

 private:
  bool ended_ = false;
  bool protocol_ = false;
  Reason reason_;
  bool by_peer_alert_ = false;
};

}  // namespace sslshim
