/* What a program sees of the process-wide libssl functions that answer without a real libssl
 * beside them when the shim stands in as libssl.so.3: TLS compression's methods, and the named
 * ssl_conf sections of the configuration OPENSSL_CONF names (loaded by OPENSSL_init_ssl).
 * standin_answers_test.sh runs it natively and standing in; the outputs must be the same. */
#include <openssl/comp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>

static void Line(const char* what, long ret) {
  unsigned long error = ERR_get_error();
  printf("%s: %ld %d:%d\n", what, ret, error != 0 ? ERR_GET_LIB(error) : 0,
         error != 0 ? ERR_GET_REASON(error) : 0);
  ERR_clear_error();
}

int main(void) {
  if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1) return 2;
  COMP_METHOD* zlib = COMP_zlib();
  Line("zlib method type", zlib != NULL ? COMP_get_type(zlib) : -1);
  Line("add zlib 200", SSL_COMP_add_compression_method(200, zlib));
  Line("add zlib 1", SSL_COMP_add_compression_method(1, zlib));
  Line("add null 200", SSL_COMP_add_compression_method(200, NULL));
  Line("methods", sk_SSL_COMP_num(SSL_COMP_get_compression_methods()));
  SSL_add_ssl_module();
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  if (ctx == NULL) return 2;
  Line("SSL_CTX_config unknown", SSL_CTX_config(ctx, "standin_unknown"));
  Line("SSL_CTX_config good", SSL_CTX_config(ctx, "standin_good"));
  Line("min version", SSL_CTX_get_min_proto_version(ctx));
  Line("no ticket", (SSL_CTX_get_options(ctx) & SSL_OP_NO_TICKET) != 0);
  Line("SSL_CTX_config bad", SSL_CTX_config(ctx, "standin_bad"));
  SSL* ssl = SSL_new(ctx);
  Line("SSL_config good", SSL_config(ssl, "standin_good"));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return 0;
}
