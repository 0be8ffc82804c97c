#include "guards/fail_closed_guards.h"

#include <cstring>

namespace sslshim {
namespace {

struct GuardedSetting {
  const char* name;
  const char* setting;
};

constexpr char kCookie[] = "DTLS cookie verification";
constexpr char kExternalPsk[] = "TLS 1.3 external PSK authentication";
constexpr char kNotResumable[] = "the program's choice of sessions not to resume";

constexpr GuardedSetting kGuardedSettings[] = {
    {"SSL_CTX_set_cookie_verify_cb", kCookie},
    {"SSL_CTX_set_stateless_cookie_verify_cb", kCookie},
    // OpenSSL 3 would authenticate the TLS 1.3 handshake with the program's key; without it the
    // handshake would go on with certificates alone, or none.
    {"SSL_CTX_set_psk_find_session_callback", kExternalPsk},
    {"SSL_CTX_set_psk_use_session_callback", kExternalPsk},
    {"SSL_set_psk_find_session_callback", kExternalPsk},
    {"SSL_set_psk_use_session_callback", kExternalPsk},
    // The program keeps sessions without forward secrecy (or any it chooses) from being resumed.
    {"SSL_CTX_set_not_resumable_session_callback", kNotResumable},
    {"SSL_set_not_resumable_session_callback", kNotResumable},
};

}  // namespace

const char* GuardedSecuritySetting(const char* name) {
  for (const GuardedSetting& g : kGuardedSettings) {
    if (std::strcmp(g.name, name) == 0) return g.setting;
  }
  return nullptr;
}

}  // namespace sslshim
