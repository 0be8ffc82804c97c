// Every case of the suite and its expectations. To change what the suite expects, change it
// here: the contract decisions of the project (claims list + the lead's decisions for what the
// page leaves open) are the `Require` lines; documented deviations are `Deviates` lines.
#include "case_table.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <csignal>

namespace compat {

// ---- contract decisions that came from measuring OpenSSL 3 (see docs/compat-suite.md) ----
// W19: SSL_write(ssl, buf, 0) returns 0 and SSL_get_error(ssl, 0) is this, before and after the
// handshake (OpenSSL 3.0 measured; the shim must give the same on every backend).
constexpr int kZeroLengthError = SSL_ERROR_SYSCALL;
// W21: after SSL_read saw the peer's close_notify, SSL_write still succeeds (one-sided shutdown).
constexpr bool kWriteAfterPeerCloseNotifySucceeds = true;

namespace {

const char* ErrName(int err) {
  switch (err) {
    case SSL_ERROR_NONE:
      return "NONE";
    case SSL_ERROR_SSL:
      return "SSL";
    case SSL_ERROR_WANT_READ:
      return "WANT_READ";
    case SSL_ERROR_WANT_WRITE:
      return "WANT_WRITE";
    case SSL_ERROR_WANT_X509_LOOKUP:
      return "WANT_X509_LOOKUP";
    case SSL_ERROR_SYSCALL:
      return "SYSCALL";
    case SSL_ERROR_ZERO_RETURN:
      return "ZERO_RETURN";
    default:
      return "other";
  }
}

std::string Missing(const char* tag) { return std::string("no '") + tag + "' step recorded"; }

// ret == -1, SSL_get_error == err and (reason != 0) an SSL-library entry with that reason.
bool FailedWith(const Step* s, int err, int reason) {
  return s != nullptr && s->ret == -1 && s->err == err &&
         (reason == 0 || s->HasReason(ERR_LIB_SSL, reason));
}

void RequireFailure(Findings& f, const Observation& o, const char* tag, int err, int reason,
                    const std::string& claim = "") {
  const Step* s = o.Last(tag);
  if (s == nullptr) {
    f.Require(false, Missing(tag), claim);
    return;
  }
  std::string want = std::string("-1/") + ErrName(err);
  if (reason != 0) want += " with SSL reason " + std::to_string(reason);
  f.Require(FailedWith(s, err, reason),
            std::string(tag) + ": " + s->Describe() + "; expected " + want, claim);
}

void RequireReturned(Findings& f, const Observation& o, const char* tag, long long ret,
                     const std::string& claim = "") {
  const Step* s = o.Last(tag);
  f.Require(s != nullptr && s->ret == ret,
            s == nullptr
                ? Missing(tag)
                : std::string(tag) + ": " + s->Describe() + "; expected " + std::to_string(ret),
            claim);
}

void RequirePeerGot(Findings& f, const Observation& o, long long bytes,
                    const std::string& claim = "") {
  std::string got = "peer received " + std::to_string(o.PeerBytes()) + " bytes";
  if (!o.PeerStreamOk()) {
    got += " (mismatch at stream offset " + std::to_string(o.peer["first_mismatch"].AsInt()) + ")";
  }
  f.Require(o.PeerBytes() == bytes && o.PeerStreamOk(),
            got + "; expected exactly " + std::to_string(bytes) + " matching bytes", claim);
}

void RequireWritten(Findings& f, const Observation& o, long long bytes,
                    const std::string& claim = "") {
  f.Require(o.Written() == bytes,
            "SSL_write reported " + std::to_string(o.Written()) +
                " bytes written in total; expected " + std::to_string(bytes),
            claim);
}

// Nothing at all reached the peer (the case fails before any handshake).
void RequireNothingOnWire(Findings& f, const Observation& o) {
  long long raw = o.peer["raw_in"].AsInt(-1);
  f.Require(raw == 0, "peer received " + std::to_string(raw) + " bytes; expected none");
}

// No application data reached the peer (after a completed handshake).
void RequireNoAppData(Findings& f, const Observation& o) {
  long long records = o.peer["app_records_in"].AsInt(-1);
  f.Require(records == 0 && o.PeerBytes() == 0, "peer received " + std::to_string(records) +
                                                    " application-data records; expected none");
}

// Nothing after the point where the peer stopped speaking TLS (own close_notify or an alert).
void RequireNoTail(Findings& f, const Observation& o, const std::string& after) {
  long long tail = o.peer["tail_bytes"].AsInt(-1);
  f.Require(tail == 0,
            "the SUT sent " + std::to_string(tail) + " bytes after " + after + "; expected none");
}

void RequireNoWantRead(Findings& f, const Observation& o, const std::string& claim) {
  for (const auto& s : o.steps) {
    if (s.err == SSL_ERROR_WANT_READ) {
      f.Require(false, s.tag + ": " + s.Describe() + " surfaced with SSL_MODE_AUTO_RETRY on",
                claim);
      return;
    }
  }
}

void RequirePositiveReturnsEqualNum(Findings& f, const Observation& o, const std::string& claim) {
  for (const Step* s : o.Writes()) {
    if (s->ret > 0 && s->ret != s->num) {
      f.Require(false, "partial return without ENABLE_PARTIAL_WRITE: " + s->Describe(), claim);
      return;
    }
  }
}

// A renegotiation (TLS 1.2) or KeyUpdate (TLS 1.3) the peer requested was carried out.
void RequirePostHandshakeDone(Findings& f, const Observation& o, bool answered) {
  f.Require(o.peer["request_sent"].AsBool(), "the peer could not send its request");
  if (!answered) return;
  if (o.tls == "1.2") {
    long long hellos = o.peer["hellos"].AsInt();
    f.Require(hellos == 2, "peer saw " + std::to_string(hellos) +
                               " ClientHellos; expected 2 (renegotiation completed)");
  } else {
    long long updates = o.peer["key_updates_in"].AsInt();
    f.Require(updates >= 1, "peer received no KeyUpdate answering its update_requested");
  }
}

bool OffersGroup(const Observation& o, int group) {
  for (const auto& g : o.peer["hello_groups"].items()) {
    if (g.AsInt() == group) return true;
  }
  return false;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// ---- judges, one per case ----

void JudgeAbi(const Observation& o, const Column& c, Findings& f) {
  const std::string lib = o.summary["ssl_write_lib"].AsString();
  const std::string versioned = o.summary["ssl_write_versioned_lib"].AsString();
  f.Require(!versioned.empty(), "dlvsym(RTLD_DEFAULT, SSL_write, OPENSSL_3.0.0) found nothing");
  f.Require(versioned == lib,
            "SSL_write resolves to " + lib + " but SSL_write@OPENSSL_3.0.0 to " + versioned);
  if (c.expect_lib.empty()) {
    f.Require(
        BaseName(lib).rfind("libssl.so.3", 0) == 0 && lib.find("sslshim") == std::string::npos,
        "SSL_write resolves to " + lib + "; expected the system's libssl.so.3");
  } else if (c.expect_lib != "*") {
    f.Require(lib == c.expect_lib, "SSL_write resolves to " + lib + "; expected " + c.expect_lib);
  }
  // Who did the TLS: OpenSSL 3 offers x448 (30) and ffdhe2048 (256), BoringSSL offers neither.
  const std::string impl = OffersGroup(o, 30) || OffersGroup(o, 256) ? "openssl" : "boringssl";
  if (!c.expect_tls.empty()) {
    f.Require(impl == c.expect_tls, "the ClientHello looks like " + impl + "'s (supported groups " +
                                        o.peer["hello_groups"].Dump() + "); expected " +
                                        c.expect_tls + "'s");
  }
  RequireReturned(f, o, "write", 1000);
  RequirePeerGot(f, o, 1000);
}

void JudgeWriteBasic(const Observation& o, const Column&, Findings& f) {
  RequireReturned(f, o, "write", 100000);
  RequirePeerGot(f, o, 100000);
}

void JudgeImplicitHandshake(const Observation& o, const Column&, Findings& f) {
  RequireReturned(f, o, "write", 5000);
  f.Require(o.peer["handshake_ok"].AsBool(), "the peer's handshake failed");
  RequirePeerGot(f, o, 5000);
}

void JudgePostHsPendingWrite(const Observation& o, const Column&, Findings& f) {
  RequireWritten(f, o, 65536);
  RequirePeerGot(f, o, 65536);
  RequirePostHandshakeDone(f, o, true);
}

void JudgePostHsAutoRetry(const Observation& o, bool auto_retry, Findings& f) {
  bool got_ping = false;
  for (const auto& s : o.steps) got_ping |= (s.op == "read" && s.ret == 4);
  const Step* read = o.Last("read");
  f.Require(got_ping, "SSL_read never returned the peer's 4 bytes (" +
                          (read != nullptr ? read->Describe() : Missing("read")) + ")");
  if (auto_retry) RequireNoWantRead(f, o, "W08");
  RequireWritten(f, o, 32768);
  RequirePeerGot(f, o, 32768);
  RequirePostHandshakeDone(f, o, true);
}

void JudgePostHsMidWrite(const Observation& o, const Column&, Findings& f) {
  RequireWritten(f, o, 512 * 1024);
  RequirePeerGot(f, o, 512 * 1024);
  RequirePostHandshakeDone(f, o, false);
}

void JudgeBlockingSlowDrain(const Observation& o, const Column&, Findings& f) {
  RequireReturned(f, o, "write", 1024 * 1024);
  RequirePeerGot(f, o, 1024 * 1024);
}

void JudgeNonblockWantWrite(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "first", SSL_ERROR_WANT_WRITE, 0, "W09");
  RequirePositiveReturnsEqualNum(f, o, "W13");
  RequireWritten(f, o, 512 * 1024);
  RequirePeerGot(f, o, 512 * 1024);
}

void JudgeBioPair(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "first", SSL_ERROR_WANT_WRITE, 0);
  RequireReturned(f, o, "retry", 65536);
  RequirePeerGot(f, o, 65536);
}

void JudgePartial(const Observation& o, bool must_split, Findings& f) {
  bool any_partial = false;
  for (const Step* s : o.Writes()) {
    if (s->ret <= 0) continue;
    any_partial |= s->ret < s->num;
    // Whole 16 kB records only. A retry that completes a pending record may also write the next
    // one and return both (OpenSSL's ssl3_write_bytes, 1.0.1t's included), so 32768 appears
    // depending on timing; the contract is the record granularity, which is timing-free.
    if (s->ret < s->num) {
      f.Require(s->ret % 16384 == 0,
                "a partial write returned " + std::to_string(s->ret) + " (not whole 16 kB records)",
                "W15");
    }
  }
  if (must_split) {
    f.Require(any_partial, "no positive return below num although the socket filled up", "W14");
  }
  RequireWritten(f, o, 256 * 1024, "W16");
  RequirePeerGot(f, o, 256 * 1024, "W16");
}

void JudgeBadRetry(const Observation& o, bool smaller_num, Findings& f) {
  RequireFailure(f, o, "first", SSL_ERROR_WANT_WRITE, 0);
  const Step* bad = o.First("bad_retry");
  // A retry shorter than what was already flushed is BAD_LENGTH (docs/design-notes.md); the
  // contract's code for a changed retry is BAD_WRITE_RETRY. Both are OpenSSL's own answers.
  bool bad_ok = FailedWith(bad, SSL_ERROR_SSL, SSL_R_BAD_WRITE_RETRY) ||
                (smaller_num && FailedWith(bad, SSL_ERROR_SSL, SSL_R_BAD_LENGTH));
  f.Require(bad_ok, bad == nullptr ? Missing("bad_retry")
                                   : "bad_retry: " + bad->Describe() +
                                         "; expected -1/SSL with SSL_R_BAD_WRITE_RETRY");
  const Step* retry = o.Last("retry");
  if (bad_ok && retry != nullptr && retry->ret <= 0) {
    f.Deviates("OpenSSL >= 1.1.1 makes a bad retry fatal",
               "the correct retry then fails: " + retry->Describe());
    f.Require(o.PeerBytes() <= 256 * 1024 && o.PeerStreamOk(),
              "the peer's stream is corrupt or too long after the bad retry");
    return;
  }
  RequireWritten(f, o, 256 * 1024);
  RequirePeerGot(f, o, 256 * 1024);
}

void JudgeMovingBuffer(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "first", SSL_ERROR_WANT_WRITE, 0);
  RequireWritten(f, o, 256 * 1024);
  RequirePeerGot(f, o, 256 * 1024);
}

