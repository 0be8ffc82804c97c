// Per-connection settings of a BoringSslConn: SSL_set_options, SSL_set_cipher_list,
// SSL_set_ciphersuites, SSL_set1_groups_list, SSL_set_min/max_proto_version,
// SSL_use_certificate / SSL_use_PrivateKey, SSL_set_quiet_shutdown, SSL_set_alpn_protos,
// SSL_set_session_id_context.
#include <openssl/err.h>

#include <utility>

#include "boringssl/conn.h"
#include "boringssl/credentials.h"
#include "boringssl/error_translation.h"
#include "boringssl/mode_translation.h"
#include "boringssl/name_translation.h"
#include "boringssl/openssl3_constants.h"
#include "boringssl/shared_settings.h"

namespace sslshim::boringssl {

void BoringSslConn::SetOptions(uint64_t openssl_options) {
  no_anti_replay_ = (openssl_options & openssl3::kSSL_OP_NO_ANTI_REPLAY) != 0;
  tickets_withheld_ = false;  // the program's own SSL_OP_NO_TICKET decides from here
  SSL_clear_options(ssl_.get(), BoringSslOptionBitsWeTranslate());
  SSL_set_options(ssl_.get(), TranslateOptionsToBoringSsl(openssl_options));
  SSL_set_renegotiate_mode(ssl_.get(), OptionsForbidRenegotiation(openssl_options)
                                           ? ssl_renegotiate_never
                                           : ssl_renegotiate_freely);
}

bool BoringSslConn::SetAlpnProtos(const uint8_t* wire, size_t len) {
  ERR_clear_error();
  bool ok = SSL_set_alpn_protos(ssl_.get(), wire, static_cast<unsigned>(len)) == 0;  // 0: success
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::SetSessionIdContext(const uint8_t* sid_ctx, size_t len) {
  ERR_clear_error();
  bool ok = SSL_set_session_id_context(ssl_.get(), sid_ctx, len) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::RequestOcspStatus() {
  SSL_enable_ocsp_stapling(ssl_.get());
  return true;
}

bool BoringSslConn::RequestSignedCertTimestamps() {
  SSL_enable_signed_cert_timestamps(ssl_.get());
  return true;
}

std::vector<uint8_t> BoringSslConn::PeerSignedCertTimestamps() const {
  const uint8_t* list = nullptr;
  size_t len = 0;
  SSL_get0_signed_cert_timestamp_list(ssl_.get(), &list, &len);
  return std::vector<uint8_t>(list, list + len);
}

std::vector<uint8_t> BoringSslConn::OcspResponse() const {
  const uint8_t* der = nullptr;
  size_t len = 0;
  SSL_get0_ocsp_response(ssl_.get(), &der, &len);
  return std::vector<uint8_t>(der, der + len);
}

bool BoringSslConn::SetOcspResponse(const uint8_t* der, size_t len) {
  ERR_clear_error();
  bool ok = SSL_set_ocsp_response(ssl_.get(), der, len) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::SetCipherList(const char* list) {
  // Tolerant, as the context's (see BoringSslCtx::SetCipherList).
  ERR_clear_error();
  bool ok = SSL_set_cipher_list(ssl_.get(), CipherStringForBoringSsl(list).c_str()) == 1;
  DrainBoringSslErrors(&errors_);
  if (!ok) NoteUnappliedCipherList(list, &errors_);
  return ok;
}

bool BoringSslConn::UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) {
  if (chain_der.empty()) {
    errors_.push_back(
        MakeSslErrorRecord(static_cast<int>(openssl3::kERR_R_PASSED_NULL_PARAMETER), ""));
    return false;
  }
  ERR_clear_error();
  bool ok = InstallChain(ssl_.get(), chain_der);
  DrainBoringSslErrors(&errors_);
  return ok;
}

bool BoringSslConn::UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) {
  ERR_clear_error();
  int type = EVP_PKEY_NONE;
  bool ok = InstallKey(ssl_.get(), pkcs8_der, &type);
  if (ok) {
    // Set either way: the context's method, copied at SSL_new, would sign for this key too.
    UseKeyMethod(ssl_.get(), ProgramKeyMethodFor(type));
    own_key_ = true;
  }
  DrainBoringSslErrors(&errors_);
  return ok;
}

void BoringSslConn::SetQuietShutdown(bool quiet) { SSL_set_quiet_shutdown(ssl_.get(), quiet); }

bool BoringSslConn::ApplyVersionBounds() {
  int min = method_min_version_ != 0 ? method_min_version_ : min_version_;
  int max = method_max_version_ != 0 ? method_max_version_ : max_version_;
  min = RaiseMinVersion(min, SignatureRulesFor(security_level_, datagram_), datagram_);
  ERR_clear_error();
  bool ok = SSL_set_min_proto_version(ssl_.get(), static_cast<uint16_t>(BoringSslMinBound(min))) &&
            SSL_set_max_proto_version(ssl_.get(), static_cast<uint16_t>(max));
  DrainBoringSslErrors(&errors_);
  return ok;
}

// As the context's: a bound BoringSSL rejects leaves the previous one in force, and the errors
// say why.
bool BoringSslConn::SetBound(int* bound, int version) {
  int previous = *bound;
  *bound = version;
  if (ApplyVersionBounds()) return true;
  *bound = previous;
  std::vector<ErrorRecord> reasons;
  reasons.swap(errors_);
  ApplyVersionBounds();
  errors_.swap(reasons);
  return false;
}

bool BoringSslConn::SetMinVersion(int version) { return SetBound(&min_version_, version); }

bool BoringSslConn::SetMaxVersion(int version) {
  if (RejectSsl3Ceiling(version, &errors_)) return false;
  return SetBound(&max_version_, version);
}

bool BoringSslConn::SetCiphersuites(const char* list) {
  return AcceptTls13CipherSuites(list, &errors_);
}

bool BoringSslConn::SetGroups(const char* list) {
  std::string groups;
  if (!GroupListForBoringSsl(list, &groups, &errors_)) return false;
  ERR_clear_error();
  bool ok = SSL_set1_curves_list(ssl_.get(), groups.c_str()) == 1;
  DrainBoringSslErrors(&errors_);
  if (ok) group_codes_ = GroupCodesOf(groups);
  return ok;
}

}  // namespace sslshim::boringssl

namespace sslshim::boringssl {

bool BoringSslConn::SetSecurityLevel(int level) {
  if (!AcceptSecurityLevel(level, &errors_)) return false;
  security_level_ = level;
  if (!ApplyVersionBounds()) return false;
  return ApplySignatureRules();
}

bool BoringSslConn::SetMaxSendFragment(size_t max) {
  ERR_clear_error();
  bool ok = SSL_set_max_send_fragment(ssl_.get(), max) == 1;
  DrainBoringSslErrors(&errors_);
  return ok;
}

void BoringSslConn::SetMaxCertList(size_t max) { SSL_set_max_cert_list(ssl_.get(), max); }

bool BoringSslConn::ExtendedMasterSecret() const {
  // BoringSSL answers 1 for TLS 1.3, whose key schedule binds the transcript; OpenSSL 3 sets its
  // session's flag only when the extension was negotiated, which TLS 1.3 never does.
  return !IsTls13(ssl_.get()) && SSL_get_extms_support(ssl_.get()) == 1;
}

bool BoringSslConn::SetSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  signature_algorithms_ = codes;
  return ApplySignatureRules();
}

bool BoringSslConn::SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  std::vector<uint16_t> before = std::exchange(client_signature_algorithms_, codes);
  if (ApplySignatureRules()) return true;
  client_signature_algorithms_ = std::move(before);
  return false;
}

