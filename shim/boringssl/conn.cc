#include "boringssl/conn.h"

#include <openssl/err.h>
#include <openssl/pool.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>

#include "backend/protocol_name.h"
#include "boringssl/bio_bridge.h"
#include "boringssl/ctx.h"
#include "boringssl/error_translation.h"
#include "boringssl/internals.h"
#include "boringssl/mode_translation.h"
#include "boringssl/openssl3_constants.h"
#include "boringssl/verify_alert.h"

namespace sslshim::boringssl {
namespace {

// The SSL's ex_data slot that points back at its BoringSslConn (for BoringSSL's callbacks).
int ConnIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int ToInt(long long value) { return static_cast<int>(value); }

}  // namespace

BoringSslConn::BoringSslConn(bssl::UniquePtr<SSL> ssl, const ProgramBioOps* bio_ops,
                             ConnObserver* observer, const ConnSettings& settings)
    : ssl_(std::move(ssl)),
      bio_ops_(bio_ops),
      observer_(observer),
      // As OpenSSL's SSL_new: a client method makes a client, any other method a server, until
      // SSL_set_connect_state / SSL_set_accept_state say otherwise.
      server_(settings.endpoint != Endpoint::kClient),
      verify_mode_(settings.verify_mode),
      session_ctx_(SSL_get_SSL_CTX(ssl_.get())),
      num_tickets_(settings.num_tickets),
      ctx_sid_ctx_(settings.sid_ctx),
      max_early_data_(settings.max_early_data),
      recv_max_early_data_(settings.recv_max_early_data),
      no_anti_replay_(settings.no_anti_replay),
      method_min_version_(settings.method_min_version),
      method_max_version_(settings.method_max_version),
      min_version_(settings.min_version),
      max_version_(settings.max_version),
      security_level_(settings.security_level),
      signature_algorithms_(settings.signature_algorithms),
      client_signature_algorithms_(settings.client_signature_algorithms),
      datagram_(settings.datagram),
      group_codes_(settings.group_codes) {
  SSL_set_ex_data(ssl_.get(), ConnIndex(), this);
  ctx_ca_names_ = settings.ca_names ? settings.ca_names : std::make_shared<CaNameLists>();
  ctx_num_tickets_ = settings.num_tickets;
  SSL_set_info_callback(ssl_.get(), InfoCallback);
  ApplyMessageHook();
  // OpenSSL 3's default mode (the core then sets the program's).
  SetMode(openssl3::kSSL_MODE_AUTO_RETRY);
  // OpenSSL clients follow a server's HelloRequest by default; BoringSSL's only when told to.
  // (Servers ignore the setting: BoringSSL servers never renegotiate.)
  SSL_set_renegotiate_mode(
      ssl_.get(), settings.forbid_renegotiation ? ssl_renegotiate_never : ssl_renegotiate_freely);
  ApplyVerifyMode();
  ApplyEarlyDataEnabled();
}

BoringSslConn::~BoringSslConn() {
  ssl_.reset();  // drops the bridge BIOs first; they point at the program's BIOs
  // The same order and count as OpenSSL's SSL_free: one BIO_free_all per slot.
  if (wbio_ != nullptr) bio_ops_->free_all(wbio_);
  if (rbio_ != nullptr) bio_ops_->free_all(rbio_);
}

BoringSslConn* BoringSslConn::FromSsl(const SSL* ssl) {
  return static_cast<BoringSslConn*>(SSL_get_ex_data(ssl, ConnIndex()));
}

void BoringSslConn::SetConnectState() {
  server_ = false;
  SSL_set_connect_state(ssl_.get());
  ApplyVerifyMode();
  if (!client_signature_algorithms_.empty()) ApplySignatureRules();
}

void BoringSslConn::SetAcceptState() {
  server_ = true;
  SSL_set_accept_state(ssl_.get());
  ApplyVerifyMode();
  if (!client_signature_algorithms_.empty()) ApplySignatureRules();
}

// --- BIOs: OpenSSL's SSL_set_bio ownership rules, case for case ---------------------------------

void BoringSslConn::ReplaceReadBio(void* rbio) {
  if (rbio_ != nullptr) bio_ops_->free_all(rbio_);
  rbio_ = rbio;
}

void BoringSslConn::ReplaceWriteBio(void* wbio) {
  if (wbio_ != nullptr) bio_ops_->free_all(wbio_);
  wbio_ = wbio;
}

void BoringSslConn::SetBio(void* rbio, void* wbio) {
  if (rbio == rbio_ && wbio == wbio_) return;  // nothing changes, no reference is taken
  // The caller grants one reference for the pair; each slot keeps one.
  if (rbio != nullptr && rbio == wbio) bio_ops_->up_ref(rbio);
  if (rbio == rbio_) {
    ReplaceWriteBio(wbio);  // only the wbio changes: adopt one reference
  } else if (wbio == wbio_ && rbio_ != wbio_) {
    ReplaceReadBio(rbio);  // only the rbio changes, and they differed: adopt one reference
  } else {
    ReplaceReadBio(rbio);
    ReplaceWriteBio(wbio);
  }
  SyncBridgeBios();
}

void BoringSslConn::SyncBridgeBios() {
  // The read-ahead buffer is the connection's: bytes read from a BIO the program has since
  // replaced are still the next records, as in OpenSSL's record layer.
  BIO* read_bridge =
      rbio_ != nullptr ? NewBridgeBio(bio_ops_, rbio_, &hold_reads_, &read_ahead_) : nullptr;
  if (read_bridge != nullptr && SSL_is_dtls(ssl_.get()))
    SetBridgeDtlsTimer(read_bridge, ssl_.get());
  BIO* write_bridge = nullptr;
  if (wbio_ != nullptr && wbio_ == rbio_) {
    write_bridge = read_bridge;
    if (write_bridge != nullptr) BIO_up_ref(write_bridge);  // SSL_set0_* each take one
  } else if (wbio_ != nullptr) {
    write_bridge = NewBridgeBio(bio_ops_, wbio_);
  }
  SSL_set0_rbio(ssl_.get(), read_bridge);
  SSL_set0_wbio(ssl_.get(), write_bridge);
}

// --- I/O ----------------------------------------------------------------------------------------

template <typename Operation>
IoResult BoringSslConn::RunIo(Operation operation) {
  // BoringSSL's SSL_write/SSL_read/... reset its error queue and errno on entry themselves
  // (ssl_reset_error_state), so SSL_get_error below sees only this call's state. This is
  // SSL_write's path: nothing else is done on success.
  io_started_ = true;
  IoResult result;
  result.ret = operation();
  if (result.ret <= 0 && RecoverFromEarlyDataReject(result.ret)) result.ret = operation();
  if (result.ret > 0) {
    result.ssl_error = ToInt(openssl3::kSSL_ERROR_NONE);
    return result;
  }
  int saved_errno = errno;
  ErrorRecord extra;
  bool has_extra = false;
  result.ssl_error =
      OpenSslSslErrorForBoringSslError(SSL_get_error(ssl_.get(), result.ret), &extra, &has_extra);
  if (result.ssl_error == ToInt(openssl3::kSSL_ERROR_SYSCALL)) result.sys_errno = saved_errno;
  const size_t errors_before = errors_.size();
  DrainBoringSslErrors(&errors_);  // BoringSSL's own errors first, as they happened
  if (callback_failure_reason_ != 0) {
    // BoringSSL's one reason for every failing status callback, and for a certificate callback on
    // either side, as OpenSSL names each case.
    for (size_t i = errors_before; i < errors_.size(); i++) {
      if (errors_[i].lib == ToInt(openssl3::kERR_LIB_SSL) &&
          errors_[i].reason == callback_failure_from_) {
        errors_[i].reason = callback_failure_reason_;
      }
    }
    callback_failure_reason_ = 0;
  }
  if (has_extra) errors_.push_back(std::move(extra));
  errno = saved_errno;  // the program may read errno after SSL_ERROR_SYSCALL, as with OpenSSL
  return result;
}

IoResult BoringSslConn::Handshake() {
  IoResult result =
      RunWithRetransmission([&] { return RunIo([&] { return SSL_do_handshake(ssl_.get()); }); });
  if (result.ret > 0 && !queued_messages_sent_) return SendQueuedAfterHandshake();
  return result;
}

// OpenSSL 3's TLS 1.3 server writes its NewSessionTickets as the last step of its handshake, whose
// call answers WANT_WRITE until they are out. BoringSSL queues them (with anything else a finished
// handshake left) until the program's first write. A client that sends a small request right
// after its Finished, with Nagle's algorithm on, then waits for the server's delayed ACK of the
// Finished before the request leaves: the server, waiting for the request, sends nothing. So the
// end of the handshake sends them, once; later writes stay BoringSSL's own. TLS 1.3 only: at TLS
// 1.2 (and DTLS) a ticket is part of the handshake's last flight, which is already out.
IoResult BoringSslConn::SendQueuedAfterHandshake() {
  IoResult done;
  done.ret = 1;
  if (SSL_in_init(ssl_.get())) return done;  // a server's early return for early data
  if (!IsTls13(ssl_.get())) {
    queued_messages_sent_ = true;
    return done;
  }
  const size_t errors_before = errors_.size();
  const int saved_errno = errno;
  // Nothing queued: returns 1 without writing.
  IoResult sent = RunIo([&] { return bssl::tls_flush_flight(ssl_.get()); });
  if (sent.ret > 0) {
    queued_messages_sent_ = true;
    errno = saved_errno;
    return done;
  }
  // What is left stays queued and goes out with the next write, or the next handshake or read
  // call, which tries again; as OpenSSL, the program hears WANT_WRITE.
  if (sent.ssl_error == ToInt(openssl3::kSSL_ERROR_WANT_WRITE)) return sent;
  // OpenSSL ignores a peer that closed right after its Finished, so what it sent can still be
  // read; any other failure is the handshake's.
  if (sent.ssl_error == ToInt(openssl3::kSSL_ERROR_SYSCALL) &&
      (sent.sys_errno == EPIPE || sent.sys_errno == ECONNRESET)) {
    errors_.erase(errors_.begin() + static_cast<std::ptrdiff_t>(errors_before), errors_.end());
    queued_messages_sent_ = true;
    errno = saved_errno;
    return done;
  }
  return sent;
}

// OpenSSL's SSL_write and SSL_read run the handshake first, and answer with its failure as it is.
// BoringSSL's answer a handshake that ended at the end of the transport with its own
// SSL_R_SSL_HANDSHAKE_FAILURE, so the core could not tell it apart (the core answers OpenSSL's
// SSL_R_UNEXPECTED_EOF_WHILE_READING, or the clean close SSL_OP_IGNORE_UNEXPECTED_EOF asks for).
// Connections with early data keep BoringSSL's own order (conn_early_data.cc).
IoResult BoringSslConn::HandshakeBeforeData() {
  if (early_state_ != EarlyState::kNone || !SSL_in_init(ssl_.get()) ||
      SSL_in_early_data(ssl_.get())) {
    return {1, 0, 0};
  }
  return Handshake();
}

// OpenSSL's SSL_clear keeps the client's session (the one with a ticket, in TLS 1.3) so the next
// connection resumes it; BoringSSL's keeps only the handshake's session, so the latest is put
// back. The BIOs, settings, callbacks and the role stay; what the last connection left goes.
bool BoringSslConn::Clear() {
  std::unique_ptr<BackendSession> session = server_ ? nullptr : Get1Session();
  ERR_clear_error();
  if (!SSL_clear(ssl_.get())) {
    DrainBoringSslErrors(&errors_);
    return false;
  }
  if (tickets_withheld_) SSL_clear_options(ssl_.get(), SSL_OP_NO_TICKET);
  tickets_withheld_ = false;
  own_signature_scheme_ = 0;  // OpenSSL's SSL_clear forgets the handshake's choices
  if (server_) {
    SSL_set_accept_state(ssl_.get());
  } else {
    SSL_set_connect_state(ssl_.get());
  }
  io_started_ = false;
  peer_cipher_suites_.clear();
  peer_groups_.clear();
  client_key_shares_.clear();
  status_request_extensions_.clear();
  server_key_share_ = KeyShare();
  certificate_requested_ = false;
  certificate_types_.clear();
  peer_psk_hint_seen_ = false;
  peer_psk_hint_.clear();
  queued_messages_sent_ = false;
  latest_ticket_session_.reset();
  tls13_finished_.clear();
  tls13_peer_finished_.clear();
  handshake_done_ = false;
  server_version_settled_ = false;
  verify_result_ = 0;
  early_state_ = EarlyState::kNone;
  client_hello_offered_early_data_ = false;
  server_hello_sent_ = false;
  early_data_rejected_ = false;
  in_early_read_ = false;
  end_of_early_data_seen_ = false;
  hold_reads_ = false;
  deferred_shutdown_ = 0;
  early_close_notify_ = EarlyCloseNotify::kNotSent;
  ApplyEarlyDataEnabled();
  if (session != nullptr && session->IsResumable() && !SetSession(session.get())) {
    errors_.clear();  // a session that cannot be offered again only costs the resumption
  }
  return true;
}

IoResult BoringSslConn::Write(const void* buf, int num) {
  // SSL_write's path for a TLS connection that never used early data: nothing else to do.
  if (early_state_ == EarlyState::kNone && pending_link_mtu_ == 0) {
    IoResult handshake = HandshakeBeforeData();
    if (handshake.ret <= 0) return handshake;
    return WriteRecords(buf, num);
  }
  IoResult handshake = FinishEarlyDataBeforeWrite();
  if (handshake.ret <= 0) return handshake;
  return WriteAsIs(buf, num);
}

IoResult BoringSslConn::FlushPendingWrite() {
  // The KeyUpdate and the failed write's record share BoringSSL's write buffer (do_tls_write);
  // its wpend_* state stays, so the write's retry completes it without sending a byte twice.
  return RunIo([&] { return bssl::ssl_write_buffer_flush(ssl_.get()); });
}

IoResult BoringSslConn::WriteAsIs(const void* buf, int num) {
  ApplyPendingLinkMtu();  // DTLS: a write may run the handshake
  return WriteRecords(buf, num);
}

IoResult BoringSslConn::WriteRecords(const void* buf, int num) {
  const bool partial = (SSL_get_mode(ssl_.get()) & SSL_MODE_ENABLE_PARTIAL_WRITE) != 0;
  if (!partial || SSL_is_dtls(ssl_.get()) || num == 0) {
    partial_write_carried_ = 0;
    partial_write_blocked_ = false;
    return RunIo([&] { return SSL_write(ssl_.get(), buf, num); });
  }
  // The core refuses a retry with fewer bytes than the pending write; a longer one is OpenSSL's
  // to allow, and the carried bytes stay its first.
  const auto* bytes = static_cast<const uint8_t*>(buf);
  int carried = partial_write_carried_ < num ? partial_write_carried_ : 0;
  bool finishing_pending = partial_write_blocked_;
  IoResult result;
  for (;;) {
    result = RunIo([&] { return SSL_write(ssl_.get(), bytes + carried, num - carried); });
    if (result.ret <= 0 || !finishing_pending || carried + result.ret == num) break;
    carried += result.ret;  // the pending record is out: OpenSSL goes on in this call
    finishing_pending = false;
  }
  const bool blocked =
      result.ret <= 0 && (result.ssl_error == ToInt(openssl3::kSSL_ERROR_WANT_WRITE) ||
                          result.ssl_error == ToInt(openssl3::kSSL_ERROR_SYSCALL));
  partial_write_blocked_ = blocked;
  partial_write_carried_ = blocked ? carried : 0;
  if (result.ret > 0) result.ret += carried;
  return result;
}

IoResult BoringSslConn::Read(void* buf, int num, bool peek) {
  IoResult handshake = HandshakeBeforeData();
  if (handshake.ret <= 0) return handshake;
  if (!queued_messages_sent_) {
    // What a finished handshake could not send yet goes first, as OpenSSL's read would finish
    // its handshake first.
    handshake = SendQueuedAfterHandshake();
    if (handshake.ret <= 0) return handshake;
  }
  IoResult result = RunReading([&] {
    return RunWithRetransmission([&] {
      return RunIo(
          [&] { return peek ? SSL_peek(ssl_.get(), buf, num) : SSL_read(ssl_.get(), buf, num); });
    });
  });
  if (!queued_messages_sent_ && !SSL_in_init(ssl_.get())) {
    // The read finished the handshake itself (early data): what it queued goes now. This read's
    // answer stands; a send that could not finish is retried by the next call.
    const size_t errors_before = errors_.size();
    const int saved_errno = errno;
    SendQueuedAfterHandshake();
    errors_.erase(errors_.begin() + static_cast<std::ptrdiff_t>(errors_before), errors_.end());
    errno = saved_errno;
  }
  return result;
}

IoResult BoringSslConn::RunReading(const std::function<IoResult()>& io) {
  // A reading call made from a callback inside another one (SSL_shutdown from a message
  // callback during SSL_read) leaves the outer call's state as it found it.
  const bool outer = in_read_;
  in_read_ = true;
  IoResult result = io();
  in_read_ = outer;
  if (!outer && held_after_message_) {  // the hold lasts for the outermost call only
    held_after_message_ = false;
    hold_reads_ = false;
  }
  return result;
}

IoResult BoringSslConn::Shutdown() {
  IoResult handshake = FinishEarlyDataBeforeShutdown();
  if (handshake.ret <= 0) return handshake;
  // OpenSSL 3's SSL_shutdown waits for the peer's close_notify through the read path, so it too
  // stops at a post-handshake message without AUTO_RETRY (differential engine, seed 75: a TLS 1.3
  // client's second SSL_shutdown met the server's tickets, then the end of a BIO pair).
  return RunReading([&] { return RunIo([&] { return SSL_shutdown(ssl_.get()); }); });
}

// The client's Finished has not come: OpenSSL's server sends close_notify at once, under the
// application keys it already has (as its half-RTT data), and does not wait for the Finished.
// BoringSSL's SSL_shutdown does nothing in a handshake, so its own alert sender sends it. nginx
// depends on this: it frees the connection after one SSL_shutdown call that returned 0 or 1, or
// -1 with an empty error queue, and the client would otherwise see the end of the stream
// without close_notify.
IoResult BoringSslConn::SendCloseNotifyInEarlyData(const IoResult& waiting) {
  if (early_close_notify_ == EarlyCloseNotify::kSent) return waiting;  // for the peer's, as OpenSSL
  IoResult sent = RunIo([&] {
    return early_close_notify_ == EarlyCloseNotify::kNotSent
               ? bssl::ssl_send_alert_impl(ssl_.get(), SSL3_AL_WARNING, SSL_AD_CLOSE_NOTIFY)
               : bssl::tls_dispatch_alert(ssl_.get());
  });
  early_close_notify_ = EarlyCloseNotify::kPending;
  if (sent.ret <= 0) return sent;  // WANT_WRITE: the next SSL_shutdown dispatches it
  early_close_notify_ = EarlyCloseNotify::kSent;
  // OpenSSL's answer after sending close_notify: 1 when the peer's is not awaited
  // (SSL_RECEIVED_SHUTDOWN set, as nginx does), else 0.
  sent.ret = (deferred_shutdown_ & static_cast<int>(openssl3::kSSL_RECEIVED_SHUTDOWN)) ? 1 : 0;
  return sent;
}

int BoringSslConn::Pending() const { return SSL_pending(ssl_.get()); }

bool BoringSslConn::HasPending() const {
  return SSL_has_pending(ssl_.get()) == 1 || !read_ahead_.empty();
}

void BoringSslConn::SetReadAhead(bool on) {
  // DTLS reads whole datagrams already; OpenSSL's read-ahead does not change that either.
  read_ahead_.enabled = on && !SSL_is_dtls(ssl_.get());
}

bool BoringSslConn::IsInitFinished() const { return SSL_is_init_finished(ssl_.get()) != 0; }

// OpenSSL's client_version (measured): the method's version until the ClientHello; then a
// client's highest version, capped at TLS 1.2 as TLS 1.3's legacy_version is, and the one a
// server read.
int BoringSslConn::ClientVersion() const {
  if (server_ && peer_legacy_version_ != 0) return peer_legacy_version_;
  if (server_ || !HandshakeStarted()) {
    if (method_max_version_ != 0) return method_max_version_;
    return datagram_ ? ToInt(openssl3::kDTLS_ANY_VERSION) : ToInt(openssl3::kTLS_ANY_VERSION);
  }
  const int max = SSL_get_max_proto_version(ssl_.get());
  return !datagram_ && max > TLS1_2_VERSION ? TLS1_2_VERSION : max;
}

int BoringSslConn::GetShutdown() const {
  return TranslateShutdownToOpenSsl(SSL_get_shutdown(ssl_.get())) | deferred_shutdown_;
}

void BoringSslConn::SetShutdown(int mode) {
  if (DeferShutdownDuringEarlyData(mode)) return;
  // BoringSSL can only add shutdown bits (clearing one is an assertion failure there), so bits
  // already set stay set.
  SSL_set_shutdown(ssl_.get(), TranslateShutdownToBoringSsl(mode) | SSL_get_shutdown(ssl_.get()));
}

// --- Renegotiation and key updates --------------------------------------------------------------

bool BoringSslConn::Renegotiate() {
  if (server_) {
    errors_.push_back(
        MakeSslErrorRecord(ToInt(openssl3::kSSL_R_NO_RENEGOTIATION),
                           "BoringSSL servers cannot renegotiate (they never send HelloRequest)"));
    return false;
  }
  if (SSL_is_init_finished(ssl_.get()) && IsTls13(ssl_.get())) {
    // What OpenSSL says for SSL_renegotiate on a TLS 1.3 connection.
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_WRONG_SSL_VERSION), ""));
    return false;
  }
  if (!SSL_renegotiate_pending(ssl_.get())) {
    errors_.push_back(MakeSslErrorRecord(
        ToInt(openssl3::kSSL_R_NO_RENEGOTIATION),
        "BoringSSL clients renegotiate only when the server asks; they cannot start one"));
    return false;
  }
  ERR_clear_error();
  bool ok = SSL_renegotiate(ssl_.get()) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::KeyUpdate(int type) {
  int boringssl_type = TranslateKeyUpdateTypeToBoringSsl(type);
  if (boringssl_type < 0) {
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_INVALID_KEY_UPDATE_TYPE), ""));
    return false;
  }
  // OpenSSL's own refusals, checked first so the program sees OpenSSL's reasons.
  if (!SSL_is_init_finished(ssl_.get())) {
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_STILL_IN_INIT), ""));
    return false;
  }
  if (!IsTls13(ssl_.get())) {
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_WRONG_SSL_VERSION), ""));
    return false;
  }
  // BoringSSL queues the KeyUpdate; it goes out with the next write (SSL_write(ssl, NULL, 0)
  // flushes it), where OpenSSL sends it at once.
  ERR_clear_error();
  bool ok = SSL_key_update(ssl_.get(), boringssl_type) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

