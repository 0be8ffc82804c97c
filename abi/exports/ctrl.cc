// SSL_CTX_ctrl and SSL_ctrl: the functions under OpenSSL's ctrl macros (SSL_CTX_set_mode,
// SSL_CTX_set_min_proto_version, SSL_set_tlsext_host_name, ...), with OpenSSL's command numbers
// and OpenSSL's meanings; BoringSSL has no ctrl, so each command is a call on the backend.
// A command the shim does not serve fails as OpenSSL fails an unknown one (returns 0, nothing
// queued), with a one-time message naming it on stderr. A setting BoringSSL cannot apply (Suite B
// mode) marks the object (core/fail_closed.h).
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <optional>
#include <string>

#include "core/ctrl_names.h"
#include "core/errors.h"
#include "core/fail_closed.h"
#include "core/named_groups.h"
#include "core/signature_schemes.h"
#include "exports/cert_io.h"
#include "exports/chain_ctrl.h"
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
  bool ok = !names.empty() && ctx->backend()->SetGroups(names.c_str());
  if (ok) ctx->groups = names;
  return FinishCtxCall(ctx, ok, SSL_R_UNSUPPORTED_ELLIPTIC_CURVE, func);
}

long SetConnGroups(Ssl* ssl, const std::string& names, const char* func) {
  bool ok = !names.empty() && ssl->conn()->SetGroups(names.c_str());
  if (ok) ssl->groups = names;
  return FinishConnCall(ssl, ok, SSL_R_UNSUPPORTED_ELLIPTIC_CURVE, func);
}

// The list of client authentication (SSL_set1_client_sigalgs) rather than the general one.
bool IsClientSignatureList(int cmd) {
  return cmd == SSL_CTRL_SET_CLIENT_SIGALGS || cmd == SSL_CTRL_SET_CLIENT_SIGALGS_LIST;
}

// SSL_CTRL_SET_(CLIENT_)SIGALGS(_LIST): the codes of the program's list, or nullopt when OpenSSL's
// parser rejects it (0, with what OpenSSL leaves on the queue: nothing, or the program's
// libcrypto's own complaint about a null list).
std::optional<std::vector<uint16_t>> SignatureAlgorithms(int cmd, long larg, void* parg) {
  std::vector<uint16_t> codes;
  bool ok = cmd == SSL_CTRL_SET_SIGALGS_LIST || cmd == SSL_CTRL_SET_CLIENT_SIGALGS_LIST
                ? ParseSignatureSchemeList(static_cast<const char*>(parg), &codes)
                : SignatureSchemesOfNidPairs(static_cast<const int*>(parg), larg, &codes);
  if (!ok || codes.empty()) return std::nullopt;
  return codes;
}

// SSL_CTX_set_cert_flags / SSL_set_cert_flags: OpenSSL answers with the flags now set. Suite B
// mode (SSL_CERT_FLAG_SUITEB_*) restricts suites, groups and signatures to RFC 6460's, which
// BoringSSL has no mode for: the object is marked (fail closed). SSL_CERT_FLAG_TLS_STRICT has
// OpenSSL hold its own chain to the peer's signature algorithms before sending it; the peer checks
// what it gets either way, so it is kept, not applied.
template <typename Object>
long SetCertFlags(Object* object, long flags, const char* func) {
  object->cert_flags = flags;
  if ((flags & SSL_CERT_FLAG_SUITEB_128_LOS) != 0) {
    MarkUnappliedSetting(object, func, "Suite B mode (SSL_CERT_FLAG_SUITEB_*): BoringSSL has none");
  }
  return flags;
}

// SSL_CTX_set_max_send_fragment's range, as OpenSSL checks it (0, nothing queued, outside it).
bool ValidMaxSendFragment(long larg) { return larg >= 512 && larg <= SSL3_RT_MAX_PLAIN_LENGTH; }

