// What the real libssl does itself once asked: DTLS-SRTP profile lists and the profile negotiated,
// the TLS 1.3 early exporter, abbreviated renegotiation and TLS 1.3 block padding.
#include <openssl/ssl.h>

#include "openssl_conn.h"
#include "openssl_ctx.h"

namespace sslshim::openssl_backend {

// SSL_CTX_set_tlsext_use_srtp and SSL_set_tlsext_use_srtp answer 0 on success.
bool OpenSslCtx::SetSrtpProfiles(const char* profiles) {
  return real_.SSL_CTX_set_tlsext_use_srtp(ctx_, profiles) == 0;
}

bool OpenSslCtx::SetBlockPadding(size_t block_size) {
  return real_.SSL_CTX_set_block_padding(ctx_, block_size) == 1;
}

bool OpenSslConn::SetSrtpProfiles(const char* profiles) {
  return real_.SSL_set_tlsext_use_srtp(ssl_, profiles) == 0;
}

unsigned long OpenSslConn::SelectedSrtpProfile() const {
  const SRTP_PROTECTION_PROFILE* profile = real_.SSL_get_selected_srtp_profile(ssl_);
  return profile != nullptr ? profile->id : 0;
}

int OpenSslConn::ExportEarlyKeyingMaterial(uint8_t* out, size_t out_len, const char* label,
                                           size_t label_len, const uint8_t* context,
                                           size_t context_len) {
  return real_.SSL_export_keying_material_early(ssl_, out, out_len, label, label_len, context,
                                                context_len);
}

bool OpenSslConn::RenegotiateAbbreviated() { return real_.SSL_renegotiate_abbreviated(ssl_) == 1; }

bool OpenSslConn::SetBlockPadding(size_t block_size) {
  return real_.SSL_set_block_padding(ssl_, block_size) == 1;
}

}  // namespace sslshim::openssl_backend
