// Certificate chains, the verify and chain stores, and signature algorithm lists answer through the
// shim as through OpenSSL 3: the ctrl commands behind SSL_CTX_add0_chain_cert, get0_chain_certs,
// get_extra_chain_certs(_only), build_cert_chain, select_current_cert, set_current_cert,
// set0_verify_cert_store, set0_chain_cert_store and set1_sigalgs(_list) give the same answers and
// error queue, and what they set is what the handshake does (a real OpenSSL peer in this process,
// over a BIO pair). This process links the real libssl; the shim's are on the stand-in beside it.
#include <gtest/gtest.h>
#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                                \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)                   \
  X(get_cert_store, SSL_CTX_get_cert_store)                  \
  X(ctx_set_verify, SSL_CTX_set_verify)                      \
  X(ssl_ctrl, SSL_ctrl)                                      \
  X(get_verify_result, SSL_get_verify_result)                \
  X(ctx_get0_certificate, SSL_CTX_get0_certificate)          \
  X(ctx_use_cert_and_key, SSL_CTX_use_cert_and_key)          \
  X(use_cert_and_key, SSL_use_cert_and_key)                  \
  X(get_certificate, SSL_get_certificate)                    \
  X(ctx_enable_ct, SSL_CTX_enable_ct)                        \
  X(enable_ct, SSL_enable_ct)                                \
  X(ctx_set_ct_callback, SSL_CTX_set_ct_validation_callback) \
  X(ctx_ct_is_enabled, SSL_CTX_ct_is_enabled)                \
  X(ct_is_enabled, SSL_ct_is_enabled)                        \
  X(get0_peer_scts, SSL_get0_peer_scts)                      \
  X(ctx_set_cert_cb, SSL_CTX_set_cert_cb)                    \
  X(check_chain, SSL_check_chain)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::IssuedCertificate;
using sslshim::side_by_side::OnOpenSslBackend;
using sslshim::side_by_side::Outcome;

// CA -> intermediate -> leaf, P-256 throughout, and an RSA-2048 leaf from the CA.
struct Pki {
  EVP_PKEY* ca_key = EVP_EC_gen("P-256");
  EVP_PKEY* intermediate_key = EVP_EC_gen("P-256");
  EVP_PKEY* leaf_key = EVP_EC_gen("P-256");
  EVP_PKEY* rsa_key = EVP_RSA_gen(2048);
  X509* ca = IssuedCertificate(ca_key, "sslshim test CA", nullptr, nullptr, true);
  X509* intermediate = IssuedCertificate(intermediate_key, "intermediate", ca, ca_key, true);
  X509* leaf = IssuedCertificate(leaf_key, "leaf", intermediate, intermediate_key, false);
  X509* rsa_leaf = IssuedCertificate(rsa_key, "rsa leaf", ca, ca_key, false);
  ~Pki() {
    for (X509* x : {ca, intermediate, leaf, rsa_leaf}) X509_free(x);
    for (EVP_PKEY* k : {ca_key, intermediate_key, leaf_key, rsa_key}) EVP_PKEY_free(k);
  }
};

const Pki& TestPki() {
  static const Pki* pki = new Pki;
  return *pki;
}

// A stack's size, or "null".
std::string Count(const STACK_OF(X509) * chain) {
  return chain == nullptr ? "null" : std::to_string(sk_X509_num(chain));
}

