#include "model.h"

#include <csignal>
#include <cstring>

namespace compat {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kHolds:
      return "holds";
    case Verdict::kDiffers:
      return "differs";
    case Verdict::kBreaks:
      return "breaks";
    case Verdict::kNa:
      return "n/a";
    case Verdict::kSkipped:
      return "skipped";
  }
  return "?";
}

static int Rank(Verdict v) {
  switch (v) {
    case Verdict::kBreaks:
      return 4;
    case Verdict::kDiffers:
      return 3;
    case Verdict::kHolds:
      return 2;
    case Verdict::kSkipped:
      return 1;
    case Verdict::kNa:
      return 0;
  }
  return 0;
}

Verdict Worse(Verdict a, Verdict b) { return Rank(a) >= Rank(b) ? a : b; }

bool Step::HasReason(int lib_code, int reason_code) const {
  for (const auto& e : queue) {
    if (e.lib == lib_code && e.reason == reason_code) return true;
  }
  return false;
}

std::string Step::Describe() const {
  std::string out =
      op + "(" + std::to_string(num) + ")=" + std::to_string(ret) + " err=" + std::to_string(err);
  if (ret <= 0 && sys_errno != 0) {
    out += " errno=" + std::to_string(sys_errno) + " (" + std::strerror(sys_errno) + ")";
  }
  for (const auto& e : queue) {
    out += " [" + std::to_string(e.lib) + ":" + std::to_string(e.reason) + " " + e.text + "]";
  }
  if (queue.empty() && ret <= 0) out += " [empty error queue]";
  return out;
}

std::string ProcessEnd::Describe() const {
  if (!started) return "not started";
  if (timed_out) return "timed out (killed)";
  if (signal != 0) {
    const char* name = sigabbrev_np(signal);
    return std::string("killed by SIG") + (name != nullptr ? name : std::to_string(signal));
  }
  return "exit " + std::to_string(exit_code);
}

const Step* Observation::First(const std::string& tag) const {
  for (const auto& s : steps) {
    if (s.tag == tag) return &s;
  }
  return nullptr;
}

const Step* Observation::Last(const std::string& tag) const {
  const Step* found = nullptr;
  for (const auto& s : steps) {
    if (s.tag == tag) found = &s;
  }
  return found;
}

std::vector<const Step*> Observation::Writes() const {
  std::vector<const Step*> out;
  for (const auto& s : steps) {
    if (s.op == "write") out.push_back(&s);
  }
  return out;
}

static Json EndToJson(const ProcessEnd& e) {
  Json j = Json::Object();
  j.Set("outcome", Json::String(e.Describe()));
  j.Set("exit_code", Json::Number(e.exit_code));
  j.Set("signal", Json::Number(e.signal));
  j.Set("timed_out", Json::Bool(e.timed_out));
  return j;
}

Json ObservationToJson(const Observation& o) {
  Json sut = EndToJson(o.sut_end);
  Json steps = Json::Array();
  for (const auto& s : o.steps) {
    Json js = Json::Object();
    js.Set("tag", Json::String(s.tag));
    js.Set("op", Json::String(s.op));
    js.Set("num", Json::Number(static_cast<double>(s.num)));
    js.Set("ret", Json::Number(static_cast<double>(s.ret)));
    js.Set("ssl_get_error", Json::Number(s.err));
    js.Set("errno", Json::Number(s.sys_errno));
    Json q = Json::Array();
    for (const auto& e : s.queue) {
      Json je = Json::Object();
      je.Set("lib", Json::Number(e.lib));
      je.Set("reason", Json::Number(e.reason));
      je.Set("text", Json::String(e.text));
      je.Set("func", Json::String(e.func));
      q.Push(je);
    }
    js.Set("error_queue", q);
    if (s.repeat > 0) js.Set("repeated", Json::Number(static_cast<double>(s.repeat)));
    steps.Push(js);
  }
  sut.Set("steps", steps);
  sut.Set("summary", o.summary);
  if (!o.sut_stderr.empty()) sut.Set("stderr", Json::String(o.sut_stderr));
  Json peer = EndToJson(o.peer_end);
  peer.Set("report", o.peer);
  if (!o.peer_stderr.empty()) peer.Set("stderr", Json::String(o.peer_stderr));
  Json j = Json::Object();
  j.Set("sut", sut);
  j.Set("peer", peer);
  return j;
}

}  // namespace compat