void JudgeZeroLength(const Observation& o, const Column&, Findings& f) {
  const Step* zero = o.First("zero");
  f.Require(zero != nullptr && zero->ret == 0 && zero->err == kZeroLengthError,
            zero == nullptr
                ? Missing("zero")
                : "zero: " + zero->Describe() + "; expected 0/" + ErrName(kZeroLengthError));
  RequireReturned(f, o, "marker", 10);
  RequirePeerGot(f, o, 10);
  long long records = o.peer["app_records_in"].AsInt(-1);
  f.Require(records == 1, "peer received " + std::to_string(records) +
                              " application-data records; expected 1 (the marker only)");
}

void JudgeAfterPeerCloseNotify(const Observation& o, const Column&, Findings& f) {
  const Step* read = o.First("read");
  f.Require(
      read != nullptr && read->ret == 0 && read->err == SSL_ERROR_ZERO_RETURN,
      read == nullptr ? Missing("read") : "read: " + read->Describe() + "; expected 0/ZERO_RETURN");
  if (kWriteAfterPeerCloseNotifySucceeds) {
    RequireReturned(f, o, "write", 100);
    RequireReturned(f, o, "write2", 100);
    long long records = o.peer["tail_records"].AsInt(-1);
    f.Require(records == 2, "peer saw " + std::to_string(records) +
                                " records after its close_notify; expected the 2 writes");
  }
}

