// OpenSSL's names for SSL_ctrl / SSL_CTX_ctrl / *_callback_ctrl command numbers, for trace lines;
// generated at build time from OpenSSL's ssl.h and tls1.h (gen-ctrl-names.sh).
#pragma once

#include <string>

namespace sslshim {

// "SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB" for 72; "A|B" for a number with several names; nullptr for
// a number OpenSSL's headers do not define.
const char* CtrlCommandName(long cmd);

// "SSL_CTX_ctrl command SSL_CTRL_MODE (33)", or "... command 1234" for an unnamed number: how a
// refusal names the command it refused.
inline std::string CtrlCommandLabel(const char* func, long cmd) {
  const char* name = CtrlCommandName(cmd);
  std::string number = std::to_string(cmd);
  return std::string(func) + " command " +
         (name != nullptr ? std::string(name) + " (" + number + ")" : number);
}

}  // namespace sslshim
