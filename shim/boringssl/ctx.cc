#include "boringssl/ctx.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pool.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <utility>

#include "boringssl/conn.h"
#include "boringssl/credentials.h"
#include "boringssl/error_translation.h"
#include "boringssl/mode_translation.h"
#include "boringssl/name_translation.h"
#include "boringssl/openssl3_constants.h"
#include "boringssl/session.h"
#include "boringssl/shared_settings.h"
#include "boringssl/ticket_anti_replay.h"

namespace sslshim::boringssl {
namespace {

int ToInt(long long value) { return static_cast<int>(value); }

int SessionCacheModeIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

void* ModeAsExData(long mode) { return reinterpret_cast<void*>(static_cast<intptr_t>(mode)); }

}  // namespace

long ProgramSessionCacheMode(const SSL_CTX* ctx) {
  return static_cast<long>(
      reinterpret_cast<intptr_t>(SSL_CTX_get_ex_data(ctx, SessionCacheModeIndex())));
}

std::unique_ptr<BoringSslCtx> BoringSslCtx::Create(const MethodSpec& method,
                                                   const ProgramBioOps* bio_ops,
                                                   std::vector<ErrorRecord>* errors) {
  ERR_clear_error();
  // Versions then count in each protocol's own numbering (DTLS1_2_VERSION is 0xfefd in both
  // libraries), so the method's and the program's bounds pass through unchanged.
  bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(method.datagram ? DTLS_method() : TLS_method()));
  if (!ctx) {
    DrainBoringSslErrors(errors);
    return nullptr;
  }
  // OpenSSL 3's default list has no 3DES; BoringSSL's ("ALL") has.
  if (!SSL_CTX_set_cipher_list(ctx.get(), CipherStringForBoringSsl("ALL").c_str())) {
    DrainBoringSslErrors(errors);
    return nullptr;
  }
  // OpenSSL makes a context's session-ticket keys when the context is made, so the processes a
  // server forks afterwards (nginx's workers) share them and resume each other's tickets;
  // BoringSSL would make them on first use, in each process. The shim seals tickets itself with
  // a key made here and never rotated (as OpenSSL keeps its own), and makes them single-use where
  // OpenSSL's would be (early data without SSL_OP_NO_ANTI_REPLAY): ticket_anti_replay.h.
  if (!InstallTicketProtection(ctx.get())) {
    DrainBoringSslErrors(errors);
    return nullptr;
  }
  std::unique_ptr<BoringSslCtx> result(new BoringSslCtx(std::move(ctx), method, bio_ops));
  // OpenSSL's default cache mode (SSL_SESS_CACHE_SERVER, BoringSSL's default too).
  result->SetSessionCacheMode(static_cast<long>(openssl3::kSSL_SESS_CACHE_SERVER));
  BoringSslConn::InstallContextHooks(result->ctx_.get());
  InstallRemovedSessionCollector(result->ctx_.get());
  if (!result->ApplyVersionBounds() || !result->ApplySignatureRules()) {
    result->TakeErrors(errors);
    return nullptr;
  }
  return result;
}

BoringSslCtx::BoringSslCtx(bssl::UniquePtr<SSL_CTX> ctx, const MethodSpec& method,
                           const ProgramBioOps* bio_ops)
    : ctx_(std::move(ctx)), method_(method), bio_ops_(bio_ops) {}

bool BoringSslCtx::Finish(bool ok) const {
  DrainBoringSslErrors(&errors_);
  return ok;
}