// The list for client authentication takes the general one's place where OpenSSL's
// tls12_get_psigalgs puts it: in what a server sends in its CertificateRequest (BoringSSL's
// verify list) and what a client signs with (its signing list).
bool BoringSslConn::ApplySignatureRules() {
  const bool client_auth_list = !client_signature_algorithms_.empty();
  const std::vector<uint16_t>& verify_list =
      client_auth_list && server_ ? client_signature_algorithms_ : signature_algorithms_;
  const std::vector<uint16_t>& signing_list =
      client_auth_list && !server_ ? client_signature_algorithms_ : signature_algorithms_;
  SignatureRules verify = SignatureRulesFor(security_level_, datagram_, verify_list);
  SignatureRules signing = SignatureRulesFor(security_level_, datagram_, signing_list);
  if (!ApplyableSignatureRules(verify, verify_list, &errors_) ||
      !ApplyableSignatureRules(signing, signing_list, &errors_)) {
    return false;
  }
  ERR_clear_error();
  bool ok = SSL_set_verify_algorithm_prefs(ssl_.get(), verify.verify_prefs.data(),
                                           verify.verify_prefs.size()) &&
            SSL_set_signing_algorithm_prefs(ssl_.get(), signing.signing_prefs.data(),
                                            signing.signing_prefs.size());
  signing_prefs_ = signing.signing_prefs;
  DrainBoringSslErrors(&errors_);
  return ok;
}

}  // namespace sslshim::boringssl
