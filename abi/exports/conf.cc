// SSL_CONF_*: OpenSSL's configuration commands ("Options -SessionTicket", "MinProtocol TLSv1.2",
// nginx's ssl_conf_command), with OpenSSL 3's command table, flags and return values
// (ssl/ssl_conf.c). An SSL_CONF_CTX of ours holds only names and flags: each command is applied
// through the shim's own exported setters on the SSL_CTX or SSL it was given, so a setting the
// shim cannot honour fails here exactly as it fails when the program calls the setter itself.
//
// An SSL_CONF_CTX the real libssl made (its own config module calls SSL_CONF_CTX_new through its
// PLT when it loads openssl.cnf) is forwarded, as every foreign object is.
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <strings.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "exports/dispatch.h"
#include "exports/entry_point.h"

namespace sslshim {

struct ConfCtx {
  void* handle = nullptr;
  unsigned int flags = 0;
  bool has_prefix = false;
  std::string prefix;
  // What the commands act on (at most one is set), as the program's handles: every command
  // resolves them again, so a freed one fails instead of being used.
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  // The program set an SSL_CTX or SSL of the real libssl on our SSL_CONF_CTX: we cannot apply
  // commands to it, and must not pretend to.
  bool foreign_target = false;
  // SSL_CONF_FLAG_REQUIRE_PRIVATE: the last Certificate file, where finish looks for the key.
  std::string certificate_file;
  // The stores ChainCA* and VerifyCA* load into, accumulated as OpenSSL accumulates them.
  UniquePtr<X509_STORE> chain_store;
  UniquePtr<X509_STORE> verify_store;