std::unique_ptr<BackendConn> BoringSslCtx::NewConn(ConnObserver* observer) {
  ERR_clear_error();
  bssl::UniquePtr<SSL> ssl(SSL_new(ctx_.get()));
  if (!ssl) {
    Finish(false);
    return nullptr;
  }
  ConnSettings settings;
  settings.endpoint = method_.endpoint;
  settings.verify_mode = verify_mode_;
  settings.forbid_renegotiation = OptionsForbidRenegotiation(options_);
  settings.num_tickets = num_tickets_;
  settings.max_early_data = max_early_data_;
  settings.recv_max_early_data = recv_max_early_data_;
  settings.no_anti_replay = (options_ & openssl3::kSSL_OP_NO_ANTI_REPLAY) != 0;
  settings.method_min_version = method_.min_version;
  settings.method_max_version = method_.max_version;
  settings.min_version = min_version_;
  settings.max_version = max_version_;
  settings.security_level = security_level_;
  settings.signature_algorithms = signature_algorithms_;
  settings.client_signature_algorithms = client_signature_algorithms_;
  settings.datagram = method_.datagram;
  settings.sid_ctx = sid_ctx_;
  settings.group_codes = group_codes_;
  settings.ca_names = ca_names_;
  return std::make_unique<BoringSslConn>(std::move(ssl), bio_ops_, observer, settings);
}

// --- Versions -----------------------------------------------------------------------------------

bool BoringSslCtx::ApplyVersionBounds() {
  int min = method_.min_version != 0 ? method_.min_version : min_version_;
  int max = method_.max_version != 0 ? method_.max_version : max_version_;
  min =
      RaiseMinVersion(min, SignatureRulesFor(security_level_, method_.datagram), method_.datagram);
  ERR_clear_error();
  bool ok =
      SSL_CTX_set_min_proto_version(ctx_.get(), static_cast<uint16_t>(BoringSslMinBound(min)));
  ok = ok && SSL_CTX_set_max_proto_version(ctx_.get(), static_cast<uint16_t>(max));
  return Finish(ok);
}

bool BoringSslCtx::SetMinVersion(int version) {
  int previous = min_version_;
  min_version_ = version;
  if (ApplyVersionBounds()) return true;
  min_version_ = previous;
  ApplyVersionBounds();
  return false;
}

bool BoringSslCtx::SetMethod(const MethodSpec& method) {
  const MethodSpec previous = method_;
  method_ = method;
  if (ApplyVersionBounds()) return true;
  method_ = previous;
  ApplyVersionBounds();
  return false;
}

bool BoringSslCtx::SetMaxVersion(int version) {
  if (RejectSsl3Ceiling(version, &errors_)) return false;
  int previous = max_version_;
  max_version_ = version;
  if (ApplyVersionBounds()) return true;
  max_version_ = previous;
  ApplyVersionBounds();
  return false;
}

// --- Options, ciphers, groups -------------------------------------------------------------------

void BoringSslCtx::SetOptions(uint64_t openssl_options) {
  options_ = openssl_options;
  SSL_CTX_clear_options(ctx_.get(), BoringSslOptionBitsWeTranslate());
  SSL_CTX_set_options(ctx_.get(), TranslateOptionsToBoringSsl(openssl_options));
}

bool BoringSslCtx::SetCipherList(const char* list) {
  // The tolerant setter, not SSL_CTX_set_strict_cipher_list: like OpenSSL it skips names it does
  // not know (suites BoringSSL dropped) and fails only when nothing usable is left; the strict
  // one would reject the whole string instead. OpenSSL-only commands are removed first.
  ERR_clear_error();
  if (Finish(SSL_CTX_set_cipher_list(ctx_.get(), CipherStringForBoringSsl(list).c_str()) == 1)) {
    return true;
  }
  NoteUnappliedCipherList(list, &errors_);
  return false;
}

bool BoringSslCtx::SetCiphersuites(const char* list) {
  return AcceptTls13CipherSuites(list, &errors_);
}

bool BoringSslCtx::SetGroups(const char* list) {
  std::string groups;
  if (!GroupListForBoringSsl(list, &groups, &errors_)) return false;
  ERR_clear_error();
  if (!Finish(SSL_CTX_set1_curves_list(ctx_.get(), groups.c_str()) == 1)) return false;
  group_codes_ = GroupCodesOf(groups);
  return true;
}

bool BoringSslCtx::SetSecurityLevel(int level) {
  if (!AcceptSecurityLevel(level, &errors_)) return false;
  security_level_ = level;
  return ApplyVersionBounds() && ApplySignatureRules();
}

bool BoringSslCtx::SetMaxSendFragment(size_t max) {
  ERR_clear_error();
  return Finish(SSL_CTX_set_max_send_fragment(ctx_.get(), max) == 1);
}