std::string ChainScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  auto line = [&](const std::string& what, long ret) { log += what + ": " + Outcome(ret) + "\n"; };
  auto ctx_chain = [&](SSL_CTX* ctx) {
    STACK_OF(X509)* chain = reinterpret_cast<STACK_OF(X509)*>(1);
    long ret = api.ctx_ctrl(ctx, SSL_CTRL_GET_CHAIN_CERTS, 0, &chain);
    STACK_OF(X509)* extra = nullptr;
    STACK_OF(X509)* extra_only = nullptr;
    api.ctx_ctrl(ctx, SSL_CTRL_GET_EXTRA_CHAIN_CERTS, 0, &extra);
    api.ctx_ctrl(ctx, SSL_CTRL_GET_EXTRA_CHAIN_CERTS, 1, &extra_only);
    return std::to_string(ret) + " chain=" + Count(chain) + " extra=" + Count(extra) +
           " extra_only=" + Count(extra_only);
  };
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  log += "fresh: " + ctx_chain(ctx) + "\n";
  line("set_current_cert first, no certificate",
       api.ctx_ctrl(ctx, SSL_CTRL_SET_CURRENT_CERT, SSL_CERT_SET_FIRST, nullptr));
  line("build_cert_chain, no certificate",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN, 0, nullptr));
  line("use_certificate", api.ctx_use_certificate(ctx, pki.leaf));
  line("select_current_cert without a key",
       api.ctx_ctrl(ctx, SSL_CTRL_SELECT_CURRENT_CERT, 0, pki.leaf));
  line("use_PrivateKey", api.ctx_use_key(ctx, pki.leaf_key));
  X509* leaf_copy = X509_dup(pki.leaf);
  line("select_current_cert leaf", api.ctx_ctrl(ctx, SSL_CTRL_SELECT_CURRENT_CERT, 0, pki.leaf));
  line("select_current_cert equal copy",
       api.ctx_ctrl(ctx, SSL_CTRL_SELECT_CURRENT_CERT, 0, leaf_copy));
  line("select_current_cert other", api.ctx_ctrl(ctx, SSL_CTRL_SELECT_CURRENT_CERT, 0, pki.ca));
  line("select_current_cert null", api.ctx_ctrl(ctx, SSL_CTRL_SELECT_CURRENT_CERT, 0, nullptr));
  X509_free(leaf_copy);
  line("set_current_cert first",
       api.ctx_ctrl(ctx, SSL_CTRL_SET_CURRENT_CERT, SSL_CERT_SET_FIRST, nullptr));
  line("set_current_cert next",
       api.ctx_ctrl(ctx, SSL_CTRL_SET_CURRENT_CERT, SSL_CERT_SET_NEXT, nullptr));
  line("set_current_cert server",
       api.ctx_ctrl(ctx, SSL_CTRL_SET_CURRENT_CERT, SSL_CERT_SET_SERVER, nullptr));
  line("add1_chain_cert intermediate", api.ctx_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 1, pki.intermediate));
  log += "after add1_chain_cert: " + ctx_chain(ctx) + "\n";
  X509* ca_copy = X509_dup(pki.ca);
  line("add_extra_chain_cert", api.ctx_ctrl(ctx, SSL_CTRL_EXTRA_CHAIN_CERT, 0, ca_copy));
  log += "after add_extra_chain_cert: " + ctx_chain(ctx) + "\n";
  line("set0_chain null", api.ctx_ctrl(ctx, SSL_CTRL_CHAIN, 0, nullptr));
  log += "after set0_chain null: " + ctx_chain(ctx) + "\n";
  line("clear_extra_chain_certs", api.ctx_ctrl(ctx, SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS, 0, nullptr));
  log += "after clear_extra_chain_certs: " + ctx_chain(ctx) + "\n";
  STACK_OF(X509)* empty = sk_X509_new_null();
  line("set1_chain empty", api.ctx_ctrl(ctx, SSL_CTRL_CHAIN, 1, empty));
  sk_X509_free(empty);
  log += "after set1_chain empty: " + ctx_chain(ctx) + "\n";
  // Building: the context's store has no CA yet.
  line("build_cert_chain, nothing to build from",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN, 0, nullptr));
  line("build_cert_chain ignore_error",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN, SSL_BUILD_CHAIN_FLAG_IGNORE_ERROR, nullptr));
  line("build_cert_chain ignore_error clear_error",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN,
                    SSL_BUILD_CHAIN_FLAG_IGNORE_ERROR | SSL_BUILD_CHAIN_FLAG_CLEAR_ERROR, nullptr));
  log += "after failed builds: " + ctx_chain(ctx) + "\n";
  X509_STORE_add_cert(api.get_cert_store(ctx), pki.ca);
  line("add1_chain_cert intermediate", api.ctx_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 1, pki.intermediate));
  line("build_cert_chain untrusted",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN, SSL_BUILD_CHAIN_FLAG_UNTRUSTED, nullptr));
  log += "after build untrusted: " + ctx_chain(ctx) + "\n";
  line("build_cert_chain check",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN, SSL_BUILD_CHAIN_FLAG_CHECK, nullptr));
  line("build_cert_chain untrusted no_root",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN,
                    SSL_BUILD_CHAIN_FLAG_UNTRUSTED | SSL_BUILD_CHAIN_FLAG_NO_ROOT, nullptr));
  log += "after build no_root: " + ctx_chain(ctx) + "\n";
  line("build_cert_chain check, no root in the chain",
       api.ctx_ctrl(ctx, SSL_CTRL_BUILD_CERT_CHAIN, SSL_BUILD_CHAIN_FLAG_CHECK, nullptr));
  // The stores.
  for (int kind : {0, 1}) {
    const int set = kind == 0 ? SSL_CTRL_SET_VERIFY_CERT_STORE : SSL_CTRL_SET_CHAIN_CERT_STORE;
    const int get = kind == 0 ? SSL_CTRL_GET_VERIFY_CERT_STORE : SSL_CTRL_GET_CHAIN_CERT_STORE;
    const std::string name = kind == 0 ? "verify store" : "chain store";
    X509_STORE* got = reinterpret_cast<X509_STORE*>(1);
    line(name + " get", api.ctx_ctrl(ctx, get, 0, &got));
    log += name + " initially " + (got == nullptr ? "null" : "set") + "\n";
    X509_STORE* store = X509_STORE_new();
    line(name + " set1", api.ctx_ctrl(ctx, set, 1, store));
    api.ctx_ctrl(ctx, get, 0, &got);
    log += name + " after set1 " + (got == store ? "the store" : "another") + "\n";
    X509_STORE_free(store);
    line(name + " set0 null", api.ctx_ctrl(ctx, set, 0, nullptr));
    api.ctx_ctrl(ctx, get, 0, &got);
    log += name + " after set0 null " + (got == nullptr ? "null" : "set") + "\n";
  }
  // A connection copies the context's chain, then keeps its own.
  SSL* ssl = api.ssl_new(ctx);
  auto ssl_chain = [&]() {
    STACK_OF(X509)* chain = nullptr;
    long ret = api.ssl_ctrl(ssl, SSL_CTRL_GET_CHAIN_CERTS, 0, &chain);
    return std::to_string(ret) + " " + Count(chain);
  };
  log += "ssl chain: " + ssl_chain() + "\n";
  line("ssl add1_chain_cert", api.ssl_ctrl(ssl, SSL_CTRL_CHAIN_CERT, 1, pki.ca));
  log += "ssl chain after add: " + ssl_chain() + "; ctx: " + ctx_chain(ctx) + "\n";
  line("ssl set_current_cert server, before a handshake",
       api.ssl_ctrl(ssl, SSL_CTRL_SET_CURRENT_CERT, SSL_CERT_SET_SERVER, nullptr));
  line("ssl set_current_cert first",
       api.ssl_ctrl(ssl, SSL_CTRL_SET_CURRENT_CERT, SSL_CERT_SET_FIRST, nullptr));
  line("ssl select_current_cert", api.ssl_ctrl(ssl, SSL_CTRL_SELECT_CURRENT_CERT, 0, pki.leaf));
  line("ssl build_cert_chain untrusted no_root",
       api.ssl_ctrl(ssl, SSL_CTRL_BUILD_CERT_CHAIN,
                    SSL_BUILD_CHAIN_FLAG_UNTRUSTED | SSL_BUILD_CHAIN_FLAG_NO_ROOT, nullptr));
  log += "ssl chain after build: " + ssl_chain() + "\n";
  line("ssl set0_chain null", api.ssl_ctrl(ssl, SSL_CTRL_CHAIN, 0, nullptr));
  log += "ssl chain after set0 null: " + ssl_chain() + "\n";
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(CertificateChains, AnswerAsOpenSsl) {
  const std::string native = ChainScript(RealApi());
  // The script reaches a built chain, a failed build with its reason, and both stores.
  ASSERT_NE(native.find("after build untrusted: 1 chain=2"), std::string::npos) << native;
  ASSERT_NE(native.find("verify store after set1 the store"), std::string::npos) << native;
  EXPECT_EQ(ChainScript(ShimApi()), native);
}

