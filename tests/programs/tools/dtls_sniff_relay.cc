// dtls_sniff_relay: a UDP relay that watches the DTLS handshakes it forwards and writes down who
// built each side (the DTLS counterpart of tls_sniff_relay). One association per client address:
// datagrams from that address go to the target from a socket of its own, and the target's answers
// go back. It never decrypts and never changes, drops or merges a datagram. Per association it
// logs one JSON line (flat keys, for grep): the ClientHello's groups, ciphers and extensions
// classified as OpenSSL 3 or BoringSSL by the same rules as TLS (testsupport/tls_stack.cc,
// hello_sniffer.h), the ServerHello's extension order likewise, the record version, the cookie,
// and datagram counts and sizes. Never run it with the shim loaded.
//
// usage: dtls_sniff_relay --target HOST:PORT --port-file FILE --log FILE [--lifetime-s N]
//                         [--idle-s N]
// It binds an ephemeral loopback UDP port and writes the number to FILE. An association is logged
// when both hellos have been seen and it has been idle for --idle-s seconds (default 2), or when
// the relay ends (SIGTERM, or --lifetime-s).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "dtls_hello_parser.h"
#include "relay_common.h"
#include "testsupport/tls_stack.h"

namespace sslshim::programs {
namespace {

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

constexpr char kUsage[] =
    "usage: dtls_sniff_relay --target HOST:PORT --port-file FILE --log FILE"
    " [--lifetime-s N] [--idle-s N]";

struct Options : RelayOptions {
  unsigned idle_s = 2;
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  ParseRelayOptions(
      argc, argv, kUsage,
      [&o](const std::string& key, const std::string& value) {
        if (key != "--idle-s") return false;
        o.idle_s = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
        return true;
      },
      &o);
  return o;
}

// A large receive buffer: a burst from one side must wait here, not be dropped by the kernel.
void GrowBuffers(int fd) {
  const int size = 8 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  }
}

struct Association {
  int id = 0;
  sockaddr_in client{};
  int upstream = -1;  // connected to the target
  DtlsHelloParser from_client{true};
  DtlsHelloParser from_server{false};
  std::chrono::steady_clock::time_point last_seen;
  bool reported = false;
};

std::string Report(const Association& a) {
  const ClientHelloSeen& ch = a.from_client.client();
  const ServerHelloSeen& sh = a.from_server.server();
  const ClientStackVerdict client = ClassifyClientSide(ch);
  testsupport::StackVerdict server_verdict{testsupport::TlsStack::kUnknown, "no ServerHello seen"};
  // DTLS 1.0 and 1.2 ServerHellos are TLS 1.2's: the same extension-order rule applies.
  if (sh.complete) server_verdict = testsupport::ClassifyServerHello("1.2", sh.extensions);
  std::ostringstream s;
  s << "{\"conn\":" << a.id << ",\"client_stack\":" << testsupport::JsonQuote(client.stack)
    << ",\"server_stack\":" << testsupport::JsonQuote(testsupport::StackName(server_verdict.stack))
    << ",\"version\":" << testsupport::JsonQuote(sh.version)
    << ",\"record_version\":" << testsupport::JsonQuote(a.from_server.record_version())
    << ",\"cipher\":" << sh.cipher << ",\"cookie_len\":" << a.from_client.cookie_len()
    << ",\"hello_verify_requests\":" << a.from_server.hello_verify_requests()
    << ",\"client_groups\":" << JsonList(ch.groups)
    << ",\"client_extensions\":" << JsonList(ch.extensions)
    << ",\"client_ciphers\":" << JsonList(ch.ciphers)
    << ",\"server_extensions\":" << JsonList(sh.extensions)
    << ",\"datagrams_to_server\":" << a.from_client.datagrams()
    << ",\"datagrams_to_client\":" << a.from_server.datagrams()
    << ",\"bytes_to_server\":" << a.from_client.bytes()
    << ",\"bytes_to_client\":" << a.from_server.bytes()
    << ",\"largest_datagram_to_server\":" << a.from_client.largest_datagram()
    << ",\"largest_datagram_to_client\":" << a.from_server.largest_datagram()
    << ",\"client_reason\":" << testsupport::JsonQuote(client.reason)
    << ",\"server_reason\":" << testsupport::JsonQuote(server_verdict.reason)
    << ",\"error\":" << testsupport::JsonQuote(a.from_client.error() + a.from_server.error())
    << "}";
  return s.str();
}

int Main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  std::FILE* log = std::fopen(o.log_file.c_str(), "a");
  if (log == nullptr) {
    std::perror(o.log_file.c_str());
    return 1;
  }
  sockaddr_in target{};
  if (!TargetAddress(o, &target)) RelayUsage(kUsage);
  uint16_t port = 0;
  const int listener = BindLoopback(SOCK_DGRAM, &port);
  if (listener < 0) {
    std::perror("dtls_sniff_relay: bind");
    return 1;
  }
  GrowBuffers(listener);
  WritePortFile(o.port_file, port);

  std::vector<std::unique_ptr<Association>> associations;
  std::vector<unsigned char> buf(1 << 16);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(o.lifetime_s);
  auto write_report = [&](Association& a) {
    std::fprintf(log, "%s\n", Report(a).c_str());
    std::fflush(log);
    a.reported = true;
  };
  while (!g_stop && std::chrono::steady_clock::now() < end) {
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    for (const auto& a : associations) fds.push_back({a->upstream, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 200) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (fds[0].revents & POLLIN) {
      sockaddr_in from{};
      socklen_t from_len = sizeof from;
      ssize_t n = recvfrom(listener, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from),
                           &from_len);
      if (n >= 0) {
        Association* a = nullptr;
        for (const auto& candidate : associations) {
          if (candidate->client.sin_port == from.sin_port &&
              candidate->client.sin_addr.s_addr == from.sin_addr.s_addr) {
            a = candidate.get();
          }
        }
        if (a == nullptr) {
          auto fresh = std::make_unique<Association>();
          fresh->id = static_cast<int>(associations.size()) + 1;
          fresh->client = from;
          fresh->upstream = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
          GrowBuffers(fresh->upstream);
          if (connect(fresh->upstream, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
            std::perror("dtls_sniff_relay: connect");
            return 1;
          }
          a = fresh.get();
          associations.push_back(std::move(fresh));
        }
        a->last_seen = now;
        a->from_client.FeedDatagram(buf.data(), static_cast<size_t>(n));
        send(a->upstream, buf.data(), static_cast<size_t>(n), 0);
      }
    }
    for (size_t i = 1; i < fds.size(); i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      Association& a = *associations[i - 1];
      ssize_t n = recv(a.upstream, buf.data(), buf.size(), 0);
      if (n < 0) continue;  // e.g. ECONNREFUSED: the target is not there (yet)
      a.last_seen = now;
      a.from_server.FeedDatagram(buf.data(), static_cast<size_t>(n));
      sendto(listener, buf.data(), static_cast<size_t>(n), 0,
             reinterpret_cast<const sockaddr*>(&a.client), sizeof a.client);
    }
    for (const auto& a : associations) {
      if (!a->reported && a->from_client.Done() && a->from_server.Done() &&
          now - a->last_seen > std::chrono::seconds(o.idle_s)) {
        write_report(*a);
      }
    }
  }
  for (const auto& a : associations) {
    if (!a->reported) write_report(*a);
  }
  std::fclose(log);
  return 0;
}

}  // namespace
}  // namespace sslshim::programs

int main(int argc, char** argv) { return sslshim::programs::Main(argc, argv); }