void BoringSslCtx::SetMaxCertList(size_t max) { SSL_CTX_set_max_cert_list(ctx_.get(), max); }

bool BoringSslCtx::SetSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  signature_algorithms_ = codes;
  return ApplySignatureRules();
}

// Connections apply it, knowing their end (the context's BoringSSL lists are the general ones).
bool BoringSslCtx::SetClientSignatureAlgorithms(const std::vector<uint16_t>& codes) {
  SignatureRules rules = SignatureRulesFor(security_level_, method_.datagram, codes);
  if (!ApplyableSignatureRules(rules, codes, &errors_)) return false;
  client_signature_algorithms_ = codes;
  return true;
}

bool BoringSslCtx::ApplySignatureRules() {
  SignatureRules rules =
      SignatureRulesFor(security_level_, method_.datagram, signature_algorithms_);
  if (!ApplyableSignatureRules(rules, signature_algorithms_, &errors_)) return false;
  ERR_clear_error();
  bool ok = SSL_CTX_set_verify_algorithm_prefs(ctx_.get(), rules.verify_prefs.data(),
                                               rules.verify_prefs.size()) &&
            SSL_CTX_set_signing_algorithm_prefs(ctx_.get(), rules.signing_prefs.data(),
                                                rules.signing_prefs.size());
  return Finish(ok);
}

// --- Certificates and keys ----------------------------------------------------------------------

bool BoringSslCtx::UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) {
  if (chain_der.empty()) {
    errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kERR_R_PASSED_NULL_PARAMETER), ""));
    return false;
  }
  ERR_clear_error();
  return Finish(InstallChain(ctx_.get(), chain_der));
}

bool BoringSslCtx::UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) {
  ERR_clear_error();
  int type = EVP_PKEY_NONE;
  if (!InstallKey(ctx_.get(), pkcs8_der, &type)) return Finish(false);
  UseKeyMethod(ctx_.get(), ProgramKeyMethodFor(type));
  return Finish(true);
}

// --- Sessions, ALPN -----------------------------------------------------------------------------

void BoringSslCtx::SetSessionCacheMode(long mode) {
  SSL_CTX_set_ex_data(ctx_.get(), SessionCacheModeIndex(), ModeAsExData(mode));
  // SSL_SESS_CACHE_CLIENT always: BoringSSL hands a client its TLS 1.3 tickets only through the
  // new-session callback, and only in that mode; the connection needs them for Get1Session
  // (OpenSSL's SSL_get1_session returns the ticketed session). A client's BoringSSL never uses
  // its internal cache, so the bit changes nothing else; the program's own callback still runs
  // only when the program's mode has SSL_SESS_CACHE_CLIENT (ProgramSessionCacheMode).
  SSL_CTX_set_session_cache_mode(
      ctx_.get(), TranslateSessionCacheModeToBoringSsl(mode) | SSL_SESS_CACHE_CLIENT);
}

bool BoringSslCtx::SetAlpnProtos(const uint8_t* wire, size_t len) {
  ERR_clear_error();
  // BoringSSL returns 0 on success here (OpenSSL's convention too); the core turns our bool into
  // OpenSSL's return value.
  return Finish(SSL_CTX_set_alpn_protos(ctx_.get(), wire, len) == 0);
}

void BoringSslCtx::EnableNextProtoCallbacks(bool advertise, bool select) {
  BoringSslConn::InstallNextProtoHooks(ctx_.get(), advertise, select);
}

// --- Client CA names, session settings ----------------------------------------------------------