// SSL_CTX_set_max_send_fragment's range, the certificate flags, and the renegotiation counters of
// a fresh connection.
std::string SmallCommandsScript(const Api& api) {
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  SSL* ssl = api.ssl_new(ctx);
  for (long size : {0L, 511L, 512L, 4096L, 16384L, 16385L}) {
    log += "max_send_fragment " + std::to_string(size) + ": ctx " +
           Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_SEND_FRAGMENT, size, nullptr)) + ", ssl " +
           Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_MAX_SEND_FRAGMENT, size, nullptr)) + "\n";
  }
  log += "cert_flags strict: ctx " +
         Outcome(api.ctx_ctrl(ctx, SSL_CTRL_CERT_FLAGS, SSL_CERT_FLAG_TLS_STRICT, nullptr));
  log +=
      ", ssl " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_CERT_FLAGS, SSL_CERT_FLAG_TLS_STRICT, nullptr));
  log += ", cleared: ctx " +
         Outcome(api.ctx_ctrl(ctx, SSL_CTRL_CLEAR_CERT_FLAGS, SSL_CERT_FLAG_TLS_STRICT, nullptr));
  log += ", ssl " +
         Outcome(api.ssl_ctrl(ssl, SSL_CTRL_CLEAR_CERT_FLAGS, SSL_CERT_FLAG_TLS_STRICT, nullptr)) +
         "\n";
  for (long n : {0L, 1L, 8L, 32L, 33L}) {
    log += "max_pipelines " + std::to_string(n) + ": ctx " +
           Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_PIPELINES, n, nullptr)) + ", ssl " +
           Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_MAX_PIPELINES, n, nullptr)) + "\n";
  }
  api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_SEND_FRAGMENT, 4096, nullptr);
  for (long n : {0L, 512L, 4096L, 4097L}) {
    log += "split_send_fragment " + std::to_string(n) + " under 4096: ctx " +
           Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_SPLIT_SEND_FRAGMENT, n, nullptr)) + "\n";
  }
  // One call per statement: the operands of + are not sequenced.
  log += "max_cert_list: get " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_GET_MAX_CERT_LIST, 0, nullptr));
  log += ", set 5000 " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_MAX_CERT_LIST, 5000, nullptr));
  log += ", set -1 " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_MAX_CERT_LIST, -1, nullptr));
  log += ", get " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_GET_MAX_CERT_LIST, 0, nullptr));
  log += "; ctx set 7000 " + Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_MAX_CERT_LIST, 7000, nullptr));
  log += ", get " + Outcome(api.ctx_ctrl(ctx, SSL_CTRL_GET_MAX_CERT_LIST, 0, nullptr)) + "\n";
  log += "extms before a handshake: " +
         Outcome(api.ssl_ctrl(ssl, SSL_CTRL_GET_EXTMS_SUPPORT, 0, nullptr)) + "\n";
  log +=
      "renegotiations: " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_GET_NUM_RENEGOTIATIONS, 0, nullptr));
  log += ", cleared " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_CLEAR_NUM_RENEGOTIATIONS, 0, nullptr));
  log +=
      ", total " + Outcome(api.ssl_ctrl(ssl, SSL_CTRL_GET_TOTAL_RENEGOTIATIONS, 0, nullptr)) + "\n";
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(SmallCommands, AnswerAsOpenSsl) {
  const std::string native = SmallCommandsScript(RealApi());
  ASSERT_NE(native.find("max_send_fragment 511: ctx 0 -"), std::string::npos) << native;
  EXPECT_EQ(SmallCommandsScript(ShimApi()), native);
}

// --- Handshakes ----------------------------------------------------------------------------------

// The program's side (`api`: shim or native) against a real OpenSSL peer; `configure` sets up the
// program's context before its SSL is made, `configure_ssl` the SSL. Reports the outcome, the
// digest of the server's handshake signature as the client saw it, and the program's verify
// result.
std::string RunAgainstPeer(const Api& api, bool program_is_client, int version,
                           EVP_PKEY* server_key, X509* server_cert,
                           const std::function<void(SSL_CTX*)>& configure,
                           const std::function<void(SSL*)>& configure_ssl = {},
                           const std::function<void(SSL*)>& after_handshake = {}) {
  return sslshim::side_by_side::RunAgainstPeer(
      api, RealApiOnce(), program_is_client, version, server_key, server_cert,
      [&](SSL_CTX* ctx, SSL_CTX*) { configure(ctx); }, configure_ssl,
      [&](SSL* ssl, SSL* peer) {
        if (after_handshake) after_handshake(ssl);
        int digest = 0;
        if (program_is_client) {
          api.ssl_ctrl(ssl, SSL_CTRL_GET_PEER_SIGNATURE_NID, 0, &digest);
        } else {
          SSL_get_peer_signature_nid(peer, &digest);
        }
        return "digest=" + std::to_string(digest) +
               " verify=" + std::to_string(api.get_verify_result(ssl));
      });
}

