// DTLS-SRTP (RFC 5764's use_srtp extension), OpenSSL 3's way (ssl/d1_srtp.c): a list of profile
// names separated by ':' ("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM"), set on a context or a
// connection with an inverted answer (0: success), read back as a stack of OpenSSL's
// SRTP_PROTECTION_PROFILE structs, and the profile the handshake chose. The profiles handed out
// are the static ones below, so their pointers stay valid and compare equal for the life of the
// process, as OpenSSL's do; the backend is given the checked names and answers with the chosen
// profile's number.
#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>

#include <cstring>

#include "core/errors.h"
#include "exports/entry_point.h"

namespace {

// OpenSSL 3's profiles, in its order; BoringSSL has the same four.
SRTP_PROTECTION_PROFILE kProfiles[] = {
    {"SRTP_AES128_CM_SHA1_80", SRTP_AES128_CM_SHA1_80},
    {"SRTP_AES128_CM_SHA1_32", SRTP_AES128_CM_SHA1_32},
    {"SRTP_AEAD_AES_128_GCM", SRTP_AEAD_AES_128_GCM},
    {"SRTP_AEAD_AES_256_GCM", SRTP_AEAD_AES_256_GCM},
};

using ProfileList = sslshim::UniquePtr<STACK_OF(SRTP_PROTECTION_PROFILE)>;

SRTP_PROTECTION_PROFILE* FindProfile(const char* name, size_t len) {
  for (SRTP_PROTECTION_PROFILE& profile : kProfiles) {
    if (std::strlen(profile.name) == len && std::strncmp(profile.name, name, len) == 0) {
      return &profile;
    }
  }
  return nullptr;
}

// OpenSSL's parse: every name must be one it knows, exactly (case and all), and appear once; an
// empty name (an empty list, a leading or trailing ':') is unknown. Null, with OpenSSL's reason
// queued, when the list is refused.
ProfileList ParseProfiles(const char* list, const char* func) {
  ProfileList profiles(sk_SRTP_PROTECTION_PROFILE_new_null());
  if (profiles == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, SSL_R_SRTP_COULD_NOT_ALLOCATE_PROFILES, func);
    return nullptr;
  }
  const char* name = list;
  for (;;) {
    const char* colon = std::strchr(name, ':');
    const size_t len = colon != nullptr ? static_cast<size_t>(colon - name) : std::strlen(name);
    SRTP_PROTECTION_PROFILE* profile = FindProfile(name, len);
    if (profile == nullptr) {
      sslshim::PushError(ERR_LIB_SSL, SSL_R_SRTP_UNKNOWN_PROTECTION_PROFILE, func);
      return nullptr;
    }
    for (int i = 0; i < sk_SRTP_PROTECTION_PROFILE_num(profiles.get()); ++i) {
      if (sk_SRTP_PROTECTION_PROFILE_value(profiles.get(), i) == profile) {
        sslshim::PushError(ERR_LIB_SSL, SSL_R_BAD_SRTP_PROTECTION_PROFILE_LIST, func);
        return nullptr;
      }
    }
    if (sk_SRTP_PROTECTION_PROFILE_push(profiles.get(), profile) == 0) {
      sslshim::PushError(ERR_LIB_SSL, SSL_R_SRTP_COULD_NOT_ALLOCATE_PROFILES, func);
      return nullptr;
    }
    if (colon == nullptr) return profiles;
    name = colon + 1;
  }
}

// 0 when `list` is now the object's (`apply` gave it to the backend), else 1 with the reason
// queued and the previous list kept, as OpenSSL's. OpenSSL reads a null list as a string (and
// crashes); the shim refuses it.
template <typename Apply>
int SetProfiles(const char* list, ProfileList* slot, const char* func, Apply apply) {
  if (list == nullptr) {
    sslshim::PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 1;
  }
  ProfileList profiles = ParseProfiles(list, func);
  if (profiles == nullptr || !apply(list)) return 1;
  *slot = std::move(profiles);
  return 0;
}

}  // namespace

SSLSHIM_CTX_ENTRY(SSL_CTX_set_tlsext_use_srtp, 1, profiles) {
  return SetProfiles(profiles, &ctx->srtp_profiles, "SSL_CTX_set_tlsext_use_srtp",
                     [ctx](const char* list) {
                       return sslshim::FinishCtxCall(ctx, ctx->backend()->SetSrtpProfiles(list),
                                                     SSL_R_SRTP_COULD_NOT_ALLOCATE_PROFILES,
                                                     "SSL_CTX_set_tlsext_use_srtp") == 1;
                     });
}

SSLSHIM_SSL_ENTRY(SSL_set_tlsext_use_srtp, 1, profiles) {
  return SetProfiles(profiles, &ssl->srtp_profiles, "SSL_set_tlsext_use_srtp",
                     [ssl](const char* list) {
                       return sslshim::FinishConnCall(ssl, ssl->conn()->SetSrtpProfiles(list),
                                                      SSL_R_SRTP_COULD_NOT_ALLOCATE_PROFILES,
                                                      "SSL_set_tlsext_use_srtp") == 1;
                     });
}

// The connection's own list, else its current context's (after SSL_set_SSL_CTX, the new one's),
// else null: the stack OpenSSL's object holds, not a copy.
SSLSHIM_SSL_ENTRY(SSL_get_srtp_profiles, nullptr) {
  if (ssl->srtp_profiles != nullptr) return ssl->srtp_profiles.get();
  return ssl->ctx() != nullptr ? ssl->ctx()->srtp_profiles.get() : nullptr;
}

// Null until a DTLS handshake has agreed on a profile.
SSLSHIM_SSL_ENTRY(SSL_get_selected_srtp_profile, nullptr) {
  const unsigned long id = ssl->conn()->SelectedSrtpProfile();
  for (SRTP_PROTECTION_PROFILE& profile : kProfiles) {
    if (id != 0 && profile.id == id) return &profile;
  }
  return nullptr;
}