// --- Configuration ------------------------------------------------------------------------------

void BoringSslConn::SetMode(long openssl_mode) {
  SSL_clear_mode(ssl_.get(), BoringSslModeBitsWeTranslate());
  SSL_set_mode(ssl_.get(), TranslateModeToBoringSsl(openssl_mode));
  auto_retry_ = (openssl_mode & openssl3::kSSL_MODE_AUTO_RETRY) != 0;
  ApplyMessageHook();
}

bool BoringSslConn::InstallCaNames() {
  ERR_clear_error();
  if (!own_client_ca_names_.has_value() && !own_ca_names_.has_value()) {
    SSL_set0_client_CAs(ssl_.get(), nullptr);  // the context's, as they change
    return true;
  }
  const CaNameLists& ctx_lists = *ctx_ca_names_;
  bssl::UniquePtr<STACK_OF(CRYPTO_BUFFER)> names = ClientCaNameBuffers(
      CaNameLists::Sent(
          own_client_ca_names_.has_value() ? own_client_ca_names_ : ctx_lists.client_ca,
          own_ca_names_.has_value() ? own_ca_names_ : ctx_lists.ca),
      &errors_);
  if (!names) {
    DrainBoringSslErrors(&errors_);
    return false;
  }
  SSL_set0_client_CAs(ssl_.get(), names.release());
  return true;
}