std::string SigalgsScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  // What the parser accepts.
  for (const char* list :
       {"RSA+SHA256", "RSA-PSS+SHA256:ECDSA+SHA256", "ed25519:rsa_pss_rsae_sha384",
        " ECDSA+SHA384 : rsa_pkcs1_sha512 ", "ECDSA+SHA256:RSA+SHA256:ECDSA+SHA256", "", "RSA+",
        "+SHA256", "RSA+SHA256::ECDSA+SHA256", "nonsense", "RSA+NONSENSE", "ECDSA+sha256",
        "ecdsa_secp256r1_sha256:rsa_pkcs1_sha1"}) {
    SSL_CTX* ctx = api.ctx_new(api.client_method());
    log += std::string("list '") + list + "': ctx " +
           Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_SIGALGS_LIST, 0, const_cast<char*>(list)));
    SSL* ssl = api.ssl_new(ctx);
    log += ", ssl " +
           Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_SIGALGS_LIST, 0, const_cast<char*>(list))) + "\n";
    api.ssl_free(ssl);
    api.ctx_free(ctx);
  }
  {
    SSL_CTX* ctx = api.ctx_new(api.client_method());
    const int pairs[] = {NID_sha256, EVP_PKEY_EC, NID_sha384, EVP_PKEY_RSA_PSS};
    const int unknown[] = {NID_md5, EVP_PKEY_EC};
    log +=
        "nid pairs: " +
        Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_SIGALGS, 4, const_cast<int*>(pairs))) +
        ", odd: " + Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_SIGALGS, 3, const_cast<int*>(pairs))) +
        ", unknown: " +
        Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_SIGALGS, 2, const_cast<int*>(unknown))) + "\n";
    api.ctx_free(ctx);
  }
  // What the lists do to handshakes, both versions, both roles.
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    const std::string v = version == TLS1_2_VERSION ? "1.2" : "1.3";
    struct Run {
      const char* list;
      bool program_is_client;
      bool rsa_server;
      bool on_connection;
    };
    for (const Run& run :
         {Run{"ECDSA+SHA256", true, false, false}, Run{"RSA-PSS+SHA256", true, false, false},
          Run{"rsa_pss_rsae_sha512:ECDSA+SHA256", true, true, false},
          Run{"RSA+SHA384:ECDSA+SHA256", true, true, true},
          Run{"ECDSA+SHA384", false, false, false},
          Run{"ECDSA+SHA384:ECDSA+SHA256", false, false, true},
          Run{"rsa_pkcs1_sha256", false, true, false}}) {
      EVP_PKEY* key = run.rsa_server ? pki.rsa_key : pki.leaf_key;
      X509* cert = run.rsa_server ? pki.rsa_leaf : pki.leaf;
      char* list = const_cast<char*>(run.list);
      std::string out = RunAgainstPeer(
          api, run.program_is_client, version, key, cert,
          [&](SSL_CTX* ctx) {
            if (!run.on_connection) api.ctx_ctrl(ctx, SSL_CTRL_SET_SIGALGS_LIST, 0, list);
          },
          [&](SSL* ssl) {
            if (run.on_connection) api.ssl_ctrl(ssl, SSL_CTRL_SET_SIGALGS_LIST, 0, list);
          });
      log += "TLS " + v + " " + (run.program_is_client ? "client" : "server") + " " + run.list +
             (run.on_connection ? " (connection)" : "") + ": " + out + "\n";
    }
  }
  return log;
}

// `log` with the line that starts with `prefix` replaced by `line` (unchanged when there is none).
std::string WithLine(std::string log, const std::string& prefix, const std::string& line) {
  size_t at = log.find(prefix);
  if (at == std::string::npos) return log;
  return log.replace(at, log.find('\n', at) - at, line);
}

