// tls_sniff_relay: a plain TCP relay that watches the TLS handshake it forwards and writes down
// who built it. The programs of issue #5 keep their own TLS end to end (certificates, ALPN,
// session resumption, client certificates and key logs all work unchanged); the relay sits
// between client and server, never decrypts, and logs per connection one JSON line with the
// ClientHello's supported_groups and the ServerHello's extension order, classified by
// tests/e2e/tls_evidence.cc as OpenSSL 3 or BoringSSL. Never run it with the shim loaded.
//
// usage: tls_sniff_relay --target HOST:PORT --port-file FILE --log FILE
//                        [--client-prefix N] [--server-prefix N] [--lifetime-s N]
// It listens on an ephemeral loopback port and writes the number to FILE once it accepts.
// --client-prefix/--server-prefix: bytes each side sends before TLS starts (PostgreSQL: the
// client's 8-byte SSLRequest and the server's 1-byte 'S'); they are forwarded, not parsed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../e2e/tls_evidence.h"
#include "hello_sniffer.h"

namespace sslshim::programs {
namespace {

struct Options {
  std::string target_host;
  int target_port = 0;
  std::string port_file;
  std::string log_file;
  size_t client_prefix = 0;
  size_t server_prefix = 0;
  unsigned lifetime_s = 600;
};

[[noreturn]] void Usage() {
  std::fprintf(stderr,
               "usage: tls_sniff_relay --target HOST:PORT --port-file FILE --log FILE"
               " [--client-prefix N] [--server-prefix N] [--lifetime-s N]\n");
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) Usage();
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--target") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos) Usage();
      o.target_host = value.substr(0, colon);
      o.target_port = std::atoi(value.c_str() + colon + 1);
    } else if (key == "--port-file") {
      o.port_file = value;
    } else if (key == "--log") {
      o.log_file = value;
    } else if (key == "--client-prefix") {
      o.client_prefix = std::strtoul(value.c_str(), nullptr, 10);
    } else if (key == "--server-prefix") {
      o.server_prefix = std::strtoul(value.c_str(), nullptr, 10);
    } else if (key == "--lifetime-s") {
      o.lifetime_s = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
    } else {
      Usage();
    }
  }
  if (o.target_port <= 0 || o.port_file.empty() || o.log_file.empty()) Usage();
  return o;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
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
  for (size_t i = 0; i < values.size(); i++) out += (i ? "," : "") + JsonString(values[i]);
  return out + "]";
}

// One line per connection; flat keys so a shell script can check them with grep.
std::string Report(int id, const HelloSniffer& from_client, const HelloSniffer& from_server) {
  const ClientHelloSeen& ch = from_client.client();
  const ServerHelloSeen& sh = from_server.server();
  e2e::StackVerdict client_verdict{e2e::TlsStack::kUnknown, "no ClientHello seen"};
  e2e::StackVerdict server_verdict{e2e::TlsStack::kUnknown, "no ServerHello seen"};
  std::string client_stack = "unknown";
  if (ch.complete) {
    client_verdict = e2e::ClassifyClientHello(ch.groups);
    client_stack = StackName(client_verdict.stack);
    // A program may choose the groups itself; then the extensions still tell. (They may also
    // say nothing: BoringSSL limited to TLS 1.3 sends no renegotiation_info.)
    std::string reason;
    const std::string by_extensions = ClassifyClientHelloByExtensions(ch, &reason);
    if (client_verdict.stack == e2e::TlsStack::kUnknown && !by_extensions.empty()) {
      client_stack = by_extensions;
      client_verdict.reason += "; " + reason;
    } else if (client_verdict.stack != e2e::TlsStack::kUnknown && !by_extensions.empty() &&
               by_extensions != client_stack) {
      client_stack = "contradictory";  // the two kinds of evidence disagree: trust neither
      client_verdict.reason += "; but " + reason;
    }
  }
  if (sh.complete) server_verdict = e2e::ClassifyServerHello(sh.version, sh.extensions);
  std::ostringstream s;
  s << std::boolalpha << "{\"conn\":" << id << ",\"client_stack\":" << JsonString(client_stack)
    << ",\"server_stack\":" << JsonString(StackName(server_verdict.stack))
    << ",\"version\":" << JsonString(sh.version) << ",\"handshake\":" << JsonString(sh.handshake)
    << ",\"cipher\":" << sh.cipher << ",\"alpn_offered\":" << JsonList(ch.alpn)
    << ",\"sni\":" << JsonString(ch.server_name) << ",\"client_offers_psk\":" << ch.offers_psk
    << ",\"client_groups\":" << JsonList(ch.groups)
    << ",\"client_extensions\":" << JsonList(ch.extensions)
    << ",\"client_ciphers\":" << JsonList(ch.ciphers)
    << ",\"server_extensions\":" << JsonList(sh.extensions)
    << ",\"hello_retry_request\":" << sh.hello_retry_request
    << ",\"client_random\":" << JsonString(ch.random_hex)
    << ",\"first_encrypted_record\":" << JsonString(sh.first_encrypted_record_hex)
    << ",\"client_reason\":" << JsonString(client_verdict.reason)
    << ",\"server_reason\":" << JsonString(server_verdict.reason)
    << ",\"error\":" << JsonString(from_client.error() + from_server.error()) << "}";
  return s.str();
}