bssl::UniquePtr<STACK_OF(CRYPTO_BUFFER)> ClientCaNameBuffers(
    const std::vector<std::vector<uint8_t>>& names_der, std::vector<ErrorRecord>* errors) {
  bssl::UniquePtr<STACK_OF(CRYPTO_BUFFER)> names(sk_CRYPTO_BUFFER_new_null());
  if (!names) return nullptr;
  for (const std::vector<uint8_t>& der : names_der) {
    // BoringSSL sends these bytes as they are: check each is one whole Name first, as OpenSSL's
    // stack of X509_NAME objects guarantees.
    const uint8_t* cursor = der.data();
    bssl::UniquePtr<X509_NAME> parsed(
        d2i_X509_NAME(nullptr, &cursor, static_cast<long>(der.size())));
    if (!parsed || cursor != der.data() + der.size()) {
      if (parsed) {
        errors->push_back(MakeSslErrorRecord(ToInt(openssl3::kERR_R_PASSED_INVALID_ARGUMENT),
                                             "BoringSSL: trailing bytes after a CA name"));
      }
      return nullptr;
    }
    bssl::UniquePtr<CRYPTO_BUFFER> buffer(CRYPTO_BUFFER_new(der.data(), der.size(), nullptr));
    if (!buffer || !bssl::PushToStack(names.get(), std::move(buffer))) return nullptr;
  }
  return names;
}

bool BoringSslCtx::InstallCaNames() {
  ERR_clear_error();
  bssl::UniquePtr<STACK_OF(CRYPTO_BUFFER)> names =
      ClientCaNameBuffers(CaNameLists::Sent(ca_names_->client_ca, ca_names_->ca), &errors_);
  if (!names) return Finish(false);
  SSL_CTX_set0_client_CAs(ctx_.get(), names.release());
  return Finish(true);
}

bool BoringSslCtx::SetClientCaNames(const std::vector<std::vector<uint8_t>>& names_der) {
  auto lists = std::make_shared<CaNameLists>(*ca_names_);
  lists->client_ca = names_der;
  auto previous = std::exchange(ca_names_, std::move(lists));
  if (InstallCaNames()) return true;
  ca_names_ = std::move(previous);
  return false;
}

// A client's CA list goes nowhere: BoringSSL's client sends no certificate_authorities extension.
bool BoringSslCtx::SetCaNames(const std::vector<std::vector<uint8_t>>* names_der) {
  auto lists = std::make_shared<CaNameLists>(*ca_names_);
  lists->ca = names_der != nullptr ? std::optional(*names_der) : std::nullopt;
  auto previous = std::exchange(ca_names_, std::move(lists));
  if (InstallCaNames()) return true;
  ca_names_ = std::move(previous);
  return false;
}

bool BoringSslCtx::SetSessionIdContext(const uint8_t* sid_ctx, size_t len) {
  ERR_clear_error();
  if (SSL_CTX_set_session_id_context(ctx_.get(), sid_ctx, len) != 1) return Finish(false);
  sid_ctx_.assign(sid_ctx, sid_ctx + len);
  return Finish(true);
}

void BoringSslCtx::SetSessionTimeout(long seconds) {
  // OpenSSL has one timeout for every version; BoringSSL keeps TLS 1.3's (PSK with (EC)DHE) apart.
  uint32_t timeout = seconds <= 0                 ? 0
                     : seconds > long{UINT32_MAX} ? UINT32_MAX
                                                  : static_cast<uint32_t>(seconds);
  SSL_CTX_set_timeout(ctx_.get(), timeout);
  SSL_CTX_set_session_psk_dhe_timeout(ctx_.get(), timeout);
}

bool BoringSslCtx::AddSession(const BackendSession* session) {
  const auto* ours = dynamic_cast<const BoringSslSession*>(session);
  if (ours == nullptr) return false;
  bool added = SSL_CTX_add_session(ctx_.get(), ours->get()) == 1;
  ERR_clear_error();  // "already there" is an answer, not an error
  return added;
}

bool BoringSslCtx::RemoveSession(const BackendSession* session) {
  const auto* ours = dynamic_cast<const BoringSslSession*>(session);
  return ours != nullptr && SSL_CTX_remove_session(ctx_.get(), ours->get()) == 1;
}

bool BoringSslCtx::SetNumTickets(size_t n) {
  // BoringSSL caps the count (at 16); OpenSSL would send any number.
  num_tickets_ = n;
  return SSL_CTX_set_num_tickets(ctx_.get(), n) == 1;
}

void BoringSslCtx::TakeErrors(std::vector<ErrorRecord>* out) {
  DrainBoringSslErrors(&errors_);
  for (ErrorRecord& record : errors_) out->push_back(std::move(record));
  errors_.clear();
}

}  // namespace sslshim::boringssl
