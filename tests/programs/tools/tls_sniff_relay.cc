// tls_sniff_relay: a plain TCP relay that watches the TLS handshake it forwards and writes down
// who built it. The drop-in programs keep their own TLS end to end (certificates, ALPN,
// session resumption, client certificates and key logs all work unchanged); the relay sits
// between client and server, never decrypts, and logs per connection one JSON line with the
// ClientHello's supported_groups and the ServerHello's extension order, classified by
// testsupport/tls_stack.cc as OpenSSL 3 or BoringSSL. Never run it with the shim loaded.
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

#include "hello_sniffer.h"
#include "relay_common.h"
#include "testsupport/tls_stack.h"

namespace sslshim::programs {
namespace {

constexpr char kUsage[] =
    "usage: tls_sniff_relay --target HOST:PORT --port-file FILE --log FILE"
    " [--client-prefix N] [--server-prefix N] [--lifetime-s N]";

struct Options : RelayOptions {
  size_t client_prefix = 0;
  size_t server_prefix = 0;
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  ParseRelayOptions(
      argc, argv, kUsage,
      [&o](const std::string& key, const std::string& value) {
        if (key == "--client-prefix") {
          o.client_prefix = std::strtoul(value.c_str(), nullptr, 10);
        } else if (key == "--server-prefix") {
          o.server_prefix = std::strtoul(value.c_str(), nullptr, 10);
        } else {
          return false;
        }
        return true;
      },
      &o);
  return o;
}

// One line per connection; flat keys so a shell script can check them with grep.
std::string Report(int id, const HelloSniffer& from_client, const HelloSniffer& from_server) {
  const ClientHelloSeen& ch = from_client.client();
  const ServerHelloSeen& sh = from_server.server();
  const ClientStackVerdict client = ClassifyClientSide(ch);
  testsupport::StackVerdict server_verdict{testsupport::TlsStack::kUnknown, "no ServerHello seen"};
  if (sh.complete) server_verdict = testsupport::ClassifyServerHello(sh.version, sh.extensions);
  std::ostringstream s;
  s << std::boolalpha << "{\"conn\":" << id
    << ",\"client_stack\":" << testsupport::JsonQuote(client.stack)
    << ",\"server_stack\":" << testsupport::JsonQuote(testsupport::StackName(server_verdict.stack))
    << ",\"version\":" << testsupport::JsonQuote(sh.version)
    << ",\"handshake\":" << testsupport::JsonQuote(sh.handshake) << ",\"cipher\":" << sh.cipher
    << ",\"alpn_offered\":" << JsonList(ch.alpn)
    << ",\"sni\":" << testsupport::JsonQuote(ch.server_name)
    << ",\"client_offers_psk\":" << ch.offers_psk << ",\"client_groups\":" << JsonList(ch.groups)
    << ",\"client_extensions\":" << JsonList(ch.extensions)
    << ",\"client_ciphers\":" << JsonList(ch.ciphers)
    << ",\"server_extensions\":" << JsonList(sh.extensions)
    << ",\"hello_retry_request\":" << sh.hello_retry_request
    << ",\"client_random\":" << testsupport::JsonQuote(ch.random_hex)
    << ",\"first_encrypted_record\":" << testsupport::JsonQuote(sh.first_encrypted_record_hex)
    << ",\"client_reason\":" << testsupport::JsonQuote(client.reason)
    << ",\"server_reason\":" << testsupport::JsonQuote(server_verdict.reason)
    << ",\"error\":" << testsupport::JsonQuote(from_client.error() + from_server.error()) << "}";
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
  if (!TargetAddress(o, &addr)) return -1;
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
  uint16_t port = 0;
  const int listener = BindLoopback(SOCK_STREAM, &port);
  if (listener < 0 || listen(listener, 128) != 0) {
    std::perror("tls_sniff_relay: listen");
    return 1;
  }
  WritePortFile(o.port_file, port);
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