TEST(SignatureAlgorithmLists, AnswerAsOpenSsl) {
  std::string native = SigalgsScript(RealApiOnce());
  ASSERT_NE(native.find("list 'nonsense': ctx 0 -"), std::string::npos) << native;
  ASSERT_NE(native.find("TLS 1.3 client RSA-PSS+SHA256: error"), std::string::npos) << native;
  ASSERT_NE(native.find("TLS 1.2 server ECDSA+SHA384: done"), std::string::npos) << native;
  // Natively, OpenSSL 3.0.19 signs a TLS 1.3 handshake with a P-256 key under
  // ecdsa_secp384r1_sha384 (and its client accepts it) when the program's key is the one
  // EVP_EC_gen made; the same libssl behind the shim, given the key as PKCS#8, refuses, as its
  // source (find_sig_alg's curve check) and RFC 8446 say. Both backends refuse.
  const std::string no_suitable =
      "error 1 -1 20:" + std::to_string(SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM) +
      " / error 1 -1 20:" + std::to_string(SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
  if (OnOpenSslBackend()) {
    native = WithLine(native, "TLS 1.3 server ECDSA+SHA384:",
                      "TLS 1.3 server ECDSA+SHA384: " + no_suitable + " digest=0 verify=0");
  } else {
    // A server's choice, where BoringSSL differs (docs/contract.md, "Signature algorithms"): in
    // TLS 1.3 it signs with a P-256 key under the P-256 scheme only (above); and when nothing
    // fits it says NO_SHARED_SIGNATURE_ALGORITHMS where OpenSSL says
    // NO_SUITABLE_SIGNATURE_ALGORITHM. (Which of the shared ones it takes follows OpenSSL: the
    // client's first.)
    const std::string refused =
        "error 1 -1 20:" + std::to_string(SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS) +
        " / error 1 -1 20:" + std::to_string(SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
    native = WithLine(native, "TLS 1.3 server ECDSA+SHA384:",
                      "TLS 1.3 server ECDSA+SHA384: " + refused + " digest=0 verify=0");
    native = WithLine(native, "TLS 1.3 server rsa_pkcs1_sha256:",
                      "TLS 1.3 server rsa_pkcs1_sha256: " + refused + " digest=0 verify=0");
  }
  EXPECT_EQ(SigalgsScript(ShimApi()), native);
}

// Lists BoringSSL can apply none of (DSA, SHA-224, RSA-PSS keys, Ed448): OpenSSL takes them; the
// shim on BoringSSL refuses the setter and every handshake of the object (fail closed), never
// going on with its defaults.
TEST(SignatureAlgorithmLists, NothingBoringSslCanApplyFailsClosed) {
  const Api shim = ShimApi();
  const Api& real = RealApiOnce();
  for (const char* list : {"DSA+SHA256", "rsa_pss_pss_sha256:ed448", "RSA+SHA224"}) {
    SSL_CTX* native_ctx = real.ctx_new(real.client_method());
    EXPECT_EQ(
        Outcome(real.ctx_ctrl(native_ctx, SSL_CTRL_SET_SIGALGS_LIST, 0, const_cast<char*>(list))),
        "1 -")
        << list;
    real.ctx_free(native_ctx);
    std::string out = RunAgainstPeer(
        shim, true, TLS1_3_VERSION, TestPki().leaf_key, TestPki().leaf, [&](SSL_CTX* ctx) {
          long ret = shim.ctx_ctrl(ctx, SSL_CTRL_SET_SIGALGS_LIST, 0, const_cast<char*>(list));
          EXPECT_EQ(ret, OnOpenSslBackend() ? 1 : 0) << list;
          ERR_clear_error();
        });
    if (OnOpenSslBackend()) {
      EXPECT_EQ(out.rfind("error", 0), 0u) << list << ": " << out;  // as OpenSSL: no shared one
    } else {
      EXPECT_EQ(out.rfind("error 1 -1 20:" + std::to_string(SSL_R_SSL_HANDSHAKE_FAILURE), 0), 0u)
          << list << ": " << out;
    }
  }
}

// SSL_*_set1_client_sigalgs_list: the list of client authentication. A server asks for it in its
// CertificateRequest (the real client's SSL_get_sigalgs reads what came) and a client signs its
// CertificateVerify from it (the real server's SSL_get_peer_signature_nid and _type_nid read
// what was used), while the general list goes on governing the server's own signature. Both
// versions, both roles, set on the context and on the connection.
std::string ClientSigalgsScript(const Api& api) {
  const Pki& pki = TestPki();
  auto accept_all = +[](int, X509_STORE_CTX*) { return 1; };
  std::string log;
  struct Run {
    const char* list;
    bool program_is_client;
    bool rsa_client;
    bool on_connection;
  };
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const Run& run : {Run{"ECDSA+SHA384", true, false, false},
                           Run{"ECDSA+SHA384:ECDSA+SHA256", true, false, true},
                           Run{"RSA+SHA512:RSA-PSS+SHA384", true, true, false},
                           Run{"ECDSA+SHA384:RSA-PSS+SHA256", false, false, false},
                           Run{"RSA-PSS+SHA512:ECDSA+SHA256", false, true, true}}) {
      EVP_PKEY* client_key = run.rsa_client ? pki.rsa_key : pki.leaf_key;
      X509* client_cert = run.rsa_client ? pki.rsa_leaf : pki.leaf;
      char* list = const_cast<char*>(run.list);
      std::string set = "-";
      std::string out = sslshim::side_by_side::RunAgainstPeer(
          api, RealApiOnce(), run.program_is_client, version, pki.leaf_key, pki.leaf,
          [&](SSL_CTX* ctx, SSL_CTX* peer_ctx) {
            if (run.program_is_client) {
              api.ctx_use_certificate(ctx, client_cert);
              api.ctx_use_key(ctx, client_key);
              SSL_CTX_set_verify(peer_ctx, SSL_VERIFY_PEER, accept_all);
            } else {
              SSL_CTX_use_certificate(peer_ctx, client_cert);
              SSL_CTX_use_PrivateKey(peer_ctx, client_key);
              api.ctx_set_verify(ctx, SSL_VERIFY_PEER, accept_all);
            }
            if (!run.on_connection) {
              set = Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_CLIENT_SIGALGS_LIST, 0, list));
            }
          },
          [&](SSL* ssl) {
            if (run.on_connection) {
              set = Outcome(api.ssl_ctrl(ssl, SSL_CTRL_SET_CLIENT_SIGALGS_LIST, 0, list));
            }
          },
          [&](SSL* ssl, SSL* peer) {
            int client_digest = 0, client_type = 0, server_digest = 0;
            std::string requested;
            if (run.program_is_client) {
              SSL_get_peer_signature_nid(peer, &client_digest);
              SSL_get_peer_signature_type_nid(peer, &client_type);
              api.ssl_ctrl(ssl, SSL_CTRL_GET_PEER_SIGNATURE_NID, 0, &server_digest);
            } else {
              api.ssl_ctrl(ssl, SSL_CTRL_GET_PEER_SIGNATURE_NID, 0, &client_digest);
              SSL_get_peer_signature_nid(peer, &server_digest);
              const int count =
                  SSL_get_sigalgs(peer, -1, nullptr, nullptr, nullptr, nullptr, nullptr);
              for (int i = 0; i < count; i++) {
                int sign = 0, hash = 0;
                SSL_get_sigalgs(peer, i, &sign, &hash, nullptr, nullptr, nullptr);
                requested += " " + std::to_string(sign) + "/" + std::to_string(hash);
              }
            }
            return "client signed " + std::to_string(client_type) + "/" +
                   std::to_string(client_digest) + ", server " + std::to_string(server_digest) +
                   (run.program_is_client ? "" : ", requested" + requested);
          });
      log += std::to_string(version) + (run.program_is_client ? " client " : " server ") +
             run.list + (run.on_connection ? " (connection)" : "") + ": set " + set + ", " + out +
             "\n";
    }
  }
  return log;
}

TEST(SignatureAlgorithmLists, ClientAuthenticationListAsOpenSsl) {
  const std::string native = ClientSigalgsScript(RealApiOnce());
  // The list reaches the CertificateRequest and the client's signature.
  ASSERT_NE(native.find("771 client ECDSA+SHA384: set 1 -, done / done client signed 408/673"),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("requested 408/673 912/672"), std::string::npos) << native;
  EXPECT_EQ(ClientSigalgsScript(ShimApi()), native);
}

// The extended master secret, this side's signature digest and the peer's point formats, both
// versions and roles, after a full handshake.
std::string ExtmsScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (bool client : {true, false}) {
      long extms = -2;
      long signed_with = -2;
      int digest = -2;
      std::string formats = "none";
      std::string out = RunAgainstPeer(
          api, client, version, pki.leaf_key, pki.leaf, [](SSL_CTX*) {}, {},
          [&](SSL* ssl) {
            extms = api.ssl_ctrl(ssl, SSL_CTRL_GET_EXTMS_SUPPORT, 0, nullptr);
            signed_with = api.ssl_ctrl(ssl, SSL_CTRL_GET_SIGNATURE_NID, 0, &digest);
            const unsigned char* list = nullptr;
            long n = api.ssl_ctrl(ssl, SSL_CTRL_GET_EC_POINT_FORMATS, 0, &list);
            formats = std::to_string(n) + ":";
            for (long i = 0; i < n && list != nullptr; i++)
              formats += std::to_string(list[i]) + ",";
          });
      log += std::to_string(version) + (client ? " client: " : " server: ") + out +
             " extms=" + std::to_string(extms) + " signature_nid=" + std::to_string(signed_with) +
             "/" + std::to_string(digest) + " point_formats=" + formats + "\n";
    }
  }
  return log;
}

