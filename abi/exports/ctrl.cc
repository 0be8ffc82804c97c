// SSL_CTX_ctrl and SSL_ctrl: the functions under OpenSSL's ctrl macros (SSL_CTX_set_mode,
// SSL_CTX_set_min_proto_version, SSL_set_tlsext_host_name, ...), with OpenSSL's command numbers
// and OpenSSL's meanings; BoringSSL has no ctrl, so each command is a call on the backend.
// A command the shim does not serve fails as OpenSSL fails an unknown one (returns 0, nothing
// queued), with a one-time message naming it on stderr; one that restricts security also marks
// the object (core/fail_closed.h).
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include <optional>
#include <string>

#include "core/ctrl_names.h"
#include "core/errors.h"
#include "core/fail_closed.h"
#include "core/named_groups.h"
#include "core/signature_schemes.h"
#include "exports/cert_io.h"
#include "exports/dh_params.h"
#include "exports/dispatch.h"
#include "exports/dtls.h"
#include "exports/entry_point.h"
#include "exports/hello_info.h"
#include "exports/stapling_tickets.h"

namespace sslshim {
namespace {

// As OpenSSL answers a command it does not know: 0 and nothing on the error queue (measured; a
// stale error would turn a later SSL_get_error into SSL_ERROR_SSL). The shim says once (a refusal,
// core/trace.h) which command it was, by OpenSSL's name.
long Unsupported(const char* func, long cmd) {
  WarnOnce(CtrlCommandLabel(func, cmd).c_str(), "not supported by sslshim; the call returned 0");
  return 0;
}

// The ctrl commands that restrict a connection's security and that the shim does not serve yet:
// each fails as an unsupported command does and marks the object, so its connections refuse to
// handshake rather than go on without the restriction (core/fail_closed.h).
const char* UnservedSecurityCommand(int cmd) {
  switch (cmd) {
    case SSL_CTRL_SET_SIGALGS:
    case SSL_CTRL_SET_SIGALGS_LIST:
      return "signature algorithms (SSL_set1_sigalgs)";
    case SSL_CTRL_SET_CLIENT_SIGALGS:
    case SSL_CTRL_SET_CLIENT_SIGALGS_LIST:
      return "client signature algorithms (SSL_set1_client_sigalgs)";
    case SSL_CTRL_SET_VERIFY_CERT_STORE:
      return "the verification store (SSL_set1_verify_cert_store)";
    default:
      return nullptr;
  }
}

template <typename Object>
long UnsupportedCommand(Object* object, const char* func, int cmd) {
  if (const char* setting = UnservedSecurityCommand(cmd)) {
    MarkUnappliedSetting(object, func, std::string(setting) + " is not served by sslshim");
  }
  return Unsupported(func, cmd);
}

// "P-256:X25519" from OpenSSL NIDs (SSL_CTX_set1_groups).
std::string GroupNames(const int* nids, long count) {
  std::string names;
  for (long i = 0; i < count; i++) {
    const char* name = EC_curve_nid2nist(nids[i]);
    if (name == nullptr) name = OBJ_nid2sn(nids[i]);
    if (name == nullptr) return "";
    if (!names.empty()) names += ':';
    names += name;
  }
  return names;
}

// SSL_CTRL_SET_TMP_ECDH: the name of the EC key's curve, which becomes the only group (OpenSSL 3
// keeps no key, only its curve); nullopt, with ERR_R_PASSED_NULL_PARAMETER, for a null key.
std::optional<std::string> TmpEcdhGroup(const void* parg, const char* func) {
  const EC_KEY* key = static_cast<const EC_KEY*>(parg);
  const EC_GROUP* group = key != nullptr ? EC_KEY_get0_group(key) : nullptr;
  if (group == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return std::nullopt;
  }
  int nid = EC_GROUP_get_curve_name(group);
  return GroupNames(&nid, 1);
}

long SetGroups(Ctx* ctx, const std::string& names, const char* func) {
  bool ok = !names.empty() && ctx->backend->SetGroups(names.c_str());
  return FinishCtxCall(ctx, ok, SSL_R_UNSUPPORTED_ELLIPTIC_CURVE, func);
}

long SetConnGroups(Ssl* ssl, const std::string& names, const char* func) {
  bool ok = !names.empty() && ssl->conn->SetGroups(names.c_str());
  return FinishConnCall(ssl, ok, SSL_R_UNSUPPORTED_ELLIPTIC_CURVE, func);
}

long AddChainCertificate(Ctx* ctx, X509* x, bool add_reference, const char* func) {
  if (x == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  if (add_reference && !X509_up_ref(x)) return 0;
  ctx->extra_chain.push_back(x);
  // Installed with the leaf; a chain added before the leaf waits for it.
  if (ctx->certificate == nullptr) return 1;
  return UseCertificate(TargetOf(ctx), ctx->certificate, func);
}

long ReplaceChain(Ctx* ctx, STACK_OF(X509) * chain, bool copy, const char* func) {
  std::vector<X509*> certificates;
  for (int i = 0; i < sk_X509_num(chain); i++) {
    X509* x = sk_X509_value(chain, i);
    if (copy && !X509_up_ref(x)) {
      for (X509* taken : certificates) X509_free(taken);
      return 0;
    }
    certificates.push_back(x);
  }
  if (!copy) sk_X509_free(chain);  // set0 owns the stack and its certificates
  for (X509* x : ctx->extra_chain) X509_free(x);
  ctx->extra_chain = std::move(certificates);
  return ctx->certificate == nullptr ? 1 : UseCertificate(TargetOf(ctx), ctx->certificate, func);
}

long ChainCertificates(Ctx* ctx, int cmd, void* parg, const char* func) {
  if (cmd == SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS) {
    for (X509* x : ctx->extra_chain) X509_free(x);
    ctx->extra_chain.clear();
    return ctx->certificate == nullptr ? 1 : UseCertificate(TargetOf(ctx), ctx->certificate, func);
  }
  // SSL_CTX_get_extra_chain_certs: a stack the context owns, rebuilt from the list.
  sk_X509_pop_free(ctx->extra_chain_stack, X509_free);
  ctx->extra_chain_stack = sk_X509_new_null();
  for (X509* x : ctx->extra_chain) {
    if (ctx->extra_chain_stack != nullptr && X509_up_ref(x))
      sk_X509_push(ctx->extra_chain_stack, x);
  }
  *static_cast<STACK_OF(X509)**>(parg) = ctx->extra_chain_stack;
  return 1;
}

long CtxCtrl(Ctx* ctx, int cmd, long larg, void* parg) {
  static constexpr char kFunc[] = "SSL_CTX_ctrl";
  switch (cmd) {
    case SSL_CTRL_MODE:
      return ctx->mode |= larg;
    case SSL_CTRL_CLEAR_MODE:
      return ctx->mode &= ~larg;
    case SSL_CTRL_SET_MIN_PROTO_VERSION:
      if (!FinishCtxCall(ctx, ctx->backend->SetMinVersion(static_cast<int>(larg)),
                         SSL_R_UNSUPPORTED_PROTOCOL, kFunc)) {
        return 0;
      }
      ctx->min_version = larg;
      return 1;
    case SSL_CTRL_SET_MAX_PROTO_VERSION:
      if (!FinishCtxCall(ctx, ctx->backend->SetMaxVersion(static_cast<int>(larg)),
                         SSL_R_UNSUPPORTED_PROTOCOL, kFunc)) {
        return 0;
      }
      ctx->max_version = larg;
      return 1;
    case SSL_CTRL_GET_MIN_PROTO_VERSION:
      return ctx->min_version;
    case SSL_CTRL_GET_MAX_PROTO_VERSION:
      return ctx->max_version;
    case SSL_CTRL_SET_SESS_CACHE_MODE: {
      long old = ctx->session_cache_mode;
      ctx->session_cache_mode = larg;
      ctx->backend->SetSessionCacheMode(larg);
      return old;
    }
    case SSL_CTRL_GET_SESS_CACHE_MODE:
      return ctx->session_cache_mode;
    case SSL_CTRL_SET_SESS_CACHE_SIZE: {
      long old = ctx->session_cache_size;
      ctx->session_cache_size = larg;
      return old;
    }
    case SSL_CTRL_GET_SESS_CACHE_SIZE:
      return ctx->session_cache_size;
    case SSL_CTRL_SET_READ_AHEAD: {
      long old = ctx->read_ahead;
      ctx->read_ahead = larg;
      return old;
    }
    case SSL_CTRL_GET_READ_AHEAD:
      return ctx->read_ahead;
    case SSL_CTRL_SET_GROUPS_LIST:
      return SetGroups(ctx, parg != nullptr ? static_cast<const char*>(parg) : "", kFunc);
    case SSL_CTRL_SET_GROUPS:
      return SetGroups(ctx, GroupNames(static_cast<const int*>(parg), larg), kFunc);
    case SSL_CTRL_SET_TMP_ECDH: {  // SSL_CTX_set_tmp_ecdh: the key's curve becomes the only group
      std::optional<std::string> group = TmpEcdhGroup(parg, kFunc);
      return group ? SetGroups(ctx, *group, kFunc) : 0;
    }
    case SSL_CTRL_EXTRA_CHAIN_CERT:  // SSL_CTX_add_extra_chain_cert: takes the reference
      return AddChainCertificate(ctx, static_cast<X509*>(parg), false, kFunc);
    case SSL_CTRL_CHAIN_CERT:  // SSL_CTX_add0/add1_chain_cert (larg: 1 = add a reference)
      return AddChainCertificate(ctx, static_cast<X509*>(parg), larg != 0, kFunc);
    case SSL_CTRL_CHAIN:  // SSL_CTX_set0_chain / set1_chain (larg: 1 = the stack is copied)
      return ReplaceChain(ctx, static_cast<STACK_OF(X509)*>(parg), larg != 0, kFunc);
    case SSL_CTRL_GET_EXTRA_CHAIN_CERTS:
    case SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS:
      return ChainCertificates(ctx, cmd, parg, kFunc);
    case SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG:
      ctx->servername_arg = parg;
      return 1;
    case SSL_CTRL_SET_MSG_CALLBACK_ARG:
      ctx->msg_callback_arg = parg;
      return 1;
    case SSL_CTRL_SESS_NUMBER:
    case SSL_CTRL_SESS_CONNECT:
    case SSL_CTRL_SESS_CONNECT_GOOD:
    case SSL_CTRL_SESS_CONNECT_RENEGOTIATE:
    case SSL_CTRL_SESS_ACCEPT:
    case SSL_CTRL_SESS_ACCEPT_GOOD:
    case SSL_CTRL_SESS_ACCEPT_RENEGOTIATE:
    case SSL_CTRL_SESS_HIT:
    case SSL_CTRL_SESS_CB_HIT:
    case SSL_CTRL_SESS_MISSES:
    case SSL_CTRL_SESS_TIMEOUTS:
    case SSL_CTRL_SESS_CACHE_FULL:
      return SessionStatistic(*ctx->session_stats, cmd);
    case SSL_CTRL_SET_TMP_DH:  // SSL_CTX_set_tmp_dh (exports/dh_params.cc)
      return SetTmpDhCtrl(ctx->security_level, &ctx->tmp_dh, parg, kFunc);
    case SSL_CTRL_SET_DH_AUTO:
      // Finite-field DHE is not offered on any backend (BoringSSL has none): nothing to choose.
      return 1;
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG:  // OCSP (exports/stapling_tickets.cc)
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_CB:
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_CB_ARG:
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE:
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE:
      return StaplingCtxCtrl(ctx, cmd, larg, parg);
    case SSL_CTRL_SET_TLSEXT_TICKET_KEYS:  // exports/stapling_tickets.cc
    case SSL_CTRL_GET_TLSEXT_TICKET_KEYS:
      return TicketKeysCtrl(ctx, cmd, larg, parg);
    default:
      return UnsupportedCommand(ctx, kFunc, cmd);
  }
}

long SslCtrl(Ssl* ssl, int cmd, long larg, void* parg) {
  static constexpr char kFunc[] = "SSL_ctrl";
  switch (cmd) {
    case SSL_CTRL_MODE:
      ssl->mode |= larg;
      ssl->conn->SetMode(ssl->mode);
      return ssl->mode;
    case SSL_CTRL_CLEAR_MODE:
      ssl->mode &= ~larg;
      ssl->conn->SetMode(ssl->mode);
      return ssl->mode;
    case SSL_CTRL_SET_TLSEXT_HOSTNAME:
      if (larg != TLSEXT_NAMETYPE_host_name) {
        PushError(ERR_LIB_SSL, SSL_R_SSL3_EXT_INVALID_SERVERNAME_TYPE, kFunc);
        return 0;
      }
      return FinishConnCall(ssl, ssl->conn->SetHostName(static_cast<const char*>(parg)),
                            SSL_R_SSL3_EXT_INVALID_SERVERNAME, kFunc);
    case SSL_CTRL_SET_READ_AHEAD: {
      long old = ssl->read_ahead;
      ssl->read_ahead = larg;
      ssl->conn->SetReadAhead(larg != 0);
      return old;
    }
    case SSL_CTRL_GET_READ_AHEAD:
      return ssl->read_ahead;
    // The connection's own bounds, from the context at SSL_new, as in OpenSSL.
    case SSL_CTRL_SET_MIN_PROTO_VERSION:
      if (!FinishConnCall(ssl, ssl->conn->SetMinVersion(static_cast<int>(larg)),
                          SSL_R_UNSUPPORTED_PROTOCOL, kFunc)) {
        return 0;
      }
      ssl->min_version = larg;
      return 1;
    case SSL_CTRL_SET_MAX_PROTO_VERSION:
      if (!FinishConnCall(ssl, ssl->conn->SetMaxVersion(static_cast<int>(larg)),
                          SSL_R_UNSUPPORTED_PROTOCOL, kFunc)) {
        return 0;
      }
      ssl->max_version = larg;
      return 1;
    case SSL_CTRL_GET_MIN_PROTO_VERSION:
      return ssl->min_version;
    case SSL_CTRL_GET_MAX_PROTO_VERSION:
      return ssl->max_version;
    case SSL_CTRL_SET_GROUPS_LIST:
      return SetConnGroups(ssl, parg != nullptr ? static_cast<const char*>(parg) : "", kFunc);
    case SSL_CTRL_SET_GROUPS:
      return SetConnGroups(ssl, GroupNames(static_cast<const int*>(parg), larg), kFunc);
    case SSL_CTRL_SET_TMP_ECDH: {  // SSL_set_tmp_ecdh, as the context's
      std::optional<std::string> group = TmpEcdhGroup(parg, kFunc);
      return group ? SetConnGroups(ssl, *group, kFunc) : 0;
    }
    case SSL_CTRL_SET_MSG_CALLBACK_ARG:
      ssl->msg_callback_arg = parg;
      return 1;
    // DTLS (exports/dtls.cc has the functions). On a TLS connection each answers 0, as OpenSSL's.
    case DTLS_CTRL_GET_TIMEOUT:  // DTLSv1_get_timeout: 1 and the time left, or 0 (no timer)
      return DtlsGetTimeout(ssl, static_cast<struct timeval*>(parg));
    case DTLS_CTRL_HANDLE_TIMEOUT: {  // DTLSv1_handle_timeout: 1 resent, 0 not due, -1 failed
      int ret = ssl->conn->DtlsHandleTimeout();
      FinishConnCall(ssl, ret >= 0, 0, kFunc);
      return ret;
    }
    case SSL_CTRL_GET_PEER_SIGNATURE_NID: {  // SSL_get_peer_signature_nid: the digest
      const SignatureScheme* scheme = FindSignatureScheme(ssl->conn->PeerSignatureScheme());
      if (scheme == nullptr) return 0;
      *static_cast<int*>(parg) = scheme->hash_nid;
      return 1;
    }
    case SSL_CTRL_GET_NEGOTIATED_GROUP:  // SSL_get_negotiated_group: the group's NID, 0 if none
      return GroupNidOfCode(ssl->conn->NegotiatedGroup());
    case SSL_CTRL_GET_GROUPS: {  // SSL_get1_groups: the client's groups, as NIDs, into parg
      const std::vector<uint16_t> groups = ssl->conn->PeerGroups();
      if (parg != nullptr) {
        int* out = static_cast<int*>(parg);
        for (size_t i = 0; i < groups.size(); i++) out[i] = GroupNidOfCode(groups[i]);
      }
      return static_cast<long>(groups.size());
    }
    case SSL_CTRL_GET_RAW_CIPHERLIST: {
      // SSL_get0_raw_cipherlist: the ClientHello's cipher_suites bytes as sent (0 when there
      // are none: a client, or before a ClientHello); without parg, the size of one suite.
      if (parg == nullptr) return 2;
      const std::vector<uint16_t> suites = ssl->conn->PeerCipherSuites();
      if (suites.empty()) return 0;
      ssl->raw_cipher_list.clear();
      for (uint16_t suite : suites) {
        ssl->raw_cipher_list.push_back(static_cast<uint8_t>(suite >> 8));
        ssl->raw_cipher_list.push_back(static_cast<uint8_t>(suite & 0xff));
      }
      *static_cast<unsigned char**>(parg) = ssl->raw_cipher_list.data();
      return static_cast<long>(ssl->raw_cipher_list.size());
    }
    case SSL_CTRL_GET_PEER_TMP_KEY:  // the peer's key share (exports/hello_info.cc)
      return PeerTmpKeyCtrl(ssl, parg);
    case SSL_CTRL_GET_SHARED_GROUP:
      return SharedGroupCtrl(ssl, larg);
    case SSL_CTRL_GET_CLIENT_CERT_TYPES:
      return CertificateTypesCtrl(ssl, parg);
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_EXTS:
      return StatusRequestExtensionsCtrl(ssl, parg);
    case SSL_CTRL_SET_TLSEXT_DEBUG_ARG:  // SSL_set_tlsext_debug_arg
      ssl->tlsext_debug_arg = parg;
      return 1;
    case SSL_CTRL_GET_TOTAL_RENEGOTIATIONS:
      return ssl->conn->TotalRenegotiations();
    case SSL_CTRL_GET_RI_SUPPORT:  // SSL_get_secure_renegotiation_support
      return ssl->conn->SecureRenegotiationSupported() ? 1 : 0;
    case SSL_CTRL_SET_TMP_DH:  // SSL_set_tmp_dh (exports/dh_params.cc)
      return SetTmpDhCtrl(ssl->security_level, &ssl->tmp_dh, parg, kFunc);
    case SSL_CTRL_SET_DH_AUTO:  // as SSL_CTX_set_dh_auto
      return 1;
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE:  // OCSP (exports/stapling_tickets.cc)
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE:
    case SSL_CTRL_SET_TLSEXT_STATUS_REQ_OCSP_RESP:
    case SSL_CTRL_GET_TLSEXT_STATUS_REQ_OCSP_RESP:
      return StaplingSslCtrl(ssl, cmd, larg, parg);
    case SSL_CTRL_SET_MTU:  // SSL_set_mtu: the MTU, or 0 below the floor
      return FinishConnCall(ssl, ssl->conn->DtlsSetMtu(larg), 0, kFunc) ? larg : 0;
    case DTLS_CTRL_SET_LINK_MTU:
      return FinishConnCall(ssl, ssl->conn->DtlsSetLinkMtu(larg), 0, kFunc);
    case DTLS_CTRL_GET_LINK_MIN_MTU:
      return IsDatagram(ssl) ? kDtlsLinkMinMtu : 0;
    default:
      return UnsupportedCommand(ssl, kFunc, cmd);
  }
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_ctrl, 0, cmd, larg, parg) {
  return sslshim::CtxCtrl(ctx, cmd, larg, parg);
}

SSLSHIM_SSL_ENTRY(SSL_ctrl, 0, cmd, larg, parg) { return sslshim::SslCtrl(ssl, cmd, larg, parg); }
