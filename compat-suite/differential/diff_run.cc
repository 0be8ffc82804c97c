#include "diff_run.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <sstream>

#include "scenario.h"

namespace compat {
namespace {

CallRecord ParseCall(const Json& j) {
  CallRecord c;
  c.index = static_cast<int>(j["i"].AsInt());
  c.op = j["op"].AsString();
  c.event = j["type"].AsString() == "event";
  c.acknowledged = j["acknowledged"].AsBool(true);
  c.ret = j["ret"].AsInt();
  c.n = j["n"].AsInt();
  c.err = static_cast<int>(j["err"].AsInt());
  c.sys_errno = static_cast<int>(j["errno"].AsInt());
  c.wants = j["wants"].AsString();
  c.shutdown = static_cast<int>(j["shutdown"].AsInt());
  c.pending = static_cast<int>(j["pending"].AsInt());
  for (const auto& e : j["queue"].items()) {
    c.queue.push_back({static_cast<int>(e["lib"].AsInt()), static_cast<int>(e["reason"].AsInt()),
                       e["text"].AsString(), e["func"].AsString()});
  }
  return c;
}

}  // namespace

DiffRecord RunScenario(const std::string& scenario, const Column& column, const DiffPaths& paths,
                       int timeout_seconds) {
  DiffRecord r;
  DiffScenario parsed;
  char err[256];
  if (!diff_parse(scenario.c_str(), &parsed, err, sizeof err)) {
    r.sut_stderr = err;
    return r;
  }
  r.bio_pair = diff_is_bio_pair(parsed.transport) != 0;
  int transport[2] = {-1, -1};
  int ctl[2] = {-1, -1};
  bool ok = diff_needs_tcp(&parsed)
                ? TcpPair(transport)
                : socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, transport) == 0;
  if (!ok || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) != 0) {
    r.sut_stderr = "runner: could not create the transport";
    return r;
  }
  const std::string base = paths.work + "/" + column.name;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  pid_t peer = Spawn({paths.peer, "--scenario", scenario, "--cert", paths.cert, "--key", paths.key},
                     ChildEnv({}), transport[1], ctl[1], base + ".peer.out", base + ".peer.err");
  pid_t sut =
      Spawn({paths.sut, "--scenario", scenario, "--cert", paths.cert, "--key", paths.key},
            ChildEnv(column.env), transport[0], ctl[0], base + ".sut.out", base + ".sut.err");
  for (int fd : {transport[0], transport[1], ctl[0], ctl[1]}) close(fd);
  r.sut_end = Reap(sut, deadline);
  r.peer_end = Reap(peer, deadline);

  std::istringstream sut_lines(ReadFile(base + ".sut.out", 1 << 20));
  std::string line;
  while (std::getline(sut_lines, line)) {
    auto j = Json::Parse(line);
    if (!j) continue;
    const std::string type = (*j)["type"].AsString();
    if (type == "call" || type == "event") r.calls.push_back(ParseCall(*j));
    if (type == "end") r.ended = true;
  }
  std::istringstream peer_lines(ReadFile(base + ".peer.out", 1 << 16));
  while (std::getline(peer_lines, line)) {
    auto j = Json::Parse(line);
    if (!j || (*j)["type"].AsString() != "peer") continue;
    r.peer_bytes = (*j)["app_bytes"].AsInt(-1);
    r.peer_sha256 = (*j)["sha256"].AsString();
    r.peer_events = (*j)["events"].AsString();
  }
  r.sut_stderr = ReadFile(base + ".sut.err", 2000);
  return r;
}

}  // namespace compat