bool BoringSslConn::SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) {
  auto previous = std::exchange(own_client_ca_names_, names_der);
  if (InstallCaNames()) return true;
  own_client_ca_names_ = std::move(previous);
  return false;
}

// A client's CA list goes nowhere: BoringSSL's client sends no certificate_authorities extension.
bool BoringSslConn::SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) {
  auto previous =
      std::exchange(own_ca_names_, names_der != nullptr ? std::optional(*names_der) : std::nullopt);
  if (InstallCaNames()) return true;
  own_ca_names_ = std::move(previous);
  return false;
}

// BoringSSL sends the TLS 1.3 tickets its SSL_new context says (session_ctx->num_tickets); a
// connection has no count of its own. The context's count is accepted, and none: CertCallback
// withholds the tickets once TLS 1.3 is chosen (OpenSSL's count is TLS 1.3's alone, so TLS 1.2
// tickets stay). Any other count is refused.
bool BoringSslConn::SetNumTickets(size_t n) {
  if (n == ctx_num_tickets_ || n == 0) {
    num_tickets_ = n;
    no_tickets_ = n == 0 && ctx_num_tickets_ != 0;
    return true;
  }
  errors_.push_back(MakeSslErrorRecord(
      ToInt(openssl3::kERR_R_PASSED_INVALID_ARGUMENT),
      "BoringSSL sends its context's number of TLS 1.3 tickets (SSL_CTX_set_num_tickets); a "
      "connection cannot have its own"));
  return false;
}