TEST(AfterHandshake, ExtendedMasterSecretSignatureAndPointFormatsAsOpenSsl) {
  const std::string native = ExtmsScript(RealApiOnce());
  // Reached: TLS 1.2's extended master secret and point formats, a server's own signature.
  ASSERT_NE(native.find("771 client: done / done"), std::string::npos) << native;
  ASSERT_NE(native.find("extms=1 signature_nid=1/672 point_formats=3:"), std::string::npos)
      << native;
  EXPECT_EQ(ExtmsScript(ShimApi()), native);
}

// The common name of a certificate ("-" for none).
std::string CommonName(X509* x) {
  char cn[64] = "-";
  if (x != nullptr)
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
  return cn;
}

// A context with an ECDSA and an RSA certificate (each with its key, set in that order): which
// one is current as the selection commands move it, and which one a server presents to clients
// that can verify only one kind, TLS 1.2 and 1.3.
std::string MultipleCertificatesScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  api.ctx_use_certificate(ctx, pki.leaf);
  api.ctx_use_key(ctx, pki.leaf_key);
  api.ctx_use_certificate(ctx, pki.rsa_leaf);
  api.ctx_use_key(ctx, pki.rsa_key);
  auto current = [&] { return CommonName(api.ctx_get0_certificate(ctx)); };
  log += "after both: " + current() + "\n";
  for (long op : {SSL_CERT_SET_FIRST, SSL_CERT_SET_NEXT, SSL_CERT_SET_NEXT, SSL_CERT_SET_FIRST}) {
    log += "set_current_cert " + std::to_string(op) + ": " +
           Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SET_CURRENT_CERT, op, nullptr));
    log += " -> " + current() + "\n";
  }
  for (X509* x : {pki.leaf, pki.rsa_leaf, pki.ca}) {
    log += "select_current_cert " + CommonName(x) + ": " +
           Outcome(api.ctx_ctrl(ctx, SSL_CTRL_SELECT_CURRENT_CERT, 0, x));
    log += " -> " + current() + "\n";
  }
  api.ctx_free(ctx);
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const char* client_sigalgs :
         {"ECDSA+SHA256", "rsa_pss_rsae_sha256:RSA+SHA256", "ECDSA+SHA256:rsa_pss_rsae_sha256",
          "rsa_pss_rsae_sha256:ECDSA+SHA256"}) {
      std::string presented;
      std::string out = sslshim::side_by_side::RunAgainstPeer(
          api, RealApiOnce(), false, version, pki.leaf_key, pki.leaf,
          [&](SSL_CTX* server, SSL_CTX* client) {
            api.ctx_use_certificate(server, pki.rsa_leaf);
            api.ctx_use_key(server, pki.rsa_key);
            SSL_CTX_set1_sigalgs_list(client, client_sigalgs);
          },
          {},
          [&](SSL*, SSL* client) {
            X509* peer = SSL_get0_peer_certificate(client);
            return "presented=" + CommonName(peer);
          });
      log += std::to_string(version) + " client " + client_sigalgs + ": " + out + "\n";
    }
  }
  return log;
}

// SSL_CTX_use_cert_and_key / SSL_use_cert_and_key: slots by key type, override, a mismatched key.
std::string CertAndKeyScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.server_method());
  STACK_OF(X509)* chain = sk_X509_new_null();
  sk_X509_push(chain, pki.intermediate);
  auto state = [&] {
    STACK_OF(X509)* own = nullptr;
    api.ctx_ctrl(ctx, SSL_CTRL_GET_CHAIN_CERTS, 0, &own);
    return " -> " + CommonName(api.ctx_get0_certificate(ctx)) + " chain " + Count(own) + "\n";
  };
  // One call per statement: the operands of + are not sequenced.
  auto step = [&](const char* what, X509* x, EVP_PKEY* key, STACK_OF(X509) * with, int override) {
    const std::string outcome = Outcome(api.ctx_use_cert_and_key(ctx, x, key, with, override));
    log += std::string(what) + ": " + outcome + state();
  };
  step("ec, no override", pki.leaf, pki.leaf_key, chain, 0);
  step("ec again, no override", pki.leaf, pki.leaf_key, nullptr, 0);
  step("rsa, no override", pki.rsa_leaf, pki.rsa_key, nullptr, 0);
  step("ec with the rsa key", pki.leaf, pki.rsa_key, nullptr, 1);
  step("ec again, override", pki.leaf, pki.leaf_key, nullptr, 1);
  SSL* ssl = api.ssl_new(ctx);
  log += "ssl ec, no override: " +
         Outcome(api.use_cert_and_key(ssl, pki.leaf, pki.leaf_key, nullptr, 0));
  log += "; override: " + Outcome(api.use_cert_and_key(ssl, pki.leaf, pki.leaf_key, chain, 1));
  log += " -> " + CommonName(api.get_certificate(ssl)) + "\n";
  api.ssl_free(ssl);
  sk_X509_free(chain);
  api.ctx_free(ctx);
  return log;
}

TEST(MultipleCertificates, CertAndKeyAsOpenSsl) {
  const std::string native = CertAndKeyScript(RealApiOnce());
  ASSERT_NE(
      native.find("ec again, no override: 0 20:" + std::to_string(SSL_R_NOT_REPLACING_CERTIFICATE)),
      std::string::npos)
      << native;
  EXPECT_EQ(CertAndKeyScript(ShimApi()), native);
}

TEST(MultipleCertificates, ServeWhatTheClientCanVerifyAsOpenSsl) {
  const std::string native = MultipleCertificatesScript(RealApiOnce());
  ASSERT_NE(native.find("772 client ECDSA+SHA256: done / done presented=leaf"), std::string::npos)
      << native;
  ASSERT_NE(native.find("771 client rsa_pss_rsae_sha256:RSA+SHA256: done / done presented=rsa"),
            std::string::npos)
      << native;
  EXPECT_EQ(MultipleCertificatesScript(ShimApi()), native);
}