class Log {
 public:
  explicit Log(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {}
  bool ok() const { return file_ != nullptr; }
  void Write(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    std::fprintf(file_, "%s\n", line.c_str());
    std::fflush(file_);
  }

 private:
  std::FILE* file_;
  std::mutex mu_;
};

int ConnectTarget(const Options& o) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.target_port));
  if (inet_pton(AF_INET, o.target_host == "localhost" ? "127.0.0.1" : o.target_host.c_str(),
                &addr.sin_addr) != 1) {
    return -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

bool WriteAll(int fd, const unsigned char* p, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// Forwards both directions until both have ended, feeding the sniffers on the way.
void Relay(int id, int client_fd, const Options& o, Log* log) {
  HelloSniffer from_client(true, o.client_prefix), from_server(false, o.server_prefix);
  bool reported = false;
  int server_fd = ConnectTarget(o);
  if (server_fd >= 0) {
    const int one = 1;
    setsockopt(client_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(server_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pollfd fds[2] = {{client_fd, POLLIN, 0}, {server_fd, POLLIN, 0}};
    HelloSniffer* sniffers[2] = {&from_client, &from_server};
    bool open[2] = {true, true};
    std::vector<unsigned char> buf(1 << 16);
    while (open[0] || open[1]) {
      for (int i = 0; i < 2; i++) fds[i].events = open[i] ? POLLIN : 0;
      if (poll(fds, 2, -1) < 0) break;
      bool failed = false;
      for (int i = 0; i < 2 && !failed; i++) {
        if (!open[i] || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        ssize_t n = recv(fds[i].fd, buf.data(), buf.size(), 0);
        if (n <= 0) {  // this side finished sending: pass the half-close on
          open[i] = false;
          shutdown(fds[1 - i].fd, SHUT_WR);
          continue;
        }
        sniffers[i]->Feed(buf.data(), static_cast<size_t>(n));
        if (!WriteAll(fds[1 - i].fd, buf.data(), static_cast<size_t>(n))) failed = true;
      }
      if (failed) break;
      if (!reported && from_client.Done() && from_server.Done()) {
        log->Write(Report(id, from_client, from_server));
        reported = true;
      }
    }
    close(server_fd);
  }
  close(client_fd);
  if (!reported) log->Write(Report(id, from_client, from_server));
}

int Main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  alarm(o.lifetime_s);  // a last resort: the test scripts stop the relay long before
  static Log log(o.log_file);
  if (!log.ok()) {
    std::perror(o.log_file.c_str());
    return 1;
  }
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 128) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("tls_sniff_relay: listen");
    return 1;
  }
  const std::string tmp = o.port_file + ".tmp";
  if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
    std::fprintf(f, "%d\n", ntohs(addr.sin_port));
    std::fclose(f);
    std::rename(tmp.c_str(), o.port_file.c_str());
  }
  for (int id = 1;; id++) {
    int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      std::perror("tls_sniff_relay: accept");
      return 1;
    }
    std::thread(Relay, id, fd, std::cref(o), &log).detach();
  }
}

}  // namespace
}  // namespace sslshim::programs

int main(int argc, char** argv) { return sslshim::programs::Main(argc, argv); }
