#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace compat {

// The environment of a child: the runner's own minus anything that would load or configure the
// shim, plus the column's variables (SUT only; the peer is always plain OpenSSL).
std::vector<std::string> ChildEnv(const std::vector<std::pair<std::string, std::string>>& add) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; e++) {
    std::string kv = *e;
    if (kv.rfind("LD_PRELOAD=", 0) == 0 || kv.rfind("LD_LIBRARY_PATH=", 0) == 0 ||
        kv.rfind("SSLSHIM_", 0) == 0) {
      continue;
    }
    env.push_back(kv);
  }
  for (const auto& [k, v] : add) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// fork + exec with the transport on fd 3 and the control channel on fd 4, stdout/stderr to
// files, in a new process group (so a timeout kills everything the child started).
pid_t Spawn(std::vector<std::string> argv, std::vector<std::string> env, int transport, int ctl,
            const std::string& out_file, const std::string& err_file) {
  std::vector<char*> cargv = CStrings(argv);
  std::vector<char*> cenv = CStrings(env);
  int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(SIGPIPE, SIG_DFL);
    int high_t = fcntl(transport, F_DUPFD, 100);
    int high_c = ctl >= 0 ? fcntl(ctl, F_DUPFD, 100) : -1;
    dup2(out, 1);
    dup2(err, 2);
    dup2(high_t, 3);
    if (high_c >= 0) dup2(high_c, 4);
    close_range(5, ~0U, 0);
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  if (pid > 0) setpgid(pid, pid);
  close(out);
  close(err);
  return pid;
}

ProcessEnd Reap(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  ProcessEnd end;
  end.started = pid > 0;
  if (pid <= 0) return end;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      end.timed_out = true;
      return end;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(-pid, SIGKILL);  // anything the child left behind in its group
  if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
  return end;
}

std::string ReadFile(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > limit) s = s.substr(s.size() - limit);
  return s;
}

// Two connected loopback TCP sockets (for the RST case); the listener is closed at once.
bool TcpPair(int fds[2]) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 1) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (listener >= 0) close(listener);
    return false;
  }
  fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool ok = fds[0] >= 0 && connect(fds[0], reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            (fds[1] = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;
  close(listener);
  return ok;
}

namespace {

void ParseSutOutput(const std::string& text, Observation& o) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = Json::Parse(line);
    if (!j) continue;
    const std::string type = (*j)["type"].AsString();
    if (type == "summary") {
      o.summary = *j;
    } else if (type == "repeat" && !o.steps.empty()) {
      o.steps.back().repeat += (*j)["count"].AsInt();
    } else if (type == "step") {
      Step s;
      s.tag = (*j)["tag"].AsString();
      s.op = (*j)["op"].AsString();
      s.num = (*j)["num"].AsInt();
      s.ret = (*j)["ret"].AsInt();
      s.err = static_cast<int>((*j)["err"].AsInt(-1));
      s.sys_errno = static_cast<int>((*j)["errno"].AsInt());
      for (const auto& e : (*j)["queue"].items()) {
        s.queue.push_back({static_cast<int>(e["lib"].AsInt()),
                           static_cast<int>(e["reason"].AsInt()), e["text"].AsString(),
                           e["func"].AsString()});
      }
      o.steps.push_back(std::move(s));
    }
  }
}

}  // namespace

Observation RunCase(const CaseSpec& spec, const std::string& tls, const Column& column,
                    const RunPaths& paths, int timeout_seconds) {
  Observation o;
  o.column = column.name;
  o.case_name = spec.name;
  o.tls = tls;
  int transport[2] = {-1, -1};
  int ctl[2] = {-1, -1};
  bool ok = spec.tcp ? TcpPair(transport)
                     : socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, transport) == 0;
  if (!ok || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) != 0) {
    o.sut_stderr = "runner: could not create the transport";
    return o;
  }
  const std::string dir = paths.work + "/" + column.name;
  mkdir(dir.c_str(), 0755);
  const std::string base = dir + "/" + spec.name + "@" + tls;
  const std::string tls_arg = tls == "-" ? "none" : tls;
  const std::string sut_role = spec.sut_is_server ? "server" : "client";
  const std::string peer_role = spec.sut_is_server ? "client" : "server";

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  pid_t peer =
      Spawn({paths.peer, "--script", spec.peer_script, "--tls", tls_arg, "--role", peer_role,
             "--fd", "3", "--ctl", "4", "--cert", paths.cert, "--key", paths.key},
            ChildEnv({}), transport[1], ctl[1], base + ".peer.out", base + ".peer.err");
  pid_t sut =
      Spawn({paths.sut, "--case", spec.name, "--tls", tls_arg, "--role", sut_role, "--fd", "3",
             "--ctl", "4", "--cert", paths.cert, "--key", paths.key},
            ChildEnv(column.env), transport[0], ctl[0], base + ".sut.out", base + ".sut.err");
  for (int fd : {transport[0], transport[1], ctl[0], ctl[1]}) close(fd);
  o.sut_end = Reap(sut, deadline);
  o.peer_end = Reap(peer, deadline);

  ParseSutOutput(ReadFile(base + ".sut.out", 1 << 22), o);
  std::istringstream peer_lines(ReadFile(base + ".peer.out", 1 << 20));
  std::string line;
  while (std::getline(peer_lines, line)) {
    auto j = Json::Parse(line);
    if (j && (*j)["type"].AsString() == "peer") o.peer = *j;
  }
  o.sut_stderr = ReadFile(base + ".sut.err", 2000);
  o.peer_stderr = ReadFile(base + ".peer.err", 2000);
  return o;
}

}  // namespace compat