  bool HasTarget() const { return ctx != nullptr || ssl != nullptr; }
};

namespace {

constexpr char kCmdFunc[] = "SSL_CONF_cmd";

// Commands the shim recognises but cannot honour with its backend: fail, never pretend.
int Refuse(const char* command, const char* why) {
  std::string message = std::string("sslshim: ") + command + ": " + why;
  PushError(ERR_LIB_SSL, SSL_R_BAD_VALUE, kCmdFunc, message.c_str());
  WarnOnce((std::string("SSL_CONF_cmd ") + command).c_str(), why);
  return 0;
}

// Option words, as ssl_conf.c's tables: SSL_TFLAG_* bits above the SSL_CONF_FLAG_* ones.
constexpr unsigned kInvert = 0x1;      // the name clears the bits ("SessionTicket": NO_TICKET)
constexpr unsigned kCertFlag = 0x100;  // a cert_flags bit, which the shim has no setter for
constexpr unsigned kVerifyFlag = 0x200;
constexpr unsigned kBoth = SSL_CONF_FLAG_CLIENT | SSL_CONF_FLAG_SERVER;

struct NamedBits {
  const char* name;
  unsigned flags;  // kInvert/kVerifyFlag and the sides (kBoth bits) the name applies to
  uint64_t value;
};

// Sets or clears option (or verify-mode) bits on the target through the shim's setters.
int ApplyBits(ConfCtx* conf, unsigned flags, uint64_t value, bool on) {
  if (flags & kInvert) on = !on;
  if (flags & kCertFlag) return Refuse("strict", "certificate flags are not offered by sslshim");
  if (flags & kVerifyFlag) {
    if (conf->ctx != nullptr) {
      int mode = SSL_CTX_get_verify_mode(conf->ctx);
      mode = on ? mode | static_cast<int>(value) : mode & ~static_cast<int>(value);
      SSL_CTX_set_verify(conf->ctx, mode, SSL_CTX_get_verify_callback(conf->ctx));
    } else if (conf->ssl != nullptr) {
      int mode = SSL_get_verify_mode(conf->ssl);
      mode = on ? mode | static_cast<int>(value) : mode & ~static_cast<int>(value);
      SSL_set_verify(conf->ssl, mode, SSL_get_verify_callback(conf->ssl));
    }
    return 1;
  }
  if (conf->ctx != nullptr && on) SSL_CTX_set_options(conf->ctx, value);
  if (conf->ctx != nullptr && !on) SSL_CTX_clear_options(conf->ctx, value);
  if (conf->ssl != nullptr && on) SSL_set_options(conf->ssl, value);
  if (conf->ssl != nullptr && !on) SSL_clear_options(conf->ssl, value);
  return 1;
}

struct BitList {
  ConfCtx* conf;
  const NamedBits* table;
  size_t size;
};

// CONF_parse_list's callback: one "+Name", "-Name" or "Name" of a list (ssl_set_option_list).
int ApplyListElement(const char* elem, int len, void* arg) {
  auto* list = static_cast<BitList*>(arg);
  if (elem == nullptr) return 0;
  bool on = true;
  if (len > 0 && (*elem == '+' || *elem == '-')) {
    on = *elem == '+';
    elem++;
    len--;
  }
  for (size_t i = 0; i < list->size; i++) {
    const NamedBits& entry = list->table[i];
    if ((list->conf->flags & entry.flags & kBoth) == 0) continue;  // not for this side
    if (std::strlen(entry.name) != static_cast<size_t>(len)) continue;
    if (strncasecmp(entry.name, elem, len) != 0) continue;
    return ApplyBits(list->conf, entry.flags, entry.value, on);
  }
  return 0;
}

template <size_t N>
int ApplyList(ConfCtx* conf, const char* value, const NamedBits (&table)[N]) {
  BitList list{conf, table, N};
  return CONF_parse_list(value, ',', 1, ApplyListElement, &list);
}

int CmdProtocol(ConfCtx* conf, const char* value) {
  static constexpr NamedBits kProtocols[] = {
      {"ALL", kInvert | kBoth, SSL_OP_NO_SSL_MASK},
      {"SSLv2", kInvert | kBoth, SSL_OP_NO_SSLv2},
      {"SSLv3", kInvert | kBoth, SSL_OP_NO_SSLv3},
      {"TLSv1", kInvert | kBoth, SSL_OP_NO_TLSv1},
      {"TLSv1.1", kInvert | kBoth, SSL_OP_NO_TLSv1_1},
      {"TLSv1.2", kInvert | kBoth, SSL_OP_NO_TLSv1_2},
      {"TLSv1.3", kInvert | kBoth, SSL_OP_NO_TLSv1_3},
      {"DTLSv1", kInvert | kBoth, SSL_OP_NO_DTLSv1},
      {"DTLSv1.2", kInvert | kBoth, SSL_OP_NO_DTLSv1_2},
  };
  return ApplyList(conf, value, kProtocols);
}

int CmdOptions(ConfCtx* conf, const char* value) {
  static constexpr unsigned kServer = SSL_CONF_FLAG_SERVER;
  static constexpr NamedBits kOptions[] = {
      {"SessionTicket", kInvert | kBoth, SSL_OP_NO_TICKET},
      {"EmptyFragments", kInvert | kBoth, SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS},
      {"Bugs", kBoth, SSL_OP_ALL},
      {"Compression", kInvert | kBoth, SSL_OP_NO_COMPRESSION},
      {"ServerPreference", kServer, SSL_OP_CIPHER_SERVER_PREFERENCE},
      {"NoResumptionOnRenegotiation", kServer, SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION},
      {"DHSingle", kServer, SSL_OP_SINGLE_DH_USE},
      {"ECDHSingle", kServer, SSL_OP_SINGLE_ECDH_USE},
      {"UnsafeLegacyRenegotiation", kBoth, SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION},
      {"UnsafeLegacyServerConnect", kBoth, SSL_OP_LEGACY_SERVER_CONNECT},
      {"ClientRenegotiation", kBoth, SSL_OP_ALLOW_CLIENT_RENEGOTIATION},
      {"EncryptThenMac", kInvert | kBoth, SSL_OP_NO_ENCRYPT_THEN_MAC},
      {"NoRenegotiation", kBoth, SSL_OP_NO_RENEGOTIATION},
      {"AllowNoDHEKEX", kBoth, SSL_OP_ALLOW_NO_DHE_KEX},
      {"PrioritizeChaCha", kBoth, SSL_OP_PRIORITIZE_CHACHA},
      {"MiddleboxCompat", kBoth, SSL_OP_ENABLE_MIDDLEBOX_COMPAT},
      {"AntiReplay", kInvert | kBoth, SSL_OP_NO_ANTI_REPLAY},
      {"ExtendedMasterSecret", kInvert | kBoth, SSL_OP_NO_EXTENDED_MASTER_SECRET},
      {"CANames", kInvert | kBoth, SSL_OP_DISABLE_TLSEXT_CA_NAMES},
      {"KTLS", kBoth, SSL_OP_ENABLE_KTLS},
  };
  return ApplyList(conf, value, kOptions);
}

int CmdVerifyMode(ConfCtx* conf, const char* value) {
  static constexpr unsigned kClient = kVerifyFlag | SSL_CONF_FLAG_CLIENT;
  static constexpr unsigned kServer = kVerifyFlag | SSL_CONF_FLAG_SERVER;
  static constexpr NamedBits kModes[] = {
      {"Peer", kClient, SSL_VERIFY_PEER},
      {"Request", kServer, SSL_VERIFY_PEER},
      {"Require", kServer, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT},
      {"Once", kServer, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE},
      {"RequestPostHandshake", kServer, SSL_VERIFY_PEER | SSL_VERIFY_POST_HANDSHAKE},
      {"RequirePostHandshake", kServer,
       SSL_VERIFY_PEER | SSL_VERIFY_POST_HANDSHAKE | SSL_VERIFY_FAIL_IF_NO_PEER_CERT},
  };
  return ApplyList(conf, value, kModes);
}

// Commands whose setter takes a string. Without a target OpenSSL only checks the syntax, which
// for these the shim cannot do without one: they fail then (MinProtocol fails in OpenSSL too).
int NeedsTarget(const char* command) {
  return Refuse(command, "needs an SSL_CTX or SSL set on the SSL_CONF_CTX first");
}

int CmdGroups(ConfCtx* conf, const char* value) {
  if (conf->ctx != nullptr) return SSL_CTX_set1_groups_list(conf->ctx, value) > 0;
  if (conf->ssl != nullptr) return SSL_set1_groups_list(conf->ssl, value) > 0;
  return NeedsTarget("Groups");
}

int CmdECDHParameters(ConfCtx* conf, const char* value) {
  // 1.0.2's automatic selection, accepted and ignored as OpenSSL 3 does.
  if ((conf->flags & SSL_CONF_FLAG_FILE) &&
      (strcasecmp(value, "+automatic") == 0 || strcasecmp(value, "automatic") == 0)) {
    return 1;
  }
  if ((conf->flags & SSL_CONF_FLAG_CMDLINE) && std::strcmp(value, "auto") == 0) return 1;
  if (std::strchr(value, ':') != nullptr) return 0;  // a single group only
  if (!conf->HasTarget()) return 1;
  return CmdGroups(conf, value);
}

int CmdSignatureAlgorithms(ConfCtx* conf, const char* value) {
  if (conf->ctx != nullptr) return SSL_CTX_set1_sigalgs_list(conf->ctx, value) > 0;
  if (conf->ssl != nullptr) return SSL_set1_sigalgs_list(conf->ssl, value) > 0;
  return NeedsTarget("SignatureAlgorithms");
}

int CmdClientSignatureAlgorithms(ConfCtx* conf, const char* value) {
  if (conf->ctx != nullptr) return SSL_CTX_set1_client_sigalgs_list(conf->ctx, value) > 0;
  if (conf->ssl != nullptr) return SSL_set1_client_sigalgs_list(conf->ssl, value) > 0;
  return NeedsTarget("ClientSignatureAlgorithms");
}

int CmdCipherString(ConfCtx* conf, const char* value) {
  if (conf->ctx != nullptr) return SSL_CTX_set_cipher_list(conf->ctx, value) > 0;
  if (conf->ssl != nullptr) return SSL_set_cipher_list(conf->ssl, value) > 0;
  return 1;  // as OpenSSL: nothing to set
}

int CmdCiphersuites(ConfCtx* conf, const char* value) {
  if (conf->ctx != nullptr) return SSL_CTX_set_ciphersuites(conf->ctx, value) > 0;
  if (conf->ssl != nullptr) return SSL_set_ciphersuites(conf->ssl, value) > 0;
  return 1;
}

// OpenSSL's protocol_from_string: the table only grows, legacy names stay.
int ProtocolVersion(const char* value) {
  static constexpr struct {
    const char* name;
    int version;
  } kVersions[] = {{"None", 0},
                   {"SSLv3", SSL3_VERSION},
                   {"TLSv1", TLS1_VERSION},
                   {"TLSv1.1", TLS1_1_VERSION},
                   {"TLSv1.2", TLS1_2_VERSION},
                   {"TLSv1.3", TLS1_3_VERSION},
                   {"DTLSv1", DTLS1_VERSION},
                   {"DTLSv1.2", DTLS1_2_VERSION}};
  for (const auto& v : kVersions) {
    if (std::strcmp(v.name, value) == 0) return v.version;
  }
  return -1;
}

int SetVersionBound(ConfCtx* conf, const char* value, bool max) {
  int version = ProtocolVersion(value);
  if (version < 0) return 0;
  int ctrl = max ? SSL_CTRL_SET_MAX_PROTO_VERSION : SSL_CTRL_SET_MIN_PROTO_VERSION;
  if (conf->ctx != nullptr) return SSL_CTX_ctrl(conf->ctx, ctrl, version, nullptr) > 0;
  if (conf->ssl != nullptr) return SSL_ctrl(conf->ssl, ctrl, version, nullptr) > 0;
  return 0;  // as OpenSSL: a bound needs the method
}

int CmdMinProtocol(ConfCtx* conf, const char* value) { return SetVersionBound(conf, value, false); }
int CmdMaxProtocol(ConfCtx* conf, const char* value) { return SetVersionBound(conf, value, true); }

int CmdCertificate(ConfCtx* conf, const char* value) {
  int rv = 1;
  if (conf->ctx != nullptr) rv = SSL_CTX_use_certificate_chain_file(conf->ctx, value);
  if (conf->ssl != nullptr) rv = SSL_use_certificate_chain_file(conf->ssl, value);
  if (rv > 0 && conf->HasTarget() && (conf->flags & SSL_CONF_FLAG_REQUIRE_PRIVATE)) {
    conf->certificate_file = value;
  }
  return rv > 0;
}

int CmdPrivateKey(ConfCtx* conf, const char* value) {
  if (!(conf->flags & SSL_CONF_FLAG_CERTIFICATE)) return -2;
  int rv = 1;
  if (conf->ctx != nullptr) rv = SSL_CTX_use_PrivateKey_file(conf->ctx, value, SSL_FILETYPE_PEM);
  if (conf->ssl != nullptr) rv = SSL_use_PrivateKey_file(conf->ssl, value, SSL_FILETYPE_PEM);
  return rv > 0;
}

int CmdServerInfoFile(ConfCtx* conf, const char* value) {
  if (conf->ctx == nullptr) return 1;
  return SSL_CTX_use_serverinfo_file(conf->ctx, value) > 0;
}

// ChainCA* and VerifyCA*: load into this SSL_CONF_CTX's store, then hand it to the target with
// SSL_CTX_set1_{chain,verify}_cert_store, which is where the shim decides whether it can.
int LoadStore(ConfCtx* conf, bool verify, const char* file, const char* dir, const char* uri) {
  if (!conf->HasTarget()) return 1;
  UniquePtr<X509_STORE>& owned = verify ? conf->verify_store : conf->chain_store;
  if (owned == nullptr) owned.reset(X509_STORE_new());
  X509_STORE* store = owned.get();
  if (store == nullptr) return 0;
  if (file != nullptr && !X509_STORE_load_file(store, file)) return 0;
  if (dir != nullptr && !X509_STORE_load_path(store, dir)) return 0;
  if (uri != nullptr && !X509_STORE_load_store(store, uri)) return 0;
  int ctrl = verify ? SSL_CTRL_SET_VERIFY_CERT_STORE : SSL_CTRL_SET_CHAIN_CERT_STORE;
  if (conf->ctx != nullptr) return SSL_CTX_ctrl(conf->ctx, ctrl, 1, store) > 0;
  return SSL_ctrl(conf->ssl, ctrl, 1, store) > 0;
}

int CmdChainCAPath(ConfCtx* c, const char* v) { return LoadStore(c, false, nullptr, v, nullptr); }
int CmdChainCAFile(ConfCtx* c, const char* v) { return LoadStore(c, false, v, nullptr, nullptr); }
int CmdChainCAStore(ConfCtx* c, const char* v) { return LoadStore(c, false, nullptr, nullptr, v); }
int CmdVerifyCAPath(ConfCtx* c, const char* v) { return LoadStore(c, true, nullptr, v, nullptr); }
int CmdVerifyCAFile(ConfCtx* c, const char* v) { return LoadStore(c, true, v, nullptr, nullptr); }
int CmdVerifyCAStore(ConfCtx* c, const char* v) { return LoadStore(c, true, nullptr, nullptr, v); }

// OpenSSL sets these names with SSL_CTX_set0_CA_list, a list the shim does not keep apart from
// the client CA list; approximating it would change what other calls report.
int CmdCaNames(ConfCtx*, const char*) {
  return Refuse("RequestCA*/ClientCA*", "CA name lists (SSL_CTX_set0_CA_list) are not offered");
}

int CmdDHParameters(ConfCtx*, const char*) {
  return Refuse("DHParameters", "finite-field DHE is not offered (BoringSSL has none)");
}

int CmdRecordPadding(ConfCtx* conf, const char* value) {
  int block_size = std::atoi(value);
  if (block_size < 0) return 0;
  if (conf->ctx != nullptr) return SSL_CTX_set_block_padding(conf->ctx, block_size);
  if (conf->ssl != nullptr) return SSL_set_block_padding(conf->ssl, block_size);
  return 0;
}

int CmdNumTickets(ConfCtx* conf, const char* value) {
  int num_tickets = std::atoi(value);
  if (num_tickets < 0) return 0;
  if (conf->ctx != nullptr) return SSL_CTX_set_num_tickets(conf->ctx, num_tickets);
  if (conf->ssl != nullptr) return SSL_set_num_tickets(conf->ssl, num_tickets);
  return 0;
}

// One row of ssl_conf.c's ssl_conf_cmds (switches carry their bits, as ssl_cmd_switches).
struct Command {
  int (*run)(ConfCtx*, const char*);  // nullptr: a switch
  const char* file_name;              // as in a configuration file, case-insensitive
  const char* cmdline_name;           // as on a command line (after '-'), exact
  unsigned flags;                     // SSL_CONF_FLAG_SERVER/CLIENT/CERTIFICATE required
  unsigned value_type;
  uint64_t switch_bits;
  unsigned switch_flags;  // kInvert, kCertFlag
};

#define SWITCH(name, flags, bits, switch_flags) \
  { nullptr, nullptr, name, flags, SSL_CONF_TYPE_NONE, bits, switch_flags }
#define STRING_CMD(name, cmdopt, flags) \
  { Cmd##name, #name, cmdopt, flags, SSL_CONF_TYPE_STRING, 0, 0 }
#define TYPED_CMD(name, cmdopt, flags, type) \
  { Cmd##name, #name, cmdopt, flags, type, 0, 0 }
#define CA_NAMES_CMD(name, cmdopt, flags, type) \
  { CmdCaNames, #name, cmdopt, flags, type, 0, 0 }

constexpr unsigned kSrv = SSL_CONF_FLAG_SERVER;
constexpr unsigned kCli = SSL_CONF_FLAG_CLIENT;
constexpr unsigned kCert = SSL_CONF_FLAG_CERTIFICATE;

constexpr Command kCommands[] = {
    SWITCH("no_ssl3", 0, SSL_OP_NO_SSLv3, 0),
    SWITCH("no_tls1", 0, SSL_OP_NO_TLSv1, 0),
    SWITCH("no_tls1_1", 0, SSL_OP_NO_TLSv1_1, 0),
    SWITCH("no_tls1_2", 0, SSL_OP_NO_TLSv1_2, 0),
    SWITCH("no_tls1_3", 0, SSL_OP_NO_TLSv1_3, 0),
    SWITCH("bugs", 0, SSL_OP_ALL, 0),
    SWITCH("no_comp", 0, SSL_OP_NO_COMPRESSION, 0),
    SWITCH("comp", 0, SSL_OP_NO_COMPRESSION, kInvert),
    SWITCH("ecdh_single", kSrv, SSL_OP_SINGLE_ECDH_USE, 0),
    SWITCH("no_ticket", 0, SSL_OP_NO_TICKET, 0),
    SWITCH("serverpref", kSrv, SSL_OP_CIPHER_SERVER_PREFERENCE, 0),
    SWITCH("legacy_renegotiation", 0, SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION, 0),
    SWITCH("client_renegotiation", kSrv, SSL_OP_ALLOW_CLIENT_RENEGOTIATION, 0),
    SWITCH("legacy_server_connect", kCli, SSL_OP_LEGACY_SERVER_CONNECT, 0),
    SWITCH("no_renegotiation", 0, SSL_OP_NO_RENEGOTIATION, 0),
    SWITCH("no_resumption_on_reneg", kSrv, SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION, 0),
    SWITCH("no_legacy_server_connect", kCli, SSL_OP_LEGACY_SERVER_CONNECT, kInvert),
    SWITCH("allow_no_dhe_kex", 0, SSL_OP_ALLOW_NO_DHE_KEX, 0),
    SWITCH("prioritize_chacha", kSrv, SSL_OP_PRIORITIZE_CHACHA, 0),
    SWITCH("strict", 0, 0, kCertFlag),
    SWITCH("no_middlebox", 0, SSL_OP_ENABLE_MIDDLEBOX_COMPAT, kInvert),
    SWITCH("anti_replay", kSrv, SSL_OP_NO_ANTI_REPLAY, kInvert),
    SWITCH("no_anti_replay", kSrv, SSL_OP_NO_ANTI_REPLAY, 0),
    SWITCH("no_etm", 0, SSL_OP_NO_ENCRYPT_THEN_MAC, 0),
    STRING_CMD(SignatureAlgorithms, "sigalgs", 0),
    STRING_CMD(ClientSignatureAlgorithms, "client_sigalgs", 0),
    {CmdGroups, "Curves", "curves", 0, SSL_CONF_TYPE_STRING, 0, 0},
    STRING_CMD(Groups, "groups", 0),
    STRING_CMD(ECDHParameters, "named_curve", kSrv),
    STRING_CMD(CipherString, "cipher", 0),
    STRING_CMD(Ciphersuites, "ciphersuites", 0),
    STRING_CMD(Protocol, nullptr, 0),
    STRING_CMD(MinProtocol, "min_protocol", 0),
    STRING_CMD(MaxProtocol, "max_protocol", 0),
    STRING_CMD(Options, nullptr, 0),
    STRING_CMD(VerifyMode, nullptr, 0),
    TYPED_CMD(Certificate, "cert", kCert, SSL_CONF_TYPE_FILE),
    TYPED_CMD(PrivateKey, "key", kCert, SSL_CONF_TYPE_FILE),
    TYPED_CMD(ServerInfoFile, nullptr, kSrv | kCert, SSL_CONF_TYPE_FILE),
    TYPED_CMD(ChainCAPath, "chainCApath", kCert, SSL_CONF_TYPE_DIR),
    TYPED_CMD(ChainCAFile, "chainCAfile", kCert, SSL_CONF_TYPE_FILE),
    TYPED_CMD(ChainCAStore, "chainCAstore", kCert, SSL_CONF_TYPE_STORE),
    TYPED_CMD(VerifyCAPath, "verifyCApath", kCert, SSL_CONF_TYPE_DIR),
    TYPED_CMD(VerifyCAFile, "verifyCAfile", kCert, SSL_CONF_TYPE_FILE),
    TYPED_CMD(VerifyCAStore, "verifyCAstore", kCert, SSL_CONF_TYPE_STORE),
    CA_NAMES_CMD(RequestCAFile, "requestCAFile", kCert, SSL_CONF_TYPE_FILE),
    CA_NAMES_CMD(ClientCAFile, nullptr, kSrv | kCert, SSL_CONF_TYPE_FILE),
    CA_NAMES_CMD(RequestCAPath, nullptr, kCert, SSL_CONF_TYPE_DIR),
    CA_NAMES_CMD(ClientCAPath, nullptr, kSrv | kCert, SSL_CONF_TYPE_DIR),
    CA_NAMES_CMD(RequestCAStore, "requestCAStore", kCert, SSL_CONF_TYPE_STORE),
    CA_NAMES_CMD(ClientCAStore, nullptr, kSrv | kCert, SSL_CONF_TYPE_STORE),
    TYPED_CMD(DHParameters, "dhparam", kSrv | kCert, SSL_CONF_TYPE_FILE),
    STRING_CMD(RecordPadding, "record_padding", 0),
    STRING_CMD(NumTickets, "num_tickets", kSrv),
};

#undef SWITCH
#undef STRING_CMD
#undef TYPED_CMD
#undef CA_NAMES_CMD

// OpenSSL's ssl_conf_cmd_skip_prefix: false when `*cmd` is not one of ours.
bool SkipPrefix(const ConfCtx& conf, const char** cmd) {
  if (cmd == nullptr || *cmd == nullptr) return false;
  if (conf.has_prefix) {
    size_t len = conf.prefix.size();
    if (std::strlen(*cmd) <= len) return false;
    if ((conf.flags & SSL_CONF_FLAG_CMDLINE) && std::strncmp(*cmd, conf.prefix.c_str(), len) != 0)
      return false;
    if ((conf.flags & SSL_CONF_FLAG_FILE) && strncasecmp(*cmd, conf.prefix.c_str(), len) != 0)
      return false;
    *cmd += len;
  } else if (conf.flags & SSL_CONF_FLAG_CMDLINE) {
    if (**cmd != '-' || (*cmd)[1] == '\0') return false;
    *cmd += 1;
  }
  return true;
}

const Command* Lookup(const ConfCtx& conf, const char* cmd) {
  if (cmd == nullptr) return nullptr;
  static constexpr unsigned kRequired = kSrv | kCli | kCert;
  for (const Command& c : kCommands) {
    if ((c.flags & kRequired & ~conf.flags) != 0) continue;  // not allowed for this context
    if ((conf.flags & SSL_CONF_FLAG_CMDLINE) && c.cmdline_name != nullptr &&
        std::strcmp(c.cmdline_name, cmd) == 0) {
      return &c;
    }
    if ((conf.flags & SSL_CONF_FLAG_FILE) && c.file_name != nullptr &&
        strcasecmp(c.file_name, cmd) == 0) {
      return &c;
    }
  }
  return nullptr;
}

int RunCommand(ConfCtx* conf, const char* cmd, const char* value) {
  if (cmd == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_INVALID_NULL_CMD_NAME, kCmdFunc);
    return 0;
  }
  const bool show_errors = (conf->flags & SSL_CONF_FLAG_SHOW_ERRORS) != 0;
  const Command* command = SkipPrefix(*conf, &cmd) ? Lookup(*conf, cmd) : nullptr;
  if (command == nullptr) {
    if (show_errors) {
      PushError(ERR_LIB_SSL, SSL_R_UNKNOWN_CMD_NAME, kCmdFunc, ("cmd=" + std::string(cmd)).c_str());
    }
    return -2;
  }
  if (conf->foreign_target) {
    return Refuse(cmd, "the SSL_CTX or SSL set on this SSL_CONF_CTX was not made by sslshim");
  }
  if (command->run == nullptr) {
    return ApplyBits(conf, command->switch_flags, command->switch_bits, true);
  }
  int rv = -3;
  if (value != nullptr) {
    rv = command->run(conf, value);
    if (rv > 0) return 2;
    if (rv != -2) rv = 0;
  }
  if (show_errors) {
    std::string data = "cmd=" + std::string(cmd) + ", value=" + (value ? value : "<EMPTY>");
    PushError(ERR_LIB_SSL, SSL_R_BAD_VALUE, kCmdFunc, data.c_str());
  }
  return rv;
}

// SSL_CONF_CTX_set_ssl_ctx / set_ssl: `ours` tells whether the object is the shim's.
void SetTarget(ConfCtx* conf, SSL_CTX* ctx, SSL* ssl, bool ours, const char* func) {
  conf->ctx = ours ? ctx : nullptr;
  conf->ssl = ours ? ssl : nullptr;
  conf->foreign_target = !ours;
  if (!ours) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT, func,
              "sslshim: an SSL_CONF_CTX of sslshim cannot configure an object of the real libssl");
    WarnOnce(func,
             "given an object of the real libssl with an SSL_CONF_CTX of sslshim; its commands "
             "will fail");
  }
}

}  // namespace
}  // namespace sslshim