void JudgeTransportLoss(const Observation& o, bool rst, Findings& f) {
  const Step* w = o.Last("write");
  bool errno_ok = w != nullptr && (w->sys_errno == EPIPE || (rst && w->sys_errno == ECONNRESET));
  f.Require(w != nullptr && w->ret == -1 && w->err == SSL_ERROR_SYSCALL && errno_ok,
            w == nullptr ? Missing("write")
                         : "write: " + w->Describe() + "; expected -1/SYSCALL with " +
                               (rst ? "EPIPE or ECONNRESET" : "EPIPE"));
  f.Require(o.sut_end.signal == 0, "the SUT was " + o.sut_end.Describe() + " (SIGPIPE is ignored)");
}

void JudgeSigpipe(const Observation& o, const Column&, Findings& f) {
  f.Require(o.sut_end.signal == SIGPIPE,
            "the SUT " + o.sut_end.Describe() +
                "; OpenSSL lets a write on a closed socket raise SIGPIPE, which kills it");
}

void JudgeAfterOwnShutdown(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "write", SSL_ERROR_SSL, SSL_R_PROTOCOL_IS_SHUTDOWN);
  RequireNoAppData(f, o);
  RequireNoTail(f, o, "its close_notify");
}

void JudgeNegativeBefore(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "write", SSL_ERROR_SSL, SSL_R_BAD_LENGTH);
  RequireNothingOnWire(f, o);
}