std::string VerifyStoreScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  // The server sends leaf + intermediate; the client trusts the CA in one store or the other.
  for (int where : {0, 1, 2}) {
    const char* name[] = {"context store only", "verify store only", "empty verify store"};
    X509* cert = pki.leaf;
    std::string out =
        RunAgainstPeer(api, true, TLS1_3_VERSION, pki.leaf_key, cert, [&](SSL_CTX* ctx) {
          api.ctx_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
          X509_STORE* verify_store = X509_STORE_new();
          if (where == 0 || where == 2) X509_STORE_add_cert(api.get_cert_store(ctx), pki.ca);
          if (where == 1) X509_STORE_add_cert(verify_store, pki.ca);
          if (where != 0) api.ctx_ctrl(ctx, SSL_CTRL_SET_VERIFY_CERT_STORE, 0, verify_store);
          if (where == 0) X509_STORE_free(verify_store);
          X509_STORE_add_cert(api.get_cert_store(ctx), pki.intermediate);
          if (where == 1) X509_STORE_add_cert(verify_store, pki.intermediate);
        });
    log += std::string(name[where]) + ": " + out + "\n";
  }
  return log;
}

TEST(VerifyCertStore, VerifiesAsOpenSsl) {
  const std::string native = VerifyStoreScript(RealApiOnce());
  ASSERT_NE(native.find("verify store only: done"), std::string::npos) << native;
  ASSERT_NE(native.find("empty verify store: error"), std::string::npos) << native;
  EXPECT_EQ(VerifyStoreScript(ShimApi()), native);
}

}  // namespace

namespace {

// The certificate-transparency log store: a context has one from the start, and set0 replaces
// it with the program's (which get0 then returns).
std::string CtlogStoreScript(decltype(&SSL_CTX_new) ctx_new, decltype(&SSL_CTX_free) ctx_free,
                             decltype(&SSL_CTX_get0_ctlog_store) get0,
                             decltype(&SSL_CTX_set0_ctlog_store) set0) {
  SSL_CTX* ctx = ctx_new(TLS_method());
  std::string log = std::string("fresh: ") + (get0(ctx) != nullptr ? "a store" : "none");
  const CTLOG_STORE* first = get0(ctx);
  log += std::string(", stable: ") + (get0(ctx) == first ? "yes" : "no");
  CTLOG_STORE* mine = CTLOG_STORE_new();
  set0(ctx, mine);
  log += std::string(", after set0: ") + (get0(ctx) == mine ? "the program's" : "another");
  ctx_free(ctx);
  return log;
}

TEST(CtlogStore, AnswersAsOpenSsl) {
  using sslshim::side_by_side::Shim;
  const std::string native = CtlogStoreScript(&SSL_CTX_new, &SSL_CTX_free,
                                              &SSL_CTX_get0_ctlog_store, &SSL_CTX_set0_ctlog_store);
  ASSERT_EQ(native, "fresh: a store, stable: yes, after set0: the program's");
  EXPECT_EQ(CtlogStoreScript(Shim("SSL_CTX_new", &SSL_CTX_new), Shim("SSL_CTX_free", &SSL_CTX_free),
                             Shim("SSL_CTX_get0_ctlog_store", &SSL_CTX_get0_ctlog_store),
                             Shim("SSL_CTX_set0_ctlog_store", &SSL_CTX_set0_ctlog_store)),
            native);
}

}  // namespace

