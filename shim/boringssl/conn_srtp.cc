// DTLS-SRTP (RFC 5764's use_srtp extension) on BoringSSL: the profile lists of a context and a
// connection, and the profile a handshake negotiated. The core has already checked each list as
// OpenSSL 3 does (known names only, no duplicates); BoringSSL knows the same four profile names.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "boringssl/conn.h"
#include "boringssl/ctx.h"
#include "boringssl/error_translation.h"

namespace sslshim::boringssl {

bool BoringSslCtx::SetSrtpProfiles(const char* profiles) {
  ERR_clear_error();
  return Finish(SSL_CTX_set_srtp_profiles(ctx_.get(), profiles) == 1);
}

bool BoringSslConn::SetSrtpProfiles(const char* profiles) {
  ERR_clear_error();
  bool ok = SSL_set_srtp_profiles(ssl_.get(), profiles) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

unsigned long BoringSslConn::SelectedSrtpProfile() const {
  const SRTP_PROTECTION_PROFILE* profile = SSL_get_selected_srtp_profile(ssl_.get());
  return profile != nullptr ? profile->id : 0;
}

}  // namespace sslshim::boringssl