void JudgeNegativeAfter(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "write", SSL_ERROR_SSL, SSL_R_BAD_LENGTH);
  RequireNoAppData(f, o);
}

void JudgeNullBuffer(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "write", SSL_ERROR_SSL,
                 ERR_GET_REASON(ERR_PACK(ERR_LIB_SSL, 0, ERR_R_PASSED_NULL_PARAMETER)));
  RequireNoAppData(f, o);
}

void JudgeNoBio(const Observation& o, const Column&, Findings& f) {
  const Step* w = o.Last("write");
  if (w != nullptr && w->ret == -1 && w->err == SSL_ERROR_SYSCALL && w->queue.empty()) {
    f.Deviates("OpenSSL 3 reports a missing BIO as SSL_ERROR_SYSCALL with an empty queue",
               w->Describe());
    return;
  }
  RequireFailure(f, o, "write", SSL_ERROR_SSL, SSL_R_BIO_NOT_SET);
}

void JudgeNoState(const Observation& o, const Column&, Findings& f) {
  RequireFailure(f, o, "write", SSL_ERROR_SSL, SSL_R_UNINITIALIZED);
  RequireNothingOnWire(f, o);
}

// After a fatal alert either way, SSL_write fails (-1, SSL or SYSCALL) and sends no data.
void RequireWriteRefused(Findings& f, const Observation& o) {
  const Step* w = o.Last("write");
  if (w != nullptr && w->ret == -1 && w->err == SSL_ERROR_ZERO_RETURN && w->queue.empty()) {
    f.Deviates(
        "OpenSSL 3 answers SSL_ERROR_ZERO_RETURN after a received fatal alert (its "
        "warn_alert is 0, which is close_notify's number)",
        w->Describe());
    return;
  }
  f.Require(
      w != nullptr && w->ret == -1 && (w->err == SSL_ERROR_SSL || w->err == SSL_ERROR_SYSCALL),
      w == nullptr ? Missing("write")
                   : "write: " + w->Describe() + "; expected -1 with SSL_ERROR_SSL/SYSCALL");
}

