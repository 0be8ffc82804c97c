// What tls_sniff_relay (TCP) and dtls_sniff_relay (UDP) share: the common command-line options,
// the loopback socket and port file the test scripts wait for, the JSON of the evidence line, and
// the rule that combines the two kinds of ClientHello evidence into one verdict.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hello_sniffer.h"
#include "testsupport/json.h"
#include "testsupport/tls_stack.h"

namespace sslshim::programs {

struct RelayOptions {
  std::string target_host;
  int target_port = 0;
  std::string port_file;
  std::string log_file;
  unsigned lifetime_s = 600;
};

// Prints the usage line and exits with status 2.
[[noreturn]] void RelayUsage(const char* usage);

// Options come as "--key value" pairs. Parses --target HOST:PORT, --port-file, --log and
// --lifetime-s into *o; any other key goes to tool_option, which returns false if it does not know
// it. Exits through RelayUsage on an unknown key or a missing --target, --port-file or --log.
using ToolOption = std::function<bool(const std::string& key, const std::string& value)>;
void ParseRelayOptions(int argc, char** argv, const char* usage, const ToolOption& tool_option,
                       RelayOptions* o);

// The target as an IPv4 address ("localhost" is 127.0.0.1). False if it is not one.
bool TargetAddress(const RelayOptions& o, sockaddr_in* target);

// A socket of the given type bound to an ephemeral loopback port; -1 on failure (errno set).
int BindLoopback(int type, uint16_t* port);

// Writes the port through a rename, so a script polling for the file never reads half a number.
void WritePortFile(const std::string& path, uint16_t port);

std::string JsonList(const std::vector<int64_t>& values);
std::string JsonList(const std::vector<std::string>& values);

// The ClientHello's verdict from its groups, refined by its extensions: a program may choose the
// groups itself, and then the extensions still tell. (They may also say nothing: BoringSSL
// limited to TLS 1.3 sends no renegotiation_info.) If the two disagree, the stack is
// "contradictory": trust neither. Without a complete ClientHello the stack is "unknown".
struct ClientStackVerdict {
  std::string stack;
  std::string reason;
};
ClientStackVerdict ClassifyClientSide(const ClientHelloSeen& ch);

}  // namespace sslshim::programs