using sslshim::ConfCtx;

namespace sslshim::entry {
template <>
struct Object<SSL_CONF_CTX> : PlainObject<ConfCtx, HandleKind::kConfCtx> {};
}  // namespace sslshim::entry

#define SSLSHIM_CONF_ENTRY(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_CONF_CTX, conf, kIsAnError, fn, fail, __VA_ARGS__)
#define SSLSHIM_CONF_ENTRY_NULL_IGNORED(fn, fail, ...) \
  SSLSHIM_OBJECT_ENTRY(SSL_CONF_CTX, conf, kIsIgnored, fn, fail, __VA_ARGS__)

SSLSHIM_SHARED_FUNCTION_ENTRY(SSL_CONF_CTX_new) {
  auto* conf = new ConfCtx;
  conf->handle = sslshim::NewHandle(sslshim::HandleKind::kConfCtx, conf);
  if (conf->handle == nullptr) {
    delete conf;
    sslshim::PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, "SSL_CONF_CTX_new");
    return nullptr;
  }
  return static_cast<SSL_CONF_CTX*>(conf->handle);
}

SSLSHIM_CONF_ENTRY_NULL_IGNORED(SSL_CONF_CTX_free, ) {
  sslshim::FreeHandle(conf->handle);
  delete conf;
}

