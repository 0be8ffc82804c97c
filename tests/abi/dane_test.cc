// DANE TLSA authentication answers through the shim as through OpenSSL 3: the same answers and
// reasons from SSL_CTX_dane_enable, SSL_CTX_dane_mtype_set, SSL_dane_enable and SSL_dane_tlsa_add
// for good and bad records, the same flags, and, in handshakes with a real OpenSSL server in this
// process (TLS 1.2 and 1.3, over a BIO pair), the same verdict, verify result and match
// (SSL_get0_dane_authority, SSL_get0_dane_tlsa) for DANE-EE, DANE-TA and PKIX records that
// match, that match nothing, and with names that do or do not fit.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>
#include <vector>

#include "side_by_side.h"

namespace {

#define SSLSHIM_API_FIELDS(X)                        \
  SSLSHIM_SIDE_BY_SIDE_HANDSHAKE_FIELDS(X)           \
  X(ctx_dane_enable, SSL_CTX_dane_enable)            \
  X(ctx_dane_mtype_set, SSL_CTX_dane_mtype_set)      \
  X(ctx_dane_set_flags, SSL_CTX_dane_set_flags)      \
  X(ctx_dane_clear_flags, SSL_CTX_dane_clear_flags)  \
  X(ctx_set_verify, SSL_CTX_set_verify)              \
  X(dane_enable, SSL_dane_enable)                    \
  X(dane_tlsa_add, SSL_dane_tlsa_add)                \
  X(dane_set_flags, SSL_dane_set_flags)              \
  X(dane_clear_flags, SSL_dane_clear_flags)          \
  X(get0_dane, SSL_get0_dane)                        \
  X(get0_dane_authority, SSL_get0_dane_authority)    \
  X(get0_dane_tlsa, SSL_get0_dane_tlsa)              \
  X(get_servername, SSL_get_servername)              \
  X(get_verify_result, SSL_get_verify_result)        \
  X(get_peer_certificate, SSL_get1_peer_certificate) \
  X(ssl_ctrl, SSL_ctrl)                              \
  X(clear, SSL_clear)                                \
  X(dup, SSL_dup)

SSLSHIM_SIDE_BY_SIDE_API(Api, SSLSHIM_API_FIELDS)

using sslshim::side_by_side::IssuedCertificate;
using sslshim::side_by_side::Outcome;
using sslshim::side_by_side::RunAgainstPeer;

std::vector<unsigned char> Der(X509* cert) {
  unsigned char* p = nullptr;
  int len = i2d_X509(cert, &p);
  std::vector<unsigned char> out(p, p + (len > 0 ? len : 0));
  OPENSSL_free(p);
  return out;
}

std::vector<unsigned char> SpkiDer(X509* cert) {
  unsigned char* p = nullptr;
  int len = i2d_PUBKEY(X509_get0_pubkey(cert), &p);
  std::vector<unsigned char> out(p, p + (len > 0 ? len : 0));
  OPENSSL_free(p);
  return out;
}

std::vector<unsigned char> Digest(const std::vector<unsigned char>& in, const EVP_MD* md) {
  std::vector<unsigned char> out(EVP_MD_get_size(md));
  unsigned int len = 0;
  EVP_Digest(in.data(), in.size(), out.data(), &len, md, nullptr);
  out.resize(len);
  return out;
}

// A CA, and a leaf for "dane.test" it issued; the server sends the leaf alone.
struct Pki {
  EVP_PKEY* ca_key = EVP_EC_gen("P-256");
  EVP_PKEY* leaf_key = EVP_EC_gen("P-256");
  X509* ca = IssuedCertificate(ca_key, "dane test CA", nullptr, nullptr, true);
  X509* leaf = IssuedCertificate(leaf_key, "dane.test", ca, ca_key, false);
  ~Pki() {
    X509_free(ca);
    X509_free(leaf);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(leaf_key);
  }
};

const Pki& TestPki() {
  static const Pki* pki = new Pki;
  return *pki;
}

// --- Records, flags and matching types, without a handshake ------------------------------------

std::string RecordsScript(const Api& api) {
  const Pki& pki = TestPki();
  std::string log;
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  SSL* ssl = api.ssl_new(ctx);
  const std::vector<unsigned char> spki = SpkiDer(pki.leaf);
  const std::vector<unsigned char> sha256 = Digest(spki, EVP_sha256());
  auto add = [&](uint8_t usage, uint8_t selector, uint8_t mtype, const unsigned char* data,
                 size_t len) {
    return Outcome(api.dane_tlsa_add(ssl, usage, selector, mtype, data, len));
  };
  log += "enable before the context: " + Outcome(api.dane_enable(ssl, "dane.test")) + "\n";
  log += "add before enable: " + add(3, 1, 1, sha256.data(), sha256.size()) + "\n";
  log += "authority before enable: " + Outcome(api.get0_dane_authority(ssl, nullptr, nullptr));
  log += std::string(", get0_dane ") + (api.get0_dane(ssl) != nullptr ? "set" : "null") + "\n";
  log += "ctx enable: " + Outcome(api.ctx_dane_enable(ctx));
  log += ", again: " + Outcome(api.ctx_dane_enable(ctx)) + "\n";
  log += "enable: " + Outcome(api.dane_enable(ssl, "dane.test"));
  const char* sni = api.get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  log += std::string(", sni ") + (sni != nullptr ? sni : "none");
  log += ", again: " + Outcome(api.dane_enable(ssl, "other.test")) + "\n";

  const std::vector<unsigned char> garbage = {0x30, 0x03, 0x02, 0x01, 0x05};
  const std::vector<unsigned char> cert = Der(pki.ca);
  log += "usage 4: " + add(4, 1, 1, sha256.data(), sha256.size()) + "\n";
  log += "selector 2: " + add(3, 2, 1, sha256.data(), sha256.size()) + "\n";
  log += "mtype 3: " + add(3, 1, 3, sha256.data(), sha256.size()) + "\n";
  log += "short digest: " + add(3, 1, 1, sha256.data(), sha256.size() - 1) + "\n";
  log += "null digest: " + add(3, 1, 1, nullptr, sha256.size()) + "\n";
  log += "bad full cert: " + add(2, 0, 0, garbage.data(), garbage.size()) + "\n";
  log += "bad full key: " + add(2, 1, 0, garbage.data(), garbage.size()) + "\n";
  log += "cert with trailing byte: ";
  std::vector<unsigned char> longer = cert;
  longer.push_back(0);
  log += add(2, 0, 0, longer.data(), longer.size()) + "\n";
  log += "empty full: " + add(3, 0, 0, cert.data(), 0) + "\n";
  log += "3 1 1: " + add(3, 1, 1, sha256.data(), sha256.size()) + "\n";
  log += "2 0 0: " + add(2, 0, 0, cert.data(), cert.size()) + "\n";
  log += "2 1 0: " + add(2, 1, 0, spki.data(), spki.size()) + "\n";
  log += "authority with records, before a handshake: " +
         Outcome(api.get0_dane_authority(ssl, nullptr, nullptr)) + "\n";

  log +=
      "mtype_set full with a digest: " + Outcome(api.ctx_dane_mtype_set(ctx, EVP_sha256(), 0, 1)) +
      "\n";
  log += "mtype_set 3 sha384: " + Outcome(api.ctx_dane_mtype_set(ctx, EVP_sha384(), 3, 3));
  const std::vector<unsigned char> sha384 = Digest(spki, EVP_sha384());
  log += ", add 3 1 3: " + add(3, 1, 3, sha384.data(), sha384.size()) + "\n";
  log += "mtype_set 1 disabled: " + Outcome(api.ctx_dane_mtype_set(ctx, nullptr, 1, 0));
  log += ", add 3 1 1: " + add(3, 1, 1, sha256.data(), sha256.size()) + "\n";

  log +=
      "ctx flags: " + std::to_string(api.ctx_dane_set_flags(ctx, DANE_FLAG_NO_DANE_EE_NAMECHECKS));
  log += " " + std::to_string(api.ctx_dane_set_flags(ctx, 0));
  log += " " + std::to_string(api.ctx_dane_clear_flags(ctx, DANE_FLAG_NO_DANE_EE_NAMECHECKS));
  log += " " + std::to_string(api.ctx_dane_set_flags(ctx, DANE_FLAG_NO_DANE_EE_NAMECHECKS)) + "\n";
  SSL* second = api.ssl_new(ctx);
  log += "a new connection's flags: " + std::to_string(api.dane_set_flags(second, 0));
  log += " " + std::to_string(api.dane_clear_flags(second, ~0UL));
  log += " " + std::to_string(api.dane_set_flags(second, 0)) + "\n";
  log += "enable with an empty name: " + Outcome(api.dane_enable(second, ""));
  sni = api.get_servername(second, TLSEXT_NAMETYPE_host_name);
  log += std::string(", sni ") + (sni != nullptr ? sni : "none") + "\n";
  // SSL_set_tlsext_host_name first: SSL_dane_enable keeps a name already set.
  SSL* third = api.ssl_new(ctx);
  api.ssl_ctrl(third, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>("sni.test"));
  log += "enable after an SNI name: " + Outcome(api.dane_enable(third, "dane.test"));
  sni = api.get_servername(third, TLSEXT_NAMETYPE_host_name);
  log += std::string(", sni ") + (sni != nullptr ? sni : "none") + "\n";
  api.ssl_free(third);
  api.ssl_free(second);
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(DaneRecords, AnswerAsOpenSsl) {
  const std::string native = RecordsScript(RealApiOnce());
  // The script must reach OpenSSL's checks: records were accepted and refused.
  ASSERT_NE(native.find("3 1 1: 1 -"), std::string::npos) << native;
  ASSERT_NE(native.find("usage 4: 0 20:"), std::string::npos) << native;
  EXPECT_EQ(RecordsScript(ShimApi()), native);
}

// --- Verification in a handshake ---------------------------------------------------------------

struct Record {
  uint8_t usage, selector, mtype;
  std::vector<unsigned char> data;
};

// The client (`api`) with DANE for `base_domain` and `records` (none: DANE enabled without
// records), verify mode `verify_mode`, against a real OpenSSL server sending the leaf alone.
std::string DaneHandshake(const Api& api, int version, const char* base_domain,
                          const std::vector<Record>& records, int verify_mode,
                          unsigned long flags) {
  const Pki& pki = TestPki();
  auto configure = [&](SSL_CTX* ctx, SSL_CTX*) {
    api.ctx_dane_enable(ctx);
    api.ctx_set_verify(ctx, verify_mode, nullptr);
  };
  auto configure_ssl = [&](SSL* ssl) {
    api.dane_enable(ssl, base_domain);
    api.dane_set_flags(ssl, flags);
    for (const Record& r : records) {
      api.dane_tlsa_add(ssl, r.usage, r.selector, r.mtype, r.data.data(), r.data.size());
    }
    ERR_clear_error();
  };
  auto after = [&](SSL* ssl, SSL* peer) {
    std::string out = "verify " + std::to_string(api.get_verify_result(ssl));
    X509* mcert = nullptr;
    EVP_PKEY* mspki = nullptr;
    int depth = api.get0_dane_authority(ssl, &mcert, &mspki);
    X509* peer_cert = api.get_peer_certificate(ssl);
    out += ", authority " + std::to_string(depth);
    out += std::string(" mcert ") + (mcert == nullptr                 ? "none"
                                     : X509_cmp(mcert, pki.leaf) == 0 ? "leaf"
                                     : X509_cmp(mcert, pki.ca) == 0   ? "ca"
                                                                      : "other");
    out += std::string(" mspki ") + (mspki != nullptr ? "set" : "none");
    X509_free(peer_cert);
    uint8_t usage = 9, selector = 9, mtype = 9;
    const unsigned char* data = nullptr;
    size_t dlen = 0;
    int tlsa = api.get0_dane_tlsa(ssl, &usage, &selector, &mtype, &data, &dlen);
    out += ", tlsa " + std::to_string(tlsa) + " " + std::to_string(usage) + " " +
           std::to_string(selector) + " " + std::to_string(mtype) + " " + std::to_string(dlen);
    const char* sni = SSL_get_servername(peer, TLSEXT_NAMETYPE_host_name);
    out += std::string(", server saw sni ") + (sni != nullptr ? sni : "none");
    // SSL_clear forgets the match, not the records.
    api.clear(ssl);
    out += ", after clear " + std::to_string(api.get0_dane_authority(ssl, nullptr, nullptr));
    return out;
  };
  return RunAgainstPeer(api, RealApiOnce(), true, version, pki.leaf_key, pki.leaf, configure,
                        configure_ssl, after);
}

TEST(DaneVerification, AnswersAsOpenSsl) {
  const Pki& pki = TestPki();
  const std::vector<unsigned char> leaf_spki = SpkiDer(pki.leaf);
  const std::vector<unsigned char> ca_der = Der(pki.ca);
  const Record ee_spki_sha256{3, 1, 1, Digest(leaf_spki, EVP_sha256())};
  const Record ee_cert_sha512{3, 0, 2, Digest(Der(pki.leaf), EVP_sha512())};
  const Record ee_wrong{3, 1, 1, std::vector<unsigned char>(32, 0xab)};
  const Record ta_full_cert{2, 0, 0, ca_der};
  const Record ta_full_spki{2, 1, 0, SpkiDer(pki.ca)};
  const Record ta_cert_sha256{2, 0, 1, Digest(ca_der, EVP_sha256())};
  const Record pkix_ee{1, 1, 1, Digest(leaf_spki, EVP_sha256())};
  struct Case {
    const char* name;
    const char* base_domain;
    std::vector<Record> records;
    int verify_mode;
    unsigned long flags;
  };
  const std::vector<Case> cases = {
      {"DANE-EE SPKI SHA-256", "dane.test", {ee_spki_sha256}, SSL_VERIFY_PEER, 0},
      {"DANE-EE cert SHA-512, another name", "other.test", {ee_cert_sha512}, SSL_VERIFY_PEER, 0},
      {"DANE-EE, no EE name checks, another name",
       "other.test",
       {ee_spki_sha256},
       SSL_VERIFY_PEER,
       DANE_FLAG_NO_DANE_EE_NAMECHECKS},
      {"DANE-EE matching nothing", "dane.test", {ee_wrong}, SSL_VERIFY_PEER, 0},
      {"DANE-EE matching nothing, verify none", "dane.test", {ee_wrong}, SSL_VERIFY_NONE, 0},
      {"wrong then right", "dane.test", {ee_wrong, ee_spki_sha256}, SSL_VERIFY_PEER, 0},
      {"DANE-TA full cert not sent", "dane.test", {ta_full_cert}, SSL_VERIFY_PEER, 0},
      {"DANE-TA full key not sent", "dane.test", {ta_full_spki}, SSL_VERIFY_PEER, 0},
      {"DANE-TA, another name", "other.test", {ta_full_cert}, SSL_VERIFY_PEER, 0},
      {"DANE-TA digest of a cert not sent", "dane.test", {ta_cert_sha256}, SSL_VERIFY_PEER, 0},
      {"PKIX-EE without trust", "dane.test", {pkix_ee}, SSL_VERIFY_PEER, 0},
      {"enabled, no records", "dane.test", {}, SSL_VERIFY_PEER, 0},
  };
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(std::string(c.name) + (version == TLS1_3_VERSION ? ", TLS 1.3" : ", TLS 1.2"));
      const std::string native =
          DaneHandshake(RealApiOnce(), version, c.base_domain, c.records, c.verify_mode, c.flags);
      EXPECT_EQ(DaneHandshake(ShimApi(), version, c.base_domain, c.records, c.verify_mode, c.flags),
                native);
    }
  }
  // The cases must tell verdicts apart natively: a match, and a refusal for matching nothing.
  EXPECT_EQ(DaneHandshake(RealApiOnce(), TLS1_3_VERSION, "dane.test", {ee_spki_sha256},
                          SSL_VERIFY_PEER, 0)
                .rfind("done / done verify 0, authority 0", 0),
            0u);
  const std::string refused =
      DaneHandshake(RealApiOnce(), TLS1_3_VERSION, "dane.test", {ee_wrong}, SSL_VERIFY_PEER, 0);
  EXPECT_NE(refused.find("verify " + std::to_string(X509_V_ERR_DANE_NO_MATCH)), std::string::npos)
      << refused;
  EXPECT_EQ(refused.rfind("done", 0), std::string::npos) << refused;
}