void JudgeAlertInHandshake(const Observation& o, const Column&, Findings& f) {
  const Step* hs = o.First("handshake");
  f.Require(hs != nullptr && hs->ret <= 0,
            "the handshake did not fail although the peer refused it");
  RequireWriteRefused(f, o);
  RequireNoTail(f, o, "the peer's handshake_failure alert");
}

void JudgeAlertReceived(const Observation& o, const Column&, Findings& f) {
  const Step* read = o.First("read");
  f.Require(read != nullptr && read->ret <= 0 && read->err == SSL_ERROR_SSL,
            read == nullptr ? Missing("read")
                            : "read: " + read->Describe() + "; expected the peer's fatal alert");
  RequireWriteRefused(f, o);
  RequireNoTail(f, o, "the peer's fatal alert");
}

void JudgeAlertSent(const Observation& o, const Column&, Findings& f) {
  const Step* read = o.First("read");
  f.Require(read != nullptr && read->ret <= 0 && read->err == SSL_ERROR_SSL,
            read == nullptr ? Missing("read")
                            : "read: " + read->Describe() + "; expected a record error");
  RequireWriteRefused(f, o);
  long long records = o.peer["tail_records"].AsInt(-1);
  long long bytes = o.peer["tail_bytes"].AsInt(-1);
  f.Require(records <= 1 && bytes < 64,
            "after the bad record the SUT sent " + std::to_string(records) + " records (" +
                std::to_string(bytes) + " bytes); expected only its alert");
}

const std::vector<std::string> kBoth = {"1.2", "1.3"};
const std::vector<std::string> kNoTls = {"-"};

}  // namespace