bool BoringSslConn::ClearCertificates() {
  SSL_certs_clear(ssl_.get());
  own_key_ = false;
  return true;
}

bool BoringSslConn::SetHostName(const char* name) {
  ERR_clear_error();
  bool ok = SSL_set_tlsext_host_name(ssl_.get(), name) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

void BoringSslConn::SetVerify(int mode) {
  verify_mode_ = mode;
  ApplyVerifyMode();
}

void BoringSslConn::ApplyVerifyMode() {
  int mode = server_ ? TranslateVerifyModeToBoringSsl(verify_mode_) : SSL_VERIFY_PEER;
  SSL_set_custom_verify(ssl_.get(), mode, VerifyCallback);
}

// --- Callbacks ----------------------------------------------------------------------------------

enum ssl_verify_result_t BoringSslConn::VerifyCallback(SSL* ssl, uint8_t* out_alert) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr) return ssl_verify_invalid;
  return conn->VerifyPeer(out_alert);
}

enum ssl_verify_result_t BoringSslConn::VerifyPeer(uint8_t* out_alert) {
  std::vector<std::vector<uint8_t>> chain = PeerChainDer();
  if (observer_ == nullptr) {
    // No core to ask: refuse rather than trust an unverified peer.
    verify_result_ = openssl3::kX509_V_ERR_UNSPECIFIED;
    *out_alert = static_cast<uint8_t>(AlertForVerifyResult(verify_result_));
    return ssl_verify_invalid;
  }
  VerifyOutcome outcome = observer_->VerifyPeer(chain);
  verify_result_ = outcome.verify_result;
  if (outcome.accept) return ssl_verify_ok;
  *out_alert = static_cast<uint8_t>(AlertForVerifyResult(outcome.verify_result));
  if (outcome.failure_reason != 0) {
    *out_alert = static_cast<uint8_t>(outcome.failure_alert);
    callback_failure_from_ = static_cast<int>(openssl3::kSSL_R_CERTIFICATE_VERIFY_FAILED);
    callback_failure_reason_ = outcome.failure_reason;
  }
  return ssl_verify_invalid;
}