namespace {

// A SignedCertificateTimestampList with one SCT from a log nobody knows (RFC 6962 3.2).
std::vector<unsigned char> UnknownLogSctList() {
  std::vector<unsigned char> sct = {0};             // v1
  sct.insert(sct.end(), 32, 0x42);                  // log ID
  for (int i = 0; i < 8; i++) sct.push_back(0x01);  // timestamp
  sct.insert(sct.end(), {0, 0});                    // no extensions
  sct.insert(sct.end(), {4, 3, 0, 8});              // ecdsa with SHA-256, 8 bytes of signature
  sct.insert(sct.end(), 8, 0x30);
  std::vector<unsigned char> list = {
      static_cast<unsigned char>((sct.size() + 2) >> 8), static_cast<unsigned char>(sct.size() + 2),
      static_cast<unsigned char>(sct.size() >> 8), static_cast<unsigned char>(sct.size())};
  list.insert(list.end(), sct.begin(), sct.end());
  return list;
}

// The server's SCTs, in the TLS extension (serverinfo, sent when the client asks for them).
void ServeScts(SSL_CTX* server) {
  const std::vector<unsigned char> list = UnknownLogSctList();
  const unsigned int context =
      SSL_EXT_CLIENT_HELLO | SSL_EXT_TLS1_2_SERVER_HELLO | SSL_EXT_TLS1_3_CERTIFICATE;
  std::vector<unsigned char> info = {static_cast<unsigned char>(context >> 24),
                                     static_cast<unsigned char>(context >> 16),
                                     static_cast<unsigned char>(context >> 8),
                                     static_cast<unsigned char>(context),
                                     0,
                                     TLSEXT_TYPE_signed_certificate_timestamp,
                                     static_cast<unsigned char>(list.size() >> 8),
                                     static_cast<unsigned char>(list.size())};
  info.insert(info.end(), list.begin(), list.end());
  SSL_CTX_use_serverinfo_ex(server, SSL_SERVERINFOV2, info.data(), info.size());
}

int CountingCtCallback(const CT_POLICY_EVAL_CTX*, const STACK_OF(SCT) * scts, void* arg) {
  *static_cast<int*>(arg) = scts != nullptr ? sk_SCT_num(scts) : -1;
  return 1;
}

// Certificate transparency on a client that trusts the server's CA: enabling it (strict,
// permissive, the program's callback), against a server without SCTs and one with an SCT from
// an unknown log, and with verification that fails (self-signed) and therefore skips the check.
std::string CtScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  {
    SSL_CTX* ctx = api.ctx_new(api.client_method());
    log += "enable 99: " + Outcome(api.ctx_enable_ct(ctx, 99));
    log += ", enabled " + std::to_string(api.ctx_ct_is_enabled(ctx));
    log += ", strict: " + Outcome(api.ctx_enable_ct(ctx, SSL_CT_VALIDATION_STRICT));
    log += ", enabled " + std::to_string(api.ctx_ct_is_enabled(ctx));
    SSL* ssl = api.ssl_new(ctx);
    log += ", ssl enabled " + std::to_string(api.ct_is_enabled(ssl)) + "\n";
    api.ssl_free(ssl);
    api.ctx_free(ctx);
  }
  static int counted = 0;
  struct Case {
    const char* name;
    int mode;  // -1: the counting callback
    bool serve_scts;
    bool trusted;
  };
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const Case& c : {Case{"strict, no SCTs", SSL_CT_VALIDATION_STRICT, false, true},
                          Case{"permissive, no SCTs", SSL_CT_VALIDATION_PERMISSIVE, false, true},
                          Case{"permissive, unknown log", SSL_CT_VALIDATION_PERMISSIVE, true, true},
                          Case{"strict, unknown log", SSL_CT_VALIDATION_STRICT, true, true},
                          Case{"callback, unknown log", -1, true, true},
                          Case{"strict, untrusted", SSL_CT_VALIDATION_STRICT, false, false}}) {
      counted = -2;
      std::string out = sslshim::side_by_side::RunAgainstPeer(
          api, RealApiOnce(), true, version, pki.rsa_key, pki.rsa_leaf,
          [&](SSL_CTX* ctx, SSL_CTX* server) {
            if (c.trusted) X509_STORE_add_cert(api.get_cert_store(ctx), pki.ca);
            api.ctx_set_verify(ctx, c.trusted ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
            if (c.mode < 0) {
              api.ctx_set_ct_callback(ctx, CountingCtCallback, &counted);
            } else {
              api.ctx_enable_ct(ctx, c.mode);
            }
            if (c.serve_scts) ServeScts(server);
          },
          {},
          [&](SSL* ssl, SSL*) {
            const STACK_OF(SCT)* scts = api.get0_peer_scts(ssl);
            std::string seen = scts == nullptr ? "null" : std::to_string(sk_SCT_num(scts));
            for (int i = 0; scts != nullptr && i < sk_SCT_num(scts); i++) {
              const SCT* sct = sk_SCT_value(scts, i);
              seen += " (source " + std::to_string(SCT_get_source(sct)) + ", status " +
                      std::to_string(SCT_get_validation_status(sct)) + ")";
            }
            return "verify=" + std::to_string(api.get_verify_result(ssl)) + " scts " + seen +
                   " callback saw " + std::to_string(counted);
          });
      ERR_clear_error();
      log += std::to_string(version) + " " + c.name + ": " + out + "\n";
    }
  }
  return log;
}

TEST(CertificateTransparency, ValidatesAsOpenSsl) {
  const std::string native = CtScript(RealApiOnce());
  ASSERT_NE(native.find("772 permissive, unknown log: done / done verify=0 scts 1"),
            std::string::npos)
      << native;
  ASSERT_NE(native.find("771 strict, no SCTs: error"), std::string::npos) << native;
  EXPECT_EQ(CtScript(ShimApi()), native);
}

}  // namespace

namespace {

// SSL_check_chain from a server's certificate callback (as openssl s_server's -xcert chains are
// chosen), for chains of each key kind, against clients offering various signature algorithms
// and groups: the same CERT_PKEY_* flags through the shim as from OpenSSL 3.
struct ChainCheckRun {
  const Api* api = nullptr;
  std::string flags;
};
ChainCheckRun chain_check;

int CheckChainsCallback(SSL* ssl, void*) {
  const Pki& pki = TestPki();
  STACK_OF(X509)* chain = sk_X509_new_null();
  sk_X509_push(chain, pki.intermediate);
  char hex[16];
  struct Candidate {
    X509* x;
    EVP_PKEY* key;
    STACK_OF(X509) * chain;
  };
  for (const Candidate& c :
       {Candidate{pki.leaf, pki.leaf_key, chain}, Candidate{pki.leaf, pki.leaf_key, nullptr},
        Candidate{pki.rsa_leaf, pki.rsa_key, nullptr},
        Candidate{pki.intermediate, pki.intermediate_key, nullptr}}) {
    std::snprintf(hex, sizeof hex, " %x", chain_check.api->check_chain(ssl, c.x, c.key, c.chain));
    chain_check.flags += hex;
  }
  sk_X509_free(chain);
  return 1;
}

std::string CheckChainScript(const Api& api) {
  const Pki& pki = TestPki();
  chain_check.api = &api;
  std::string log;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const char* sigalgs : {"", "RSA+SHA256:rsa_pss_rsae_sha256", "ECDSA+SHA384:ECDSA+SHA256",
                                "ECDSA+SHA256:RSA+SHA256"}) {
      for (const char* groups : {"", "X25519:P-384"}) {
        chain_check.flags.clear();
        // The handshakes' own outcomes are compared elsewhere; here the flags alone.
        sslshim::side_by_side::RunAgainstPeer(
            api, RealApiOnce(), false, version, pki.leaf_key, pki.leaf,
            [&](SSL_CTX* ctx, SSL_CTX* client) {
              api.ctx_set_cert_cb(ctx, CheckChainsCallback, nullptr);
              if (*sigalgs != '\0') SSL_CTX_set1_sigalgs_list(client, sigalgs);
              if (*groups != '\0') SSL_CTX_set1_groups_list(client, groups);
            },
            {}, [](SSL*, SSL*) { return std::string(); });
        log += std::to_string(version) + " client sigalgs '" + sigalgs + "' groups '" + groups +
               "':" + chain_check.flags + "\n";
      }
    }
  }
  return log;
}

TEST(CheckChain, FlagsAsOpenSsl) {
  const std::string native = CheckChainScript(RealApiOnce());
  ASSERT_NE(native.find("771 client sigalgs '' groups '':"), std::string::npos) << native;
  EXPECT_EQ(CheckChainScript(ShimApi()), native);
}

}  // namespace