const std::vector<CaseSpec>& AllCases() {
  static const std::vector<CaseSpec> cases = {
      {.name = "abi_and_tls",
       .claims = {"W01"},
       .tls = kBoth,
       .what = "SSL_write resolves to the column's library; the ClientHello shows who did the TLS",
       .peer_script = "drain",
       .judge = JudgeAbi},
      {.name = "write_basic",
       .claims = {"W02", "W20"},
       .tls = kBoth,
       .what = "one blocking 100000-byte write",
       .peer_script = "drain",
       .judge = JudgeWriteBasic},
      {.name = "implicit_handshake_client",
       .claims = {"W03"},
       .tls = kBoth,
       .what = "client: SSL_set_connect_state, no SSL_connect, SSL_write runs the handshake",
       .peer_script = "drain",
       .judge = JudgeImplicitHandshake},
      {.name = "implicit_handshake_server",
       .claims = {"W04"},
       .tls = kBoth,
       .what = "server: SSL_set_accept_state, no SSL_accept, SSL_write runs the handshake",
       .peer_script = "drain",
       .sut_is_server = true,
       .judge = JudgeImplicitHandshake},
      {.name = "post_hs_pending_write",
       .claims = {"W05@1.2", "W10"},
       .tls = kBoth,
       .what = "peer's renegotiation (1.2) / KeyUpdate (1.3) taken in by SSL_read, finished by "
               "SSL_write",
       .peer_script = "post_hs_quiet",
       .judge = JudgePostHsPendingWrite},
      {.name = "post_hs_autoretry_on",
       .claims = {"W08", "W10"},
       .tls = kBoth,
       .what =
           "blocking, AUTO_RETRY on: renegotiation / KeyUpdate, then data; SSL_read then SSL_write",
       .peer_script = "post_hs_ping_after",
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgePostHsAutoRetry(o, true, f); }},
      {.name = "post_hs_autoretry_off",
       .claims = {"W08", "W10"},
       .tls = kBoth,
       .what = "blocking, AUTO_RETRY off: WANT_READ may surface, retries complete the write",
       .peer_script = "post_hs_ping_after",
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgePostHsAutoRetry(o, false, f); }},
      {.name = "reneg_interleaved_data",
       .claims = {"W05"},
       .tls = {"1.2"},
       .what =
           "the peer sends data right after its HelloRequest (before the new handshake), SSL_read "
           "then SSL_write",
       .peer_script = "post_hs_ping",
       .judge =
           [](const Observation& o, const Column& column, Findings& f) {
             // BoringSSL's record layer takes no application data while a renegotiation is under
             // way (unexpected_record): a property of BoringSSL the shim cannot change without
             // patching it. Documented in docs/contract.md (W05); only that refusal is excused.
             const Step* read = o.Last("read");
             if (column.expect_tls == "boringssl" && read != nullptr && read->ret <= 0 &&
                 read->err == SSL_ERROR_SSL) {
               f.Deviates("BoringSSL rejects application data interleaved with a renegotiation",
                          "read: " + read->Describe(), "", true);
               return;
             }
             JudgePostHsAutoRetry(o, false, f);
           }},
      {.name = "post_hs_mid_write",
       .claims = {"W05@1.2", "W10"},
       .tls = kBoth,
       .what = "peer requests renegotiation / KeyUpdate in the middle of a 512 KiB blocking write",
       .peer_script = "post_hs_mid",
       .judge = JudgePostHsMidWrite},
      {.name = "blocking_slow_drain",
       .claims = {"W07", "W13", "W20"},
       .tls = kBoth,
       .what = "one blocking 1 MiB write, small socket buffer, the peer drains slowly",
       .peer_script = "drain_slow",
       .judge = JudgeBlockingSlowDrain},
      {.name = "nonblock_want_write",
       .claims = {"W09", "W11", "W13", "W20"},
       .tls = kBoth,
       .what = "non-blocking 512 KiB write on a full socket: WANT_WRITE, same call repeated",
       .peer_script = "hold_drain",
       .judge = JudgeNonblockWantWrite},
      {.name = "bio_pair",
       .claims = {"W12"},
       .tls = kBoth,
       .what = "BIO pair (4 KiB buffers) left undrained, then pumped",
       .peer_script = "drain",
       .judge = JudgeBioPair},
      {.name = "partial_nonblock",
       .claims = {"W14", "W15", "W16"},
       .tls = kBoth,
       .what = "ENABLE_PARTIAL_WRITE, non-blocking, full socket: partial returns, rest rewritten",
       .peer_script = "hold_drain",
       .judge = [](const Observation& o, const Column&, Findings& f) { JudgePartial(o, true, f); }},
      {.name = "partial_blocking",
       .claims = {"W14", "W15", "W16"},
       .tls = kBoth,
       .what = "ENABLE_PARTIAL_WRITE, blocking 256 KiB: returns at most a record, rest rewritten",
       .peer_script = "drain",
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgePartial(o, false, f); }},
      {.name = "retry_other_buffer",
       .claims = {"W17"},
       .tls = kBoth,
       .what = "after WANT_WRITE, retry from another buffer (same bytes) without MOVING mode",
       .peer_script = "hold_drain",
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgeBadRetry(o, false, f); }},
      {.name = "retry_smaller_num",
       .claims = {"W17"},
       .tls = kBoth,
       .what = "after WANT_WRITE, retry with num = 1",
       .peer_script = "hold_drain",
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgeBadRetry(o, true, f); }},
      {.name = "retry_moving_buffer",
       .claims = {"W18"},
       .tls = kBoth,
       .what = "ACCEPT_MOVING_WRITE_BUFFER: after WANT_WRITE, retry from a copy of the buffer",
       .peer_script = "hold_drain",
       .judge = JudgeMovingBuffer},
      {.name = "zero_before_handshake",
       .claims = {"W19"},
       .tls = kBoth,
       .what = "SSL_write(ssl, buf, 0) before the handshake",
       .peer_script = "drain",
       .judge = JudgeZeroLength},
      {.name = "zero_after_handshake",
       .claims = {"W19"},
       .tls = kBoth,
       .what = "SSL_write(ssl, buf, 0) after the handshake",
       .peer_script = "drain",
       .judge = JudgeZeroLength},
      {.name = "after_peer_close_notify",
       .claims = {"W21"},
       .tls = kBoth,
       .what = "SSL_read saw the peer's close_notify, then two 100-byte writes",
       .peer_script = "close_notify",
       .judge = JudgeAfterPeerCloseNotify},
      {.name = "reset_rst",
       .claims = {"W25"},
       .tls = kBoth,
       .what = "TCP: the peer resets (SO_LINGER 0), SIGPIPE ignored",
       .peer_script = "rst",
       .tcp = true,
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgeTransportLoss(o, true, f); }},
      {.name = "reset_epipe",
       .claims = {"W21", "W25"},
       .tls = kBoth,
       .what = "the peer closes the transport without close_notify, SIGPIPE ignored",
       .peer_script = "close_fd",
       .judge = [](const Observation& o, const Column&,
                   Findings& f) { JudgeTransportLoss(o, false, f); }},
      {.name = "reset_epipe_sigpipe",
       .claims = {"W25"},
       .tls = kBoth,
       .what = "the peer closes the transport, SIGPIPE at its default: killed as with OpenSSL",
       .peer_script = "close_fd",
       .expects_signal = true,
       .judge = JudgeSigpipe},
      {.name = "after_own_shutdown",
       .claims = {"W24"},
       .tls = kBoth,
       .what = "SSL_shutdown (close_notify sent), then SSL_write",
       .peer_script = "drain",
       .judge = JudgeAfterOwnShutdown},
      {.name = "negative_before_handshake",
       .claims = {"W26"},
       .tls = kNoTls,
       .what = "num = -1 before any handshake",
       .peer_script = "drain",
       .judge = JudgeNegativeBefore},
      {.name = "negative_after_handshake",
       .claims = {"W26"},
       .tls = kBoth,
       .what = "num = -1 after the handshake",
       .peer_script = "drain",
       .judge = JudgeNegativeAfter},
      {.name = "null_buffer",
       .claims = {"W26"},
       .tls = kBoth,
       .what = "buf = NULL, num = 100 after the handshake",
       .peer_script = "drain",
       .judge = JudgeNullBuffer},
      {.name = "no_bio",
       .claims = {"W23"},
       .tls = kNoTls,
       .what = "SSL_set_connect_state but no BIO at all",
       .peer_script = "none",
       .judge = JudgeNoBio},
      {.name = "no_state",
       .claims = {"W06"},
       .tls = kNoTls,
       .what = "neither connect nor accept state set",
       .peer_script = "drain",
       .judge = JudgeNoState},
      {.name = "alert_in_handshake",
       .claims = {"W23"},
       .tls = kBoth,
       .what = "the peer refuses the ClientHello with a fatal alert, then SSL_write",
       .peer_script = "reject_hello",
       .judge = JudgeAlertInHandshake},
      {.name = "alert_received",
       .claims = {"W23"},
       .tls = kBoth,
       .what =
           "the peer answers a bad record with a fatal alert (SSL_read sees it), then SSL_write",
       .peer_script = "drain",
       .judge = JudgeAlertReceived},
      {.name = "alert_sent",
       .claims = {"W23"},
       .tls = kBoth,
       .what = "the peer's bad record makes the SUT send a fatal alert, then SSL_write",
       .peer_script = "garbage",
       .judge = JudgeAlertSent},
  };
  return cases;
}

