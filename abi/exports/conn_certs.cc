// One connection's own certificate and key (SSL_use_*), and what it learnt of the peer's: the
// chain it sent, the chain verification built, the name it asked for.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>
#include <vector>

#include "core/errors.h"
#include "exports/cert_io.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"
#include "exports/security_level.h"

namespace sslshim {

CertTarget TargetOf(Ssl* ssl) {
  return {&ssl->certificate,
          &ssl->private_key,
          [ssl] { return ssl->SentChain(); },
          [ssl](const std::vector<std::vector<uint8_t>>& chain) {
            return ssl->conn()->UseCertificateChain(chain);
          },
          [ssl](const std::vector<uint8_t>& key) { return ssl->conn()->UsePrivateKey(key); },
          [ssl](bool ok, int reason, const char* func) {
            return FinishConnCall(ssl, ok, reason, func);
          },
          nullptr};
}

bool UseClientCertificate(Ssl* ssl, X509* x, EVP_PKEY* pkey) {
  return UseCertificate(TargetOf(ssl), x, "SSL_use_certificate") == 1 &&
         UsePrivateKey(TargetOf(ssl), pkey, "SSL_use_PrivateKey") == 1;
}

namespace {

STACK_OF(X509) * ChainObjects(const std::vector<std::vector<uint8_t>>& chain_der, size_t skip) {
  UniquePtr<STACK_OF(X509)> out(sk_X509_new_null());
  for (size_t i = skip; out != nullptr && i < chain_der.size(); i++) {
    const unsigned char* p = chain_der[i].data();
    UniquePtr<X509> x(d2i_X509(nullptr, &p, static_cast<long>(chain_der[i].size())));
    if (x == nullptr || !PushToStack(out.get(), std::move(x))) return nullptr;
  }
  return out.release();
}

}  // namespace
}  // namespace sslshim

using sslshim::Ssl;

SSLSHIM_SSL_ENTRY(SSL_use_certificate, 0, x) {
  return sslshim::UseCertificate(sslshim::TargetOf(ssl), x, "SSL_use_certificate");
}

SSLSHIM_SSL_ENTRY(SSL_use_certificate_file, 0, file, type) {
  static constexpr char kFunc[] = "SSL_use_certificate_file";
  sslshim::UniquePtr<X509> x =
      sslshim::ReadCertificateFile(file, type, ssl->passwd_callback, ssl->passwd_userdata, kFunc);
  return x != nullptr ? sslshim::UseCertificate(sslshim::TargetOf(ssl), x.get(), kFunc) : 0;
}

// As SSL_CTX_use_certificate_chain_file, for this connection alone: the leaf, and the rest of
// the file as the chain it sends instead of its context's.
SSLSHIM_SSL_ENTRY(SSL_use_certificate_chain_file, 0, file) {
  static constexpr char kFunc[] = "SSL_use_certificate_chain_file";
  sslshim::UniquePtr<X509> leaf;
  sslshim::UniquePtr<STACK_OF(X509)> rest;
  if (!sslshim::ReadChainFile(file, ssl->passwd_callback, ssl->passwd_userdata, &leaf, &rest,
                              kFunc)) {
    return 0;
  }
  ssl->cert_chain = std::move(rest);
  int ok = sslshim::UseCertificate(sslshim::TargetOf(ssl), leaf.get(), kFunc);
  return ok;
}

SSLSHIM_SSL_ENTRY(SSL_use_PrivateKey, 0, pkey) {
  return sslshim::UsePrivateKey(sslshim::TargetOf(ssl), pkey, "SSL_use_PrivateKey");
}

SSLSHIM_SSL_ENTRY(SSL_use_PrivateKey_file, 0, file, type) {
  static constexpr char kFunc[] = "SSL_use_PrivateKey_file";
  sslshim::UniquePtr<EVP_PKEY> pkey =
      sslshim::ReadPrivateKeyFile(file, type, ssl->passwd_callback, ssl->passwd_userdata, kFunc);
  return pkey != nullptr ? sslshim::UsePrivateKey(sslshim::TargetOf(ssl), pkey.get(), kFunc) : 0;
}

