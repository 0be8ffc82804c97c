#include "compare.h"

#include <cstring>
#include <sstream>

namespace compat {
namespace {

const char* ErrName(int err) {
  static const char* const kNames[] = {"NONE",        "SSL",          "WANT_READ",
                                       "WANT_WRITE",  "WANT_X509",    "SYSCALL",
                                       "ZERO_RETURN", "WANT_CONNECT", "WANT_ACCEPT"};
  return err >= 0 && err <= 8 ? kNames[err] : "UNKNOWN";
}

// The reason part of OpenSSL's error text ("error:0A0000CF:SSL routines::protocol is shutdown").
std::string Reason(const ErrEntry& e) {
  size_t colon = e.text.rfind(':');
  std::string r = colon == std::string::npos ? e.text : e.text.substr(colon + 1);
  return r.empty() ? std::to_string(e.lib) + ":" + std::to_string(e.reason) : r;
}

// "SSL_write", "SSL_write(0)", "SSL_read", "SSL_set_mode(partial)"...
std::string CallName(const std::string& op) {
  std::string name = op.substr(0, op.find_first_of(":/+-"));
  if (name == "peer") return op;
  if (name == "mode")
    return std::string(op[4] == '+' ? "SSL_set_mode(" : "SSL_clear_mode(") + op.substr(5) + ")";
  std::string s = "SSL_" + name;
  size_t colon = op.find(':');
  if (colon != std::string::npos && op.compare(colon + 1, 1, "0") == 0 &&
      (op.size() == colon + 2 || op[colon + 2] == '/')) {
    s += "(0)";
  }
  size_t slash = op.find('/');
  if (slash != std::string::npos) s += op.substr(slash);  // "/shorter", "/moved"
  return s;
}

std::string Full(const CallRecord& c) {
  std::ostringstream os;
  os << "ret=" << c.ret << " n=" << c.n << " err=" << c.err;
  if (c.sys_errno != 0) os << " errno=" << c.sys_errno;
  if (!c.wants.empty()) os << " wants=" << c.wants;
  os << " shutdown=" << c.shutdown << " pending=" << c.pending;
  for (const auto& e : c.queue) os << " [" << e.text << "]";
  return os.str();
}

std::string ProcessFate(const DiffRecord& r) {
  if (r.sut_end.timed_out) return "hang (timed out)";
  if (r.sut_end.signal != 0) return "crash (signal " + std::to_string(r.sut_end.signal) + ")";
  if (!r.sut_end.started) return "not started";
  if (r.sut_end.exit_code != 0) return "exit " + std::to_string(r.sut_end.exit_code);
  if (!r.ended) return "no end line";
  return "";
}

}  // namespace

std::string AnswerClass(const CallRecord& c) {
  if (c.op.rfind("mode", 0) == 0) return "mode=" + std::to_string(c.ret);
  if (c.err == 0) return "ok";
  std::string s = ErrName(c.err);
  if (!c.queue.empty()) s += "/" + Reason(c.queue.front());
  if (c.sys_errno != 0) {
    const char* name = strerrorname_np(c.sys_errno);
    s += "/" + std::string(name != nullptr ? name : std::to_string(c.sys_errno).c_str());
  }
  return s;
}

bool NativeUsable(const DiffRecord& native, std::string* why) {
  *why = ProcessFate(native);
  return why->empty();
}

std::optional<Difference> CompareRecords(const DiffRecord& native, const DiffRecord& shim,
                                         bool compare_wants) {
  std::string prev;  // the last SSL call's native answer (mode changes skipped), when not "ok"
  // OpenSSL 3 refuses a write retry with SSL_R_BAD_WRITE_RETRY and a fatal alert; the shim refuses
  // it and its connection goes on (docs/contract.md W17). From there on every difference follows
  // from that one, even when a call between them answered alike on both (an SSL_shutdown refused
  // for another reason on each side): it is named after the refusal.
  bool refused_retry = false;
  // The retries before an answer (WANT_* on a BIO pair) are compared only once a call has
  // succeeded: until then the handshake runs, and whether a call waits depends on when the peer's
  // flight, or its end (close, FIN, reset), arrives, natively too (replays of one scenario answer
  // both ways). A peer that ends the connection before that leaves no call to succeed.
  bool any_ok = false;
  for (size_t i = 0; i < native.calls.size(); i++) {
    const CallRecord& a = native.calls[i];
    if (i >= shim.calls.size()) break;  // the shim stopped early: its fate says why, below
    const CallRecord& b = shim.calls[i];
    std::string name = CallName(a.op);
    std::string ctx = name + (prev.empty() ? "" : " after " + prev);
    auto diff = [&](const std::string& what) {
      return Difference{ctx + ": " + what,
                        "step " + std::to_string(a.index) + " " + a.op + ": native " + Full(a) +
                            "; shim " + Full(b),
                        false};
    };
    if (a.event) {
      if (a.acknowledged != b.acknowledged) return diff("peer event not acknowledged");
      continue;
    }
    const std::string ca = AnswerClass(a), cb = AnswerClass(b);
    if (ca != cb) return diff("native " + ca + ", shim " + cb);
    if (a.ret != b.ret || a.n != b.n) {
      return diff("native returned " + std::to_string(a.ret) + "/" + std::to_string(a.n) +
                  " bytes, shim " + std::to_string(b.ret) + "/" + std::to_string(b.n));
    }
    if (a.queue.size() != b.queue.size()) {
      return diff("error queue of " + std::to_string(a.queue.size()) + " entries natively, " +
                  std::to_string(b.queue.size()) + " on the shim");
    }
    for (size_t q = 0; q < a.queue.size(); q++) {
      if (a.queue[q].lib != b.queue[q].lib || a.queue[q].reason != b.queue[q].reason) {
        return diff("error queue entry " + std::to_string(q) + ": native " + Reason(a.queue[q]) +
                    ", shim " + Reason(b.queue[q]));
      }
    }
    const bool after_success = any_ok;
    if (ca == "ok") any_ok = true;
    if (compare_wants && after_success && a.wants != b.wants) {
      return diff("WANT_* before the answer: native '" + a.wants + "', shim '" + b.wants + "'");
    }
    if (a.shutdown != b.shutdown) {
      return diff("SSL_get_shutdown then: native " + std::to_string(a.shutdown) + ", shim " +
                  std::to_string(b.shutdown));
    }
    if (a.pending != b.pending) {
      return diff("SSL_pending then: native " + std::to_string(a.pending) + ", shim " +
                  std::to_string(b.pending));
    }
    // SSL_set_mode and SSL_clear_mode change nothing a later answer follows from: the kind names
    // the last SSL call's answer before them.
    if (ca.rfind("mode=", 0) != 0) prev = ca == "ok" ? "" : ca;
    // (SSL_shutdown behind a pending write meets the same record-layer check.)
    if (ca == "SSL/bad write retry" &&
        (a.op.rfind("write", 0) == 0 || a.op.rfind("shutdown", 0) == 0)) {
      refused_retry = true;
    }
    if (refused_retry) prev = "SSL/bad write retry";
  }
  const std::string fate = ProcessFate(shim);
  if (!fate.empty()) {
    std::string at = shim.calls.size() < native.calls.size()
                         ? " at " + CallName(native.calls[shim.calls.size()].op)
                         : " after the last step";
    return Difference{"shim " + fate + at,
                      "shim: " + fate + "; stderr: " + shim.sut_stderr.substr(0, 300),
                      fate.rfind("hang", 0) == 0 || fate.rfind("crash", 0) == 0};
  }
  if (native.peer_events != shim.peer_events) {
    return Difference{"peer events went differently",
                      "native: " + native.peer_events + "; shim: " + shim.peer_events, false};
  }
  if (native.peer_bytes != shim.peer_bytes || native.peer_sha256 != shim.peer_sha256) {
    return Difference{
        native.peer_bytes != shim.peer_bytes ? "peer received a different number of bytes"
                                             : "peer received different bytes",
        "native " + std::to_string(native.peer_bytes) + " bytes " +
            native.peer_sha256.substr(0, 16) + ", shim " + std::to_string(shim.peer_bytes) +
            " bytes " + shim.peer_sha256.substr(0, 16),
        false};
  }
  return std::nullopt;
}

}  // namespace compat