// SSL_dup copies the records: the copy verifies by them.
std::string DupScript(const Api& api) {
  const Pki& pki = TestPki();
  const std::vector<unsigned char> digest = Digest(SpkiDer(pki.leaf), EVP_sha256());
  SSL_CTX* ctx = api.ctx_new(api.client_method());
  api.ctx_dane_enable(ctx);
  SSL* ssl = api.ssl_new(ctx);
  api.dane_enable(ssl, "dane.test");
  api.dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
  api.dane_tlsa_add(ssl, 3, 1, 1, digest.data(), digest.size());
  SSL* copy = api.dup(ssl);
  std::string log = std::string("dup ") + (copy != nullptr ? "made" : "failed");
  if (copy != nullptr) {
    log += ", flags " + std::to_string(api.dane_set_flags(copy, 0));
    log += ", authority " + std::to_string(api.get0_dane_authority(copy, nullptr, nullptr));
    log += ", enable again " + Outcome(api.dane_enable(copy, "dane.test"));
    api.ssl_free(copy);
  }
  api.ssl_free(ssl);
  api.ctx_free(ctx);
  return log;
}

TEST(DaneRecords, DupCopiesThemAsOpenSsl) {
  const std::string native = DupScript(RealApiOnce());
  ASSERT_NE(native.find("dup made"), std::string::npos) << native;
  EXPECT_EQ(DupScript(ShimApi()), native);
}

}  // namespace