SSLSHIM_CONF_ENTRY(SSL_CONF_CTX_set_flags, 0, flags) { return conf->flags |= flags; }

SSLSHIM_CONF_ENTRY(SSL_CONF_CTX_clear_flags, 0, flags) { return conf->flags &= ~flags; }

SSLSHIM_CONF_ENTRY(SSL_CONF_CTX_set1_prefix, 0, pre) {
  conf->has_prefix = pre != nullptr;
  conf->prefix = pre != nullptr ? pre : "";
  return 1;
}

SSLSHIM_CONF_ENTRY(SSL_CONF_CTX_set_ssl_ctx, , ctx) {
  bool ours = ctx == nullptr || sslshim::IsOurs(ctx);
  sslshim::SetTarget(conf, ctx, nullptr, ours, "SSL_CONF_CTX_set_ssl_ctx");
}

SSLSHIM_CONF_ENTRY(SSL_CONF_CTX_set_ssl, , ssl) {
  bool ours = ssl == nullptr || sslshim::IsOurs(ssl);
  sslshim::SetTarget(conf, nullptr, ssl, ours, "SSL_CONF_CTX_set_ssl");
}

SSLSHIM_CONF_ENTRY(SSL_CONF_cmd, 0, cmd, value) { return sslshim::RunCommand(conf, cmd, value); }

