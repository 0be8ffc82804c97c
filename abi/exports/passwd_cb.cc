// A connection's own password callback, which OpenSSL's SSL_new copies from the context and its
// SSL_use_*_file functions read encrypted keys with (exports/conn_certs.cc).
#include <openssl/ssl.h>

#include "exports/entry_point.h"

SSLSHIM_SSL_ENTRY(SSL_set_default_passwd_cb, , cb) { ssl->passwd_callback = cb; }

SSLSHIM_SSL_ENTRY(SSL_set_default_passwd_cb_userdata, , u) { ssl->passwd_userdata = u; }

SSLSHIM_SSL_ENTRY(SSL_get_default_passwd_cb, nullptr) { return ssl->passwd_callback; }

SSLSHIM_SSL_ENTRY(SSL_get_default_passwd_cb_userdata, nullptr) { return ssl->passwd_userdata; }