// The record-layer size commands a context and a connection share, with OpenSSL's checks and
// answers; nullopt for another command. The backend applies the send fragment and the
// certificate-list limit; `apply_fragment` / `apply_cert_list` reach the context's or the
// connection's.
template <typename ApplyFragment, typename ApplyCertList>
std::optional<long> RecordSizeCtrl(RecordSizes* sizes, int cmd, long larg,
                                   ApplyFragment apply_fragment, ApplyCertList apply_cert_list) {
  switch (cmd) {
    case SSL_CTRL_SET_MAX_SEND_FRAGMENT:
      if (!ValidMaxSendFragment(larg) || !apply_fragment(static_cast<size_t>(larg))) return 0;
      sizes->max_send_fragment = larg;
      sizes->split_send_fragment = std::min(sizes->split_send_fragment, larg);
      return 1;
    case SSL_CTRL_SET_SPLIT_SEND_FRAGMENT:
      if (larg <= 0 || larg > sizes->max_send_fragment) return 0;
      sizes->split_send_fragment = larg;
      return 1;
    case SSL_CTRL_SET_MAX_PIPELINES:
      if (larg < 1 || larg > SSL_MAX_PIPELINES) return 0;
      sizes->max_pipelines = larg;
      return 1;
    case SSL_CTRL_SET_MAX_CERT_LIST: {  // answers the old limit; 0 for a negative one
      if (larg < 0) return 0;
      const long old = sizes->max_cert_list;
      sizes->max_cert_list = larg;
      apply_cert_list(static_cast<size_t>(larg));
      return old;
    }
    case SSL_CTRL_GET_MAX_CERT_LIST:
      return sizes->max_cert_list;
    default:
      return std::nullopt;
  }
}