// OpenSSL's: switches the context to command-line names and consumes one or two arguments.
SSLSHIM_CONF_ENTRY(SSL_CONF_cmd_argv, 0, pargc, pargv) {
  if (pargc != nullptr && *pargc == 0) return 0;
  const char* arg = pargc == nullptr || *pargc > 0 ? **pargv : nullptr;
  if (arg == nullptr) return 0;
  const char* next = pargc == nullptr || *pargc > 1 ? (*pargv)[1] : nullptr;
  conf->flags = (conf->flags & ~SSL_CONF_FLAG_FILE) | SSL_CONF_FLAG_CMDLINE;
  int rv = sslshim::RunCommand(conf, arg, next);
  if (rv > 0) {
    *pargv += rv;
    if (pargc != nullptr) *pargc -= rv;
    return rv;
  }
  if (rv == -2) return 0;
  return rv == 0 ? -1 : rv;
}

SSLSHIM_CONF_ENTRY(SSL_CONF_cmd_value_type, SSL_CONF_TYPE_UNKNOWN, cmd) {
  if (!sslshim::SkipPrefix(*conf, &cmd)) return SSL_CONF_TYPE_UNKNOWN;
  const sslshim::Command* command = sslshim::Lookup(*conf, cmd);
  return command != nullptr ? static_cast<int>(command->value_type) : SSL_CONF_TYPE_UNKNOWN;
}

// OpenSSL's: a Certificate loaded without its key (SSL_CONF_FLAG_REQUIRE_PRIVATE) takes the key
// from the same file.
SSLSHIM_CONF_ENTRY(SSL_CONF_CTX_finish, 0) {
  if (conf->certificate_file.empty() || !(conf->flags & SSL_CONF_FLAG_REQUIRE_PRIVATE)) return 1;
  bool has_key = conf->ctx != nullptr   ? SSL_CTX_get0_privatekey(conf->ctx) != nullptr
                 : conf->ssl != nullptr ? SSL_get_privatekey(conf->ssl) != nullptr
                                        : true;
  if (has_key) return 1;
  return sslshim::CmdPrivateKey(conf, conf->certificate_file.c_str()) != 0;
}