void BoringSslConn::InfoCallback(const SSL* ssl, int where, int ret) {
  BoringSslConn* conn = FromSsl(ssl);
  if (conn == nullptr || conn->observer_ == nullptr) return;
  if ((where & SSL_CB_HANDSHAKE_DONE) != 0) {
    conn->handshake_done_ = true;
    conn->ApplyMessageHook();
    conn->ReportTls13ServerSession();
  }
  conn->reporting_done_after_tickets_ = (where & SSL_CB_HANDSHAKE_DONE) != 0 && conn->server_ &&
                                        SSL_version(ssl) == TLS1_3_VERSION &&
                                        conn->num_tickets_ > 0;
  // For alerts `ret` is (level << 8) | description in both libraries.
  conn->observer_->OnInfo(TranslateInfoWhereToOpenSsl(where), ret);
  conn->reporting_done_after_tickets_ = false;
}

// --- Queries ------------------------------------------------------------------------------------

bool BoringSslConn::VersionSettled() const {
  // A client settles it with the ServerHello, which also brings the pending cipher; a server
  // before its certificate callback (BoringSSL's negotiate_version), which sets the flag. Early
  // data has BoringSSL's predicted version, as OpenSSL's.
  return handshake_done_ || server_version_settled_ || SSL_is_init_finished(ssl_.get()) ||
         SSL_get_pending_cipher(ssl_.get()) != nullptr || SSL_in_early_data(ssl_.get());
}

