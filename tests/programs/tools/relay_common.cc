#include "relay_common.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace sslshim::programs {

void RelayUsage(const char* usage) {
  std::fprintf(stderr, "%s\n", usage);
  std::exit(2);
}

void ParseRelayOptions(int argc, char** argv, const char* usage, const ToolOption& tool_option,
                       RelayOptions* o) {
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) RelayUsage(usage);
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--target") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos) RelayUsage(usage);
      o->target_host = value.substr(0, colon);
      o->target_port = std::atoi(value.c_str() + colon + 1);
    } else if (key == "--port-file") {
      o->port_file = value;
    } else if (key == "--log") {
      o->log_file = value;
    } else if (key == "--lifetime-s") {
      o->lifetime_s = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
    } else if (!tool_option(key, value)) {
      RelayUsage(usage);
    }
  }
  if (o->target_port <= 0 || o->port_file.empty() || o->log_file.empty()) RelayUsage(usage);
}

bool TargetAddress(const RelayOptions& o, sockaddr_in* target) {
  *target = sockaddr_in{};
  target->sin_family = AF_INET;
  target->sin_port = htons(static_cast<uint16_t>(o.target_port));
  return inet_pton(AF_INET, o.target_host == "localhost" ? "127.0.0.1" : o.target_host.c_str(),
                   &target->sin_addr) == 1;
}

int BindLoopback(int type, uint16_t* port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

void WritePortFile(const std::string& path, uint16_t port) {
  const std::string tmp = path + ".tmp";
  if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
    std::fprintf(f, "%d\n", port);
    std::fclose(f);
    std::rename(tmp.c_str(), path.c_str());
  }
}

std::string JsonList(const std::vector<int64_t>& values) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < values.size(); i++) s << (i ? "," : "") << values[i];
  s << "]";
  return s.str();
}

std::string JsonList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); i++)
    out += (i ? "," : "") + testsupport::JsonQuote(values[i]);
  return out + "]";
}

ClientStackVerdict ClassifyClientSide(const ClientHelloSeen& ch) {
  if (!ch.complete) return {"unknown", "no ClientHello seen"};
  const testsupport::StackVerdict by_groups = testsupport::ClassifyClientHello(ch.groups);
  ClientStackVerdict verdict{testsupport::StackName(by_groups.stack), by_groups.reason};
  std::string reason;
  const std::string by_extensions = ClassifyClientHelloByExtensions(ch, &reason);
  if (by_extensions.empty()) return verdict;
  if (by_groups.stack == testsupport::TlsStack::kUnknown) {
    verdict.stack = by_extensions;
    verdict.reason += "; " + reason;
  } else if (by_extensions != verdict.stack) {
    verdict.stack = "contradictory";
    verdict.reason += "; but " + reason;
  }
  return verdict;
}

}  // namespace sslshim::programs
