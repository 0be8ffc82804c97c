/*
 * The module late_libssl_probe opens RTLD_LOCAL, as Python opens _ssl: it links libssl.so.3, so
 * the real libssl arrives with it, outside the global scope, while its libssl imports still bind
 * to the preloaded shim. It makes an object with the real libssl and passes it to those imports:
 * the shim must forward every call on it, served and guarded, to the real libssl.
 */
#define _GNU_SOURCE /* dlvsym, RTLD_DEFAULT */
#include <dlfcn.h>
#include <openssl/ssl.h>

typedef const SSL_METHOD* (*method_fn)(void);
typedef SSL_CTX* (*ctx_new_fn)(const SSL_METHOD*);
typedef STACK_OF(SSL_CIPHER) * (*ciphers_fn)(const SSL_CTX*);
typedef long (*timeout_fn)(const SSL_CTX*);

struct real_libssl {
  method_fn method;
  ctx_new_fn ctx_new;
  ciphers_fn get_ciphers;
  timeout_fn get_timeout;
  void* get_ssl_method;
  void* set_timeout;
};

static const char* find_real(struct real_libssl* r) {
  /* The libssl.so.3 this module brought in: the shim's soname is libsslshim.so. */
  void* lib = dlopen("libssl.so.3", RTLD_NOW | RTLD_NOLOAD);
  if (lib == NULL) return "the real libssl.so.3 is not loaded with the module";
  r->method = (method_fn)dlvsym(lib, "TLS_method", "OPENSSL_3.0.0");
  r->ctx_new = (ctx_new_fn)dlvsym(lib, "SSL_CTX_new", "OPENSSL_3.0.0");
  r->get_ciphers = (ciphers_fn)dlvsym(lib, "SSL_CTX_get_ciphers", "OPENSSL_3.0.0");
  r->get_timeout = (timeout_fn)dlvsym(lib, "SSL_CTX_get_timeout", "OPENSSL_3.0.0");
  r->get_ssl_method = dlvsym(lib, "SSL_CTX_get_ssl_method", "OPENSSL_3.0.0");
  r->set_timeout = dlvsym(lib, "SSL_CTX_set_timeout", "OPENSSL_3.0.0");
  dlclose(lib); /* the module keeps it loaded */
  if (r->method == NULL || r->ctx_new == NULL || r->get_ciphers == NULL || r->get_timeout == NULL ||
      r->get_ssl_method == NULL || r->set_timeout == NULL) {
    return "dlvsym(..., OPENSSL_3.0.0) failed in the real libssl.so.3";
  }
  /* Otherwise the calls below would prove nothing about the shim. */
  if ((void*)&SSL_CTX_get_ssl_method == r->get_ssl_method ||
      (void*)&SSL_CTX_set_timeout == r->set_timeout) {
    return "the module's libssl imports reach the real libssl, not the preloaded shim";
  }
  return NULL;
}

/* NULL when every call on the real libssl's object was forwarded, else what went wrong. */
__attribute__((visibility("default"))) const char* late_libssl_module_check(void) {
  struct real_libssl r;
  const char* why = find_real(&r);
  if (why != NULL) return why;
  SSL_CTX* ctx = r.ctx_new(r.method());
  if (ctx == NULL) return "the real SSL_CTX_new failed";
  why = NULL;
  /* Guarded by the shim (not implemented): forwarded, or refused with NULL. */
  if (SSL_CTX_get_ssl_method(ctx) != r.method()) {
    why = "SSL_CTX_get_ssl_method (a guard) did not reach the real libssl";
  } else if (SSL_CTX_get_ciphers(ctx) == NULL || SSL_CTX_get_ciphers(ctx) != r.get_ciphers(ctx)) {
    why = "SSL_CTX_get_ciphers (a guard) did not reach the real libssl";
  } else if (SSL_CTX_set_timeout(ctx, 4321), r.get_timeout(ctx) != 4321) {
    /* Served by the shim for its own objects: forwarded for this one. */
    why = "SSL_CTX_set_timeout (served) did not reach the real libssl";
  }
  SSL_CTX_free(ctx); /* served: forwarded too */
  return why;
}