int BoringSslConn::PreNegotiationVersion() const {
  // OpenSSL 3's SSL_new (tls1_clear): a method of one version answers it; a flexible one the
  // highest it could negotiate, TLS 1.3 or DTLS 1.2, whatever bounds the program has set.
  if (method_max_version_ != 0 && method_min_version_ == method_max_version_) {
    return method_max_version_;
  }
  return datagram_ ? DTLS1_2_VERSION : TLS1_3_VERSION;
}

const char* BoringSslConn::Version() const { return ProtocolName(VersionNumber()); }

int BoringSslConn::VersionNumber() const {
  return VersionSettled() ? SSL_version(ssl_.get()) : PreNegotiationVersion();
}

namespace {

// As OpenSSL's SSL_get_finished: copies what fits, answers the whole length.
size_t CopyFinished(const std::vector<uint8_t>& finished, void* out, size_t len) {
  if (out != nullptr)
    std::copy_n(finished.begin(), std::min(len, finished.size()), static_cast<uint8_t*>(out));
  return finished.size();
}

}  // namespace

size_t BoringSslConn::Finished(void* out, size_t len) const {
  if (IsTls13(ssl_.get())) return CopyFinished(tls13_finished_, out, len);
  return SSL_get_finished(ssl_.get(), out, len);
}