std::vector<std::string> ClaimsFor(const CaseSpec& spec, const std::string& tls) {
  std::vector<std::string> out;
  for (const auto& c : spec.claims) {
    size_t at = c.find('@');
    if (at == std::string::npos) {
      out.push_back(c);
    } else if (c.substr(at + 1) == tls) {
      out.push_back(c.substr(0, at));
    }
  }
  return out;
}

void Findings::Require(bool ok, const std::string& what, const std::string& claim) {
  if (!ok) problems_.push_back({claim, what, "", false});
}

void Findings::Deviates(const std::string& name, const std::string& what, const std::string& claim,
                        bool any_column) {
  for (const auto& d : deviations_) {
    if (d.deviation == name && d.claim == claim) return;  // one mention per case is enough
  }
  deviations_.push_back({claim, what, name, any_column});
}

Judgement Findings::For(const std::string& claim, const Column& column) const {
  for (const auto& p : problems_) {
    if (p.claim.empty() || p.claim == claim) return {Verdict::kBreaks, p.what};
  }
  for (const auto& d : deviations_) {
    if (!d.claim.empty() && d.claim != claim) continue;
    bool excused = column.reference || !column.judged || d.any_column;
    return {excused ? Verdict::kDiffers : Verdict::kBreaks, d.deviation + " (" + d.what + ")"};
  }
  return {Verdict::kHolds, ""};
}

