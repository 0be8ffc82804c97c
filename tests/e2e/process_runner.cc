#include "process_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace sslshim::e2e {
namespace {

// argv/envp arrays built before fork(), so the child only calls async-signal-safe functions.
struct ExecArrays {
  std::vector<std::string> storage_argv, storage_env;
  std::vector<char*> argv, envp;

  explicit ExecArrays(const ChildSpec& spec) : storage_argv{spec.program}, storage_env(spec.env) {
    storage_argv.insert(storage_argv.end(), spec.args.begin(), spec.args.end());
    for (std::string& s : storage_argv) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (std::string& s : storage_env) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

pid_t Start(const ChildSpec& spec) {
  ExecArrays arrays(spec);
  int out = open(spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err = open(spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0 || err < 0) {
    if (out >= 0) close(out);
    if (err >= 0) close(err);
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    // If the harness dies (e.g. ctest's timeout kills it), its children die with it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Standard streams first: `out` or `err` may itself be fd 3. dup2 clears FD_CLOEXEC on the
    // new descriptor; a socket that already is fd 3 needs it cleared by hand.
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    if (spec.socket_fd == kChildSocketFd) {
      fcntl(kChildSocketFd, F_SETFD, 0);
    } else if (spec.socket_fd >= 0) {
      dup2(spec.socket_fd, kChildSocketFd);
    }
    int null_in = open("/dev/null", O_RDONLY);
    if (null_in >= 0) dup2(null_in, STDIN_FILENO);
    execve(arrays.argv[0], arrays.argv.data(), arrays.envp.data());
    static const char kMessage[] = "execve failed\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    _exit(127);
  }
  close(out);
  close(err);
  return pid;
}

}  // namespace

std::string ChildOutcome::Describe() const {
  std::ostringstream s;
  if (!started) {
    s << "not started";
  } else if (timed_out) {
    s << "timed out (killed at the deadline)";
  } else if (signal != 0) {
    s << "killed by signal " << signal << " (" << strsignal(signal) << ")";
  } else {
    s << "exit " << exit_code;
  }
  s << "\n  stdout: " << stdout_text << "  stderr: " << stderr_text;
  return s.str();
}

std::vector<ChildOutcome> RunChildren(const std::vector<ChildSpec>& children,
                                      std::chrono::milliseconds timeout,
                                      const std::vector<int>& close_after_start) {
  std::vector<ChildOutcome> outcomes(children.size());
  std::vector<pid_t> pids(children.size(), -1);
  for (size_t i = 0; i < children.size(); i++) {
    pids[i] = Start(children[i]);
    outcomes[i].started = pids[i] > 0;
  }
  for (int fd : close_after_start) close(fd);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t running = 0;
  for (pid_t pid : pids) running += pid > 0;
  while (running > 0) {
    for (size_t i = 0; i < pids.size(); i++) {
      if (pids[i] <= 0) continue;
      int status = 0;
      pid_t r = waitpid(pids[i], &status, WNOHANG);
      if (r == 0) continue;
      if (r == pids[i]) {
        if (WIFEXITED(status)) outcomes[i].exit_code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) outcomes[i].signal = WTERMSIG(status);
      }
      pids[i] = -1;
      running--;
    }
    if (running == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      for (size_t i = 0; i < pids.size(); i++) {
        if (pids[i] <= 0) continue;
        kill(pids[i], SIGKILL);
        waitpid(pids[i], nullptr, 0);
        outcomes[i].timed_out = true;
        pids[i] = -1;
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (size_t i = 0; i < children.size(); i++) {
    outcomes[i].stdout_text = ReadFile(children[i].stdout_path);
    outcomes[i].stderr_text = ReadFile(children[i].stderr_path);
  }
  return outcomes;
}

std::vector<std::string> CleanEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; e++) {
    std::string entry(*e);
    if (entry.rfind("LD_PRELOAD=", 0) == 0 || entry.rfind("LD_LIBRARY_PATH=", 0) == 0 ||
        entry.rfind("SSLSHIM_", 0) == 0) {
      continue;
    }
    env.push_back(entry);
  }
  return env;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace sslshim::e2e