size_t BoringSslConn::PeerFinished(void* out, size_t len) const {
  if (IsTls13(ssl_.get())) {
    return CopyFinished(tls13_peer_finished_, out, len);
  }
  return SSL_get_peer_finished(ssl_.get(), out, len);
}

std::vector<uint8_t> BoringSslConn::PeerCertificateDer() const {
  const STACK_OF(CRYPTO_BUFFER)* certs = SSL_get0_peer_certificates(ssl_.get());
  if (certs == nullptr || sk_CRYPTO_BUFFER_num(certs) == 0) return {};
  const CRYPTO_BUFFER* leaf = sk_CRYPTO_BUFFER_value(certs, 0);
  const uint8_t* der = CRYPTO_BUFFER_data(leaf);
  return std::vector<uint8_t>(der, der + CRYPTO_BUFFER_len(leaf));
}

std::vector<std::vector<uint8_t>> BoringSslConn::PeerChainDer() const {
  // BoringSSL keeps the whole chain as sent, leaf first, on both sides.
  std::vector<std::vector<uint8_t>> chain;
  const STACK_OF(CRYPTO_BUFFER)* certs = SSL_get0_peer_certificates(ssl_.get());
  for (size_t i = 0; certs != nullptr && i < sk_CRYPTO_BUFFER_num(certs); i++) {
    const CRYPTO_BUFFER* cert = sk_CRYPTO_BUFFER_value(certs, i);
    const uint8_t* der = CRYPTO_BUFFER_data(cert);
    chain.emplace_back(der, der + CRYPTO_BUFFER_len(cert));
  }
  return chain;
}

void BoringSslConn::TakeErrors(std::vector<ErrorRecord>* out) {
  DrainBoringSslErrors(&errors_);
  for (ErrorRecord& record : errors_) out->push_back(std::move(record));
  errors_.clear();
}

}  // namespace sslshim::boringssl
