// OpenSslConn: what the connection negotiated (peer chain, cipher, ALPN and NPN, server name,
// state, randoms, exported keying material) and its session, for resumption.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "cipher_info.h"
#include "core/named_groups.h"
#include "core/signature_schemes.h"
#include "der_objects.h"
#include "openssl_conn.h"
#include "openssl_session.h"

namespace sslshim::openssl_backend {
namespace {

// ALPN's or NPN's protocol, which `get` (the real SSL_get0_alpn_selected...) points at; empty for
// none.
template <typename Getter>
std::vector<uint8_t> NegotiatedProtocol(const SSL* ssl, Getter get) {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  get(ssl, &data, &len);
  if (data == nullptr) return {};
  return std::vector<uint8_t>(data, data + len);
}

}  // namespace

// SSL_get_peer_cert_chain holds the leaf on a client but not on a server (OpenSSL's documented
// quirk): a server's leaf is put in front here, so both sides give everything the peer sent.
std::vector<std::vector<uint8_t>> OpenSslConn::PeerChainDer() const {
  std::vector<std::vector<uint8_t>> chain;
  if (IsServer()) {
    X509* leaf = real_.SSL_get1_peer_certificate(ssl_);
    if (leaf == nullptr) return chain;
    const bool appended = AppendCertificateDer(leaf, &chain);
    X509_free(leaf);
    if (!appended) return {};
  }
  STACK_OF(X509)* sent = real_.SSL_get_peer_cert_chain(ssl_);
  const int count = sent == nullptr ? 0 : sk_X509_num(sent);
  for (int i = 0; i < count; ++i) {
    if (!AppendCertificateDer(sk_X509_value(sent, i), &chain)) return {};
  }
  return chain;
}

bool OpenSslConn::CurrentCipher(CipherInfo* out) const {
  const SSL_CIPHER* cipher = real_.SSL_get_current_cipher(ssl_);
  if (cipher == nullptr) return false;
  *out = DescribeCipher(real_, cipher);
  return true;
}

// SSL_get_ciphers: the connection's list, TLS 1.3 suites first, in preference order.
std::vector<CipherInfo> OpenSslConn::Ciphers() const {
  std::vector<CipherInfo> ciphers;
  STACK_OF(SSL_CIPHER)* list = real_.SSL_get_ciphers(ssl_);
  const int count = list == nullptr ? 0 : sk_SSL_CIPHER_num(list);
  for (int i = 0; i < count; ++i) {
    ciphers.push_back(DescribeCipher(real_, sk_SSL_CIPHER_value(list, i)));
  }
  return ciphers;
}

std::vector<uint8_t> OpenSslConn::AlpnSelected() const {
  return NegotiatedProtocol(ssl_, real_.SSL_get0_alpn_selected);
}

std::vector<uint8_t> OpenSslConn::NextProtoNegotiated() const {
  return NegotiatedProtocol(ssl_, real_.SSL_get0_next_proto_negotiated);
}

void OpenSslConn::Randoms(uint8_t client[kRandomSize], uint8_t server[kRandomSize]) const {
  static_assert(kRandomSize == SSL3_RANDOM_SIZE);
  real_.SSL_get_client_random(ssl_, client, kRandomSize);
  real_.SSL_get_server_random(ssl_, server, kRandomSize);
}

int OpenSslConn::ExportKeyingMaterial(uint8_t* out, size_t out_len, const char* label,
                                      size_t label_len, const uint8_t* context, size_t context_len,
                                      bool use_context) {
  return real_.SSL_export_keying_material(ssl_, out, out_len, label, label_len, context,
                                          context_len, use_context ? 1 : 0);
}

std::string OpenSslConn::ServerName() const {
  const char* name = real_.SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
  return name == nullptr ? std::string() : std::string(name);
}

const char* OpenSslConn::StateString(bool long_form) const {
  return long_form ? real_.SSL_state_string_long(ssl_) : real_.SSL_state_string(ssl_);
}

uint16_t OpenSslConn::PeerSignatureScheme() const {
  // OpenSSL 3.0 reports the peer's scheme only as nids; they name one code (or, for a PSS key,
  // two that report the same nids).
  int hash_nid = NID_undef;
  int sign_nid = NID_undef;
  if (real_.SSL_ctrl(ssl_, SSL_CTRL_GET_PEER_SIGNATURE_NID, 0, &hash_nid) != 1 ||
      real_.SSL_get_peer_signature_type_nid(ssl_, &sign_nid) != 1) {
    return 0;
  }
  const SignatureScheme* scheme = FindSignatureSchemeByNids(hash_nid, sign_nid);
  return scheme != nullptr ? scheme->code : 0;
}

std::vector<uint16_t> OpenSslConn::PeerSignatureSchemes() const {
  std::vector<uint16_t> schemes;
  const int count = real_.SSL_get_sigalgs(ssl_, -1, nullptr, nullptr, nullptr, nullptr, nullptr);
  for (int i = 0; i < count; ++i) {
    unsigned char sign = 0;
    unsigned char hash = 0;
    real_.SSL_get_sigalgs(ssl_, i, nullptr, nullptr, nullptr, &sign, &hash);
    schemes.push_back(static_cast<uint16_t>(hash << 8 | sign));
  }
  return schemes;
}

std::vector<std::vector<uint8_t>> OpenSslConn::PeerCaNamesDer() const {
  std::vector<std::vector<uint8_t>> names;
  const STACK_OF(X509_NAME)* list = real_.SSL_get0_peer_CA_list(ssl_);
  for (int i = 0; list != nullptr && i < sk_X509_NAME_num(list); ++i) {
    unsigned char* der = nullptr;
    int len = i2d_X509_NAME(sk_X509_NAME_value(list, i), &der);
    if (len <= 0) continue;
    names.emplace_back(der, der + len);
    OPENSSL_free(der);
  }
  return names;
}

bool OpenSslConn::SecureRenegotiationSupported() const {
  return real_.SSL_ctrl(ssl_, SSL_CTRL_GET_RI_SUPPORT, 0, nullptr) != 0;
}

// The real libssl answers with a NID; the code is the group's in the core's table.
uint16_t OpenSslConn::NegotiatedGroup() const {
  long nid = real_.SSL_ctrl(ssl_, SSL_CTRL_GET_NEGOTIATED_GROUP, 0, nullptr);
  return nid > 0 ? GroupCodeOfNid(static_cast<int>(nid)) : 0;
}

int OpenSslConn::TotalRenegotiations() const {
  return static_cast<int>(real_.SSL_ctrl(ssl_, SSL_CTRL_GET_TOTAL_RENEGOTIATIONS, 0, nullptr));
}

bool OpenSslConn::InBefore() const { return real_.SSL_in_before(ssl_) == 1; }

int OpenSslConn::ClientVersion() const { return real_.SSL_client_version(ssl_); }

// The real libssl's record of the client's suites (those it knows, as OpenSSL's own
// SSL_get_shared_ciphers reads them).
std::vector<uint16_t> OpenSslConn::PeerCipherSuites() const {
  std::vector<uint16_t> codes;
  STACK_OF(SSL_CIPHER)* offered = real_.SSL_get_client_ciphers(ssl_);
  for (int i = 0; offered != nullptr && i < sk_SSL_CIPHER_num(offered); i++) {
    codes.push_back(
        static_cast<uint16_t>(real_.SSL_CIPHER_get_id(sk_SSL_CIPHER_value(offered, i))));
  }
  return codes;
}

bool OpenSslConn::FindCipher(uint16_t code, CipherInfo* out) const {
  const unsigned char bytes[2] = {static_cast<unsigned char>(code >> 8),
                                  static_cast<unsigned char>(code & 0xff)};
  const SSL_CIPHER* cipher = real_.SSL_CIPHER_find(ssl_, bytes);
  if (cipher == nullptr) return false;
  *out = DescribeCipher(real_, cipher);
  return true;
}

// The real libssl answers with NIDs (unknown groups as TLSEXT_nid_unknown | code).
std::vector<uint16_t> OpenSslConn::PeerGroups() const {
  std::vector<uint16_t> codes;
  long count = real_.SSL_ctrl(ssl_, SSL_CTRL_GET_GROUPS, 0, nullptr);
  if (count <= 0) return codes;
  std::vector<int> nids(static_cast<size_t>(count));
  if (real_.SSL_ctrl(ssl_, SSL_CTRL_GET_GROUPS, 0, nids.data()) != count) return codes;
  for (int nid : nids) codes.push_back(GroupCodeOfNid(nid));
  return codes;
}

bool OpenSslConn::PeerEcPointFormats(std::vector<uint8_t>* formats) const {
  const unsigned char* data = nullptr;
  const long len = real_.SSL_ctrl(ssl_, SSL_CTRL_GET_EC_POINT_FORMATS, 0, &data);
  if (len <= 0 || data == nullptr) return false;
  formats->assign(data, data + len);
  return true;
}

std::vector<uint16_t> OpenSslConn::SharedGroups() const {
  std::vector<uint16_t> codes;
  const long count = real_.SSL_ctrl(ssl_, SSL_CTRL_GET_SHARED_GROUP, -1, nullptr);
  for (long i = 0; i < count; i++) {
    codes.push_back(GroupCodeOfNid(
        static_cast<int>(real_.SSL_ctrl(ssl_, SSL_CTRL_GET_SHARED_GROUP, i, nullptr))));
  }
  return codes;
}

// The real libssl's key, taken apart into its group and its encoding (the core makes the
// program's key from them again).
bool OpenSslConn::PeerKeyShare(uint16_t* group, std::vector<uint8_t>* public_key) const {
  EVP_PKEY* key = nullptr;
  if (real_.SSL_ctrl(ssl_, SSL_CTRL_GET_PEER_TMP_KEY, 0, &key) != 1 || key == nullptr) return false;
  int nid = EVP_PKEY_get_base_id(key);
  char name[80] = "";
  size_t name_len = 0;
  if (nid != EVP_PKEY_X25519 && nid != EVP_PKEY_X448) {
    nid = EVP_PKEY_get_group_name(key, name, sizeof name, &name_len) == 1 ? OBJ_sn2nid(name)
                                                                          : NID_undef;
  }
  unsigned char* encoded = nullptr;
  const size_t len = EVP_PKEY_get1_encoded_public_key(key, &encoded);
  EVP_PKEY_free(key);
  *group = GroupCodeOfNid(nid);
  public_key->assign(encoded, encoded + len);
  OPENSSL_free(encoded);
  return *group != 0 && len > 0;
}

// libssl answers 0 both without a request and for a TLS 1.3 one; only the latter sets the
// pointer (to NULL).
bool OpenSslConn::PeerCertificateTypes(std::vector<uint8_t>* types) const {
  static const unsigned char kUntouched = 0;
  const unsigned char* data = &kUntouched;
  const long len = real_.SSL_ctrl(ssl_, SSL_CTRL_GET_CLIENT_CERT_TYPES, 0, &data);
  if (len <= 0) {
    types->clear();
    return data == nullptr;
  }
  types->assign(data, data + len);
  return true;
}

std::vector<uint8_t> OpenSslConn::StatusRequestExtensionsDer() const {
  STACK_OF(X509_EXTENSION)* exts = nullptr;
  real_.SSL_ctrl(ssl_, SSL_CTRL_GET_TLSEXT_STATUS_REQ_EXTS, 0, &exts);
  if (exts == nullptr) return {};
  unsigned char* der = nullptr;
  const int len = i2d_X509_EXTENSIONS(exts, &der);
  std::vector<uint8_t> out;
  if (len > 0) out.assign(der, der + len);
  OPENSSL_free(der);
  return out;
}

HandshakeState OpenSslConn::GetHandshakeState() const {
  return static_cast<HandshakeState>(real_.SSL_get_state(ssl_));
}

std::unique_ptr<BackendSession> OpenSslConn::Get1Session() const {
  return OpenSslSession::Adopt(real_, real_.SSL_get1_session(ssl_));
}

// SSL_set_session takes its own reference; nullptr drops the SSL's session.
bool OpenSslConn::SetSession(const BackendSession* session) {
  if (session == nullptr) return real_.SSL_set_session(ssl_, nullptr) == 1;
  const auto* ours = dynamic_cast<const OpenSslSession*>(session);
  if (ours == nullptr) {
    ERR_raise_data(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT,
                   "sslshim: SSL_set_session with a session of another backend");
    return false;
  }
  return real_.SSL_set_session(ssl_, ours->get()) == 1;
}

bool OpenSslConn::SessionReused() const { return real_.SSL_session_reused(ssl_) == 1; }

// The real libssl keeps the connection's version itself.
bool OpenSslConn::HasMatchingSessionId(const uint8_t* id, size_t len,
                                       int /*initial_version*/) const {
  if (len > SSL_MAX_SSL_SESSION_ID_LENGTH) return false;
  return real_.SSL_has_matching_session_id(ssl_, id, static_cast<unsigned>(len)) == 1;
}

}  // namespace sslshim::openssl_backend