std::map<std::string, Judgement> JudgeRun(const CaseSpec& spec, const Observation& o,
                                          const Column& column) {
  std::map<std::string, Judgement> out;
  auto all = [&](Judgement j) {
    for (const auto& c : ClaimsFor(spec, o.tls)) out[c] = j;
    return out;
  };
  if (!column.unavailable.empty()) return all({Verdict::kSkipped, column.unavailable});
  if (o.sut_end.timed_out) return all({Verdict::kBreaks, "the SUT timed out (hung)"});
  if (o.sut_end.signal != 0 && !spec.expects_signal) {
    return all({Verdict::kBreaks, "the SUT was " + o.sut_end.Describe()});
  }
  if (o.sut_end.signal == 0 && o.summary.is_null()) {
    return all({Verdict::kBreaks, "the SUT printed no summary (" + o.sut_end.Describe() + ")"});
  }
  if (o.peer_end.timed_out) return all({Verdict::kBreaks, "the peer timed out"});
  if (o.peer_end.signal != 0 || o.peer_end.exit_code != 0 || o.peer.is_null()) {
    return all({Verdict::kBreaks, "the peer failed (" + o.peer_end.Describe() + ")"});
  }
  Findings findings;
  const std::string note = o.summary["note"].AsString();
  if (!note.empty()) findings.Require(false, "SUT: " + note);
  spec.judge(o, column, findings);
  for (const auto& c : ClaimsFor(spec, o.tls)) out[c] = findings.For(c, column);
  return out;
}

}  // namespace compat