long CtxCtrl(Ctx* ctx, int cmd, long larg, void* parg) {
  static constexpr char kFunc[] = "SSL_CTX_ctrl";
  switch (cmd) {
    case SSL_CTRL_MODE:
      return ctx->mode |= larg;
    case SSL_CTRL_CLEAR_MODE:
      return ctx->mode &= ~larg;
    case SSL_CTRL_SET_MIN_PROTO_VERSION:
      if (!FinishCtxCall(ctx, ctx->backend()->SetMinVersion(static_cast<int>(larg)),
                         SSL_R_UNSUPPORTED_PROTOCOL, kFunc)) {
        return 0;
      }
      ctx->min_version = larg;
      return 1;
    case SSL_CTRL_SET_MAX_PROTO_VERSION:
      if (!FinishCtxCall(ctx, ctx->backend()->SetMaxVersion(static_cast<int>(larg)),
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
      ctx->backend()->SetSessionCacheMode(larg);
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
    case SSL_CTRL_SET_SIGALGS:                // SSL_CTX_set1_sigalgs: (digest, signature) NIDs
    case SSL_CTRL_SET_SIGALGS_LIST:           // SSL_CTX_set1_sigalgs_list: "RSA+SHA256:ed25519"
    case SSL_CTRL_SET_CLIENT_SIGALGS:         // SSL_CTX_set1_client_sigalgs
    case SSL_CTRL_SET_CLIENT_SIGALGS_LIST: {  // SSL_CTX_set1_client_sigalgs_list
      std::optional<std::vector<uint16_t>> codes = SignatureAlgorithms(cmd, larg, parg);
      if (!codes) return 0;
      bool ok = IsClientSignatureList(cmd) ? ctx->backend()->SetClientSignatureAlgorithms(*codes)
                                           : ctx->backend()->SetSignatureAlgorithms(*codes);
      if (ok && !IsClientSignatureList(cmd)) ctx->signature_algorithms = *codes;
      return FinishCtxCall(ctx, ok, SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM, kFunc);
    }
    case SSL_CTRL_CERT_FLAGS:
      return SetCertFlags(ctx, ctx->cert_flags | larg, kFunc);
    case SSL_CTRL_CLEAR_CERT_FLAGS:
      return ctx->cert_flags &= ~larg;
    case SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG:
      ctx->servername_arg = parg;
      return 1;
    case SSL_CTRL_SET_MSG_CALLBACK_ARG:
      ctx->msg_callback_arg = parg;
      return 1;
    case SSL_CTRL_SESS_NUMBER:  // the sessions the server cache holds
      return static_cast<long>(ctx->backend()->CachedSessions().size());
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
      return SessionStatistic(ctx->session_stats(), cmd);
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
      if (std::optional<long> answer = CtxChainCtrl(ctx, cmd, larg, parg, kFunc)) return *answer;
      if (std::optional<long> answer = RecordSizeCtrl(
              &ctx->record_sizes, cmd, larg,
              [&](size_t max) {
                return FinishCtxCall(ctx, ctx->backend()->SetMaxSendFragment(max),
                                     ERR_R_INTERNAL_ERROR, kFunc) == 1;
              },
              [&](size_t max) { ctx->backend()->SetMaxCertList(max); })) {
        return *answer;
      }
      return Unsupported(kFunc, cmd);
  }
}

long SslCtrl(Ssl* ssl, int cmd, long larg, void* parg) {
  static constexpr char kFunc[] = "SSL_ctrl";
  switch (cmd) {
    case SSL_CTRL_MODE:
      ssl->mode |= larg;
      ssl->conn()->SetMode(ssl->mode);
      return ssl->mode;
    case SSL_CTRL_CLEAR_MODE:
      ssl->mode &= ~larg;
      ssl->conn()->SetMode(ssl->mode);
      return ssl->mode;
    case SSL_CTRL_SET_TLSEXT_HOSTNAME:
      if (larg != TLSEXT_NAMETYPE_host_name) {
        PushError(ERR_LIB_SSL, SSL_R_SSL3_EXT_INVALID_SERVERNAME_TYPE, kFunc);
        return 0;
      }
      return FinishConnCall(ssl, ssl->conn()->SetHostName(static_cast<const char*>(parg)),
                            SSL_R_SSL3_EXT_INVALID_SERVERNAME, kFunc);
    case SSL_CTRL_SET_READ_AHEAD: {
      long old = ssl->read_ahead;
      ssl->read_ahead = larg;
      ssl->conn()->SetReadAhead(larg != 0);
      return old;
    }
    case SSL_CTRL_GET_READ_AHEAD:
      return ssl->read_ahead;
    // The connection's own bounds, from the context at SSL_new, as in OpenSSL.
    case SSL_CTRL_SET_MIN_PROTO_VERSION:
      if (!FinishConnCall(ssl, ssl->conn()->SetMinVersion(static_cast<int>(larg)),
                          SSL_R_UNSUPPORTED_PROTOCOL, kFunc)) {
        return 0;
      }
      ssl->min_version = larg;
      return 1;
    case SSL_CTRL_SET_MAX_PROTO_VERSION:
      if (!FinishConnCall(ssl, ssl->conn()->SetMaxVersion(static_cast<int>(larg)),
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
    case SSL_CTRL_SET_SIGALGS:  // as the context's
    case SSL_CTRL_SET_SIGALGS_LIST:
    case SSL_CTRL_SET_CLIENT_SIGALGS:
    case SSL_CTRL_SET_CLIENT_SIGALGS_LIST: {
      std::optional<std::vector<uint16_t>> codes = SignatureAlgorithms(cmd, larg, parg);
      if (!codes) return 0;
      bool ok = IsClientSignatureList(cmd) ? ssl->conn()->SetClientSignatureAlgorithms(*codes)
                                           : ssl->conn()->SetSignatureAlgorithms(*codes);
      if (ok && !IsClientSignatureList(cmd)) ssl->signature_algorithms = *codes;
      return FinishConnCall(ssl, ok, SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM, kFunc);
    }
    case SSL_CTRL_SET_MSG_CALLBACK_ARG:
      ssl->msg_callback_arg = parg;
      return 1;
    // DTLS (exports/dtls.cc has the functions). On a TLS connection each answers 0, as OpenSSL's.
    case DTLS_CTRL_GET_TIMEOUT:  // DTLSv1_get_timeout: 1 and the time left, or 0 (no timer)
      return DtlsGetTimeout(ssl, static_cast<struct timeval*>(parg));
    case DTLS_CTRL_HANDLE_TIMEOUT: {  // DTLSv1_handle_timeout: 1 resent, 0 not due, -1 failed
      int ret = ssl->conn()->DtlsHandleTimeout();
      FinishConnCall(ssl, ret >= 0, 0, kFunc);
      return ret;
    }
    case SSL_CTRL_GET_PEER_SIGNATURE_NID: {  // SSL_get_peer_signature_nid: the digest
      const SignatureScheme* scheme = FindSignatureScheme(ssl->conn()->PeerSignatureScheme());
      if (scheme == nullptr) return 0;
      *static_cast<int*>(parg) = scheme->hash_nid;
      return 1;
    }
    case SSL_CTRL_GET_EC_POINT_FORMATS: {  // SSL_get0_ec_point_formats: kept on the connection
      std::vector<uint8_t> formats;
      if (!ssl->conn()->PeerEcPointFormats(&formats)) return 0;
      if (ssl->peer_ec_point_formats != formats) ssl->peer_ec_point_formats = std::move(formats);
      *static_cast<const unsigned char**>(parg) = ssl->peer_ec_point_formats.data();
      return static_cast<long>(ssl->peer_ec_point_formats.size());
    }
    case SSL_CTRL_GET_SIGNATURE_NID: {  // SSL_get_signature_nid: the digest of this side's
      const SignatureScheme* scheme = FindSignatureScheme(ssl->conn()->OwnSignatureScheme());
      if (scheme == nullptr) return 0;
      *static_cast<int*>(parg) = scheme->hash_nid;
      return 1;
    }
    case SSL_CTRL_GET_NEGOTIATED_GROUP:  // SSL_get_negotiated_group: the group's NID, 0 if none
      return GroupNidOfCode(ssl->conn()->NegotiatedGroup());
    case SSL_CTRL_GET_GROUPS: {  // SSL_get1_groups: the client's groups, as NIDs, into parg
      const std::vector<uint16_t> groups = ssl->conn()->PeerGroups();
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
      const std::vector<uint16_t> suites = ssl->conn()->PeerCipherSuites();
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
      return ssl->conn()->TotalRenegotiations();
    case SSL_CTRL_GET_NUM_RENEGOTIATIONS:  // since the last SSL_clear_num_renegotiations
      return std::max(0L, ssl->conn()->TotalRenegotiations() - ssl->renegotiations_cleared);
    case SSL_CTRL_CLEAR_NUM_RENEGOTIATIONS: {  // answers the count it clears
      const long total = ssl->conn()->TotalRenegotiations();
      const long count = std::max(0L, total - ssl->renegotiations_cleared);
      ssl->renegotiations_cleared = total;
      return count;
    }
    case SSL_CTRL_GET_EXTMS_SUPPORT:  // -1 until a handshake is done
      if (!ssl->conn()->IsInitFinished()) return -1;
      return ssl->conn()->ExtendedMasterSecret() ? 1 : 0;
    case SSL_CTRL_CERT_FLAGS:
      return SetCertFlags(ssl, ssl->cert_flags | larg, kFunc);
    case SSL_CTRL_CLEAR_CERT_FLAGS:
      return ssl->cert_flags &= ~larg;
    case SSL_CTRL_GET_RI_SUPPORT:  // SSL_get_secure_renegotiation_support
      return ssl->conn()->SecureRenegotiationSupported() ? 1 : 0;
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
      return FinishConnCall(ssl, ssl->conn()->DtlsSetMtu(larg), 0, kFunc) ? larg : 0;
    case DTLS_CTRL_SET_LINK_MTU:
      return FinishConnCall(ssl, ssl->conn()->DtlsSetLinkMtu(larg), 0, kFunc);
    case DTLS_CTRL_GET_LINK_MIN_MTU:
      return IsDatagram(ssl) ? kDtlsLinkMinMtu : 0;
    default:
      if (std::optional<long> answer = SslChainCtrl(ssl, cmd, larg, parg, kFunc)) return *answer;
      if (std::optional<long> answer = RecordSizeCtrl(
              &ssl->record_sizes, cmd, larg,
              [&](size_t max) {
                return FinishConnCall(ssl, ssl->conn()->SetMaxSendFragment(max),
                                      ERR_R_INTERNAL_ERROR, kFunc) == 1;
              },
              [&](size_t max) { ssl->conn()->SetMaxCertList(max); })) {
        if (cmd == SSL_CTRL_SET_MAX_PIPELINES && larg > 1 && *answer == 1) {
          // OpenSSL turns read-ahead on for a connection that may pipeline.
          ssl->read_ahead = 1;
          ssl->conn()->SetReadAhead(true);
        }
        return *answer;
      }
      return Unsupported(kFunc, cmd);
  }
}

}  // namespace
}  // namespace sslshim

SSLSHIM_CTX_ENTRY(SSL_CTX_ctrl, 0, cmd, larg, parg) {
  return sslshim::CtxCtrl(ctx, cmd, larg, parg);
}

SSLSHIM_SSL_ENTRY(SSL_ctrl, 0, cmd, larg, parg) { return sslshim::SslCtrl(ssl, cmd, larg, parg); }
