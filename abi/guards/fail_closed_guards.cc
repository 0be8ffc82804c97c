#include "guards/fail_closed_guards.h"

#include <cstring>

namespace sslshim {
namespace {

struct GuardedSetting {
  const char* name;
  const char* setting;
};

constexpr char kDane[] = "DANE authentication";
constexpr char kCt[] = "certificate transparency validation";
constexpr char kSecurityCallback[] = "the program's security callback";
constexpr char kCookie[] = "DTLS cookie verification";

constexpr GuardedSetting kGuardedSettings[] = {
    // Enabling DANE on a context restricts nothing until a connection enables it (OpenSSL
    // verifies such a context's other connections as before).
    {"SSL_dane_enable", kDane},
    {"SSL_dane_set_flags", kDane},
    {"SSL_dane_tlsa_add", kDane},
    {"SSL_CTX_enable_ct", kCt},
    {"SSL_enable_ct", kCt},
    {"SSL_CTX_set_ct_validation_callback", kCt},
    {"SSL_set_ct_validation_callback", kCt},
    {"SSL_CTX_set_security_callback", kSecurityCallback},
    {"SSL_set_security_callback", kSecurityCallback},
    {"SSL_CTX_set_cookie_verify_cb", kCookie},
    {"SSL_CTX_set_stateless_cookie_verify_cb", kCookie},
};

}  // namespace

const char* GuardedSecuritySetting(const char* name) {
  for (const GuardedSetting& g : kGuardedSettings) {
    if (std::strcmp(g.name, name) == 0) return g.setting;
  }
  return nullptr;
}

}  // namespace sslshim
