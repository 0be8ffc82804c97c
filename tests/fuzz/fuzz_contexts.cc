#include "fuzz_contexts.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <initializer_list>

namespace sslshim::fuzz {
namespace {

EVP_PKEY* g_key = nullptr;
X509* g_cert = nullptr;
SSL_CTX* g_server_ctx = nullptr;
SSL_CTX* g_client_ctx = nullptr;

X509* SelfSigned(EVP_PKEY* key) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  return cert;
}

void FreeContexts() {
  SSL_CTX_free(g_server_ctx);
  SSL_CTX_free(g_client_ctx);
  X509_free(g_cert);
  EVP_PKEY_free(g_key);
}

void MakeContexts() {
  g_key = EVP_EC_gen("P-256");
  g_cert = SelfSigned(g_key);
  g_server_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(g_server_ctx, g_cert);
  SSL_CTX_use_PrivateKey(g_server_ctx, g_key);
  g_client_ctx = SSL_CTX_new(TLS_client_method());
  atexit(FreeContexts);
}

}  // namespace

SSL_CTX* ServerContext() { return g_server_ctx; }
SSL_CTX* ClientContext() { return g_client_ctx; }

void EndInput() {
  for (SSL_CTX* ctx : {g_server_ctx, g_client_ctx}) {
    SSL_CTX_flush_sessions(ctx, 0);  // 0: every session, whatever its time
    SSL_CTX_sessions(ctx);           // the view drops its references to the flushed sessions
  }
  ERR_clear_error();
}

}  // namespace sslshim::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  (void)argc, (void)argv;
  sslshim::fuzz::MakeContexts();
  return 0;
}