SSLSHIM_SSL_ENTRY(SSL_check_private_key, 0) {
  X509* certificate = ssl->Certificate();
  EVP_PKEY* key = ssl->PrivateKey();
  return sslshim::CheckPrivateKey(certificate, key, "SSL_check_private_key");
}

SSLSHIM_SSL_ENTRY(SSL_get_certificate, nullptr) { return ssl->Certificate(); }

SSLSHIM_SSL_ENTRY(SSL_get_privatekey, nullptr) { return ssl->PrivateKey(); }

SSLSHIM_SSL_ENTRY(SSL_get_peer_cert_chain, nullptr) {
  // OpenSSL's quirk: on a server the stack leaves out the client's leaf certificate.
  size_t skip = ssl->role == Ssl::Role::kServer ? 1 : 0;
  auto chain = ssl->conn()->PeerChainDer();
  if (chain.empty()) return nullptr;
  ssl->connection.peer_chain.reset(sslshim::ChainObjects(chain, skip));
  return ssl->connection.peer_chain.get();
}

SSLSHIM_SSL_ENTRY(SSL_get0_verified_chain, nullptr) { return ssl->connection.verified_chain.get(); }

// As OpenSSL 3's, NULL stands for the SSL_new context (its session_ctx).
SSLSHIM_SSL_ENTRY(SSL_set_SSL_CTX, nullptr, c) {
  sslshim::Ctx* next = ssl->session_ctx();
  if (c != nullptr) {
    auto target = sslshim::Resolve<sslshim::Ctx>(c, sslshim::HandleKind::kCtx);
    if (target.state != sslshim::HandleState::kLive) {
      sslshim::ReportInvalidHandle("SSL_set_SSL_CTX");
      return nullptr;
    }
    next = target.object;
  }
  if (next == ssl->ctx()) return next->api();
  if (!sslshim::FinishConnCall(ssl, ssl->conn()->SwitchCtx(next->backend()), ERR_R_INTERNAL_ERROR,
                               "SSL_set_SSL_CTX")) {
    return nullptr;
  }
  ssl->SwitchContext(next);
  ssl->CopyCertificateSettings(*next);
  // OpenSSL's copy of the new context's CERT holds its certificates and keys, not the ones set on
  // the connection, and its security level.
  ssl->certificate.reset();
  ssl->private_key.reset();
  if (ssl->security_level != next->security_level) {
    sslshim::ApplySecurityLevel(ssl, next->security_level, "SSL_set_SSL_CTX");
  }
  // OpenSSL's connection takes a copy of the new context's CERT, its callback with it.
  ssl->cert_callback = next->cert_callback;
  ssl->cert_arg = next->cert_arg;
  ssl->UpdateHooks();
  return next->api();
}

SSLSHIM_SSL_ENTRY(SSL_get_servername, nullptr, type) {
  if (type != TLSEXT_NAMETYPE_host_name) return nullptr;
  ssl->server_name = ssl->conn()->ServerName();
  return ssl->server_name.empty() ? nullptr : ssl->server_name.c_str();
}

SSLSHIM_SSL_ENTRY(SSL_get_servername_type, -1) {
  return ssl->conn()->ServerName().empty() ? -1 : TLSEXT_NAMETYPE_host_name;
}

namespace {

// A negotiated protocol as OpenSSL hands it out: a pointer the program reads after the call (so
// the bytes are kept on the connection, in `kept`), NULL and 0 when there is none. Replaced only
// when it changed, so a pointer from an earlier call stays good, as OpenSSL's does.
void HandOutProtocol(std::vector<uint8_t> protocol, std::vector<uint8_t>* kept,
                     const unsigned char** data, unsigned int* len) {
  if (*kept != protocol) *kept = std::move(protocol);
  *data = kept->empty() ? nullptr : kept->data();
  *len = static_cast<unsigned int>(kept->size());
}

}  // namespace

SSLSHIM_SSL_ENTRY(SSL_get0_alpn_selected, , data, len) {
  HandOutProtocol(ssl->conn()->AlpnSelected(), &ssl->alpn_selected, data, len);
}

SSLSHIM_SSL_ENTRY(SSL_get0_next_proto_negotiated, , data, len) {
  HandOutProtocol(ssl->conn()->NextProtoNegotiated(), &ssl->next_proto_negotiated, data, len);
}
