// BIO_f_ssl: a BIO that reads and writes through an SSL (BIO_new_ssl, BIO_new_ssl_connect,
// BIO_do_handshake, BIO_ssl_shutdown), as OpenSSL 3's ssl/bio_ssl.c, step for step. The method
// lives in the program's libcrypto and drives the SSL only through the exported libssl functions,
// so it serves an SSL of the shim's and, preloaded, one of the real libssl's alike (each call
// takes the SSL to its own library). Forwarding BIO_f_ssl instead would hand the real libssl's
// filter a handle of the shim's, which it would read as its own structure. (openssl s_server -www
// serves its pages through this BIO.)
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>
#include <ctime>

#include "exports/entry_point.h"

namespace sslshim {
namespace {

struct SslFilter {
  SSL* ssl = nullptr;
  // Renegotiate every this many bytes or seconds (BIO_set_ssl_renegotiate_bytes / _timeout).
  int num_renegotiates = 0;
  unsigned long renegotiate_count = 0;
  size_t byte_count = 0;
  unsigned long renegotiate_timeout = 0;
  unsigned long last_time = 0;
};

SslFilter* FilterOf(BIO* bio) { return static_cast<SslFilter*>(BIO_get_data(bio)); }

int FilterNew(BIO* bio) {
  auto* filter = new (std::nothrow) SslFilter();
  if (filter == nullptr) {
    ERR_raise(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE);
    return 0;
  }
  BIO_set_init(bio, 0);
  BIO_set_data(bio, filter);
  BIO_clear_flags(bio, ~0);
  return 1;
}

int FilterFree(BIO* bio) {
  if (bio == nullptr) return 0;
  SslFilter* filter = FilterOf(bio);
  if (BIO_get_shutdown(bio)) {
    if (filter->ssl != nullptr && !SSL_in_init(filter->ssl)) SSL_shutdown(filter->ssl);
    if (BIO_get_init(bio)) SSL_free(filter->ssl);
    BIO_clear_flags(bio, ~0);
    BIO_set_init(bio, 0);
  }
  delete filter;
  return 1;
}

// After a data call: renegotiate on the byte or time budget, or set the retry flags the SSL's
// answer asks for.
void AfterIo(BIO* bio, SslFilter* filter, int ret, size_t done, bool reading) {
  int retry_reason = 0;
  switch (SSL_get_error(filter->ssl, ret)) {
    case SSL_ERROR_NONE: {
      bool renegotiated = false;
      if (filter->renegotiate_count > 0) {
        filter->byte_count += done;
        if (filter->byte_count > filter->renegotiate_count) {
          filter->byte_count = 0;
          filter->num_renegotiates++;
          SSL_renegotiate(filter->ssl);
          renegotiated = true;
        }
      }
      if (filter->renegotiate_timeout > 0 && !renegotiated) {
        unsigned long now = static_cast<unsigned long>(time(nullptr));
        if (now > filter->last_time + filter->renegotiate_timeout) {
          filter->last_time = now;
          filter->num_renegotiates++;
          SSL_renegotiate(filter->ssl);
        }
      }
      break;
    }
    case SSL_ERROR_WANT_READ:
      BIO_set_retry_read(bio);
      break;
    case SSL_ERROR_WANT_WRITE:
      BIO_set_retry_write(bio);
      break;
    case SSL_ERROR_WANT_X509_LOOKUP:
      BIO_set_retry_special(bio);
      retry_reason = BIO_RR_SSL_X509_LOOKUP;
      break;
    case SSL_ERROR_WANT_ACCEPT:
      if (reading) {  // OpenSSL's write path does not look for it
        BIO_set_retry_special(bio);
        retry_reason = BIO_RR_ACCEPT;
      }
      break;
    case SSL_ERROR_WANT_CONNECT:
      BIO_set_retry_special(bio);
      retry_reason = BIO_RR_CONNECT;
      break;
    default:
      break;
  }
  BIO_set_retry_reason(bio, retry_reason);
}

int FilterRead(BIO* bio, char* buf, size_t size, size_t* readbytes) {
  if (buf == nullptr) return 0;
  SslFilter* filter = FilterOf(bio);
  BIO_clear_retry_flags(bio);
  int ret = SSL_read_ex(filter->ssl, buf, size, readbytes);
  AfterIo(bio, filter, ret, *readbytes, true);
  return ret;
}

int FilterWrite(BIO* bio, const char* buf, size_t size, size_t* written) {
  if (buf == nullptr) return 0;
  SslFilter* filter = FilterOf(bio);
  BIO_clear_retry_flags(bio);
  int ret = SSL_write_ex(filter->ssl, buf, size, written);
  AfterIo(bio, filter, ret, *written, false);
  return ret;
}

int FilterPuts(BIO* bio, const char* str) {
  return BIO_write(bio, str, static_cast<int>(strlen(str)));
}

long DoHandshake(BIO* bio, SSL* ssl) {
  BIO_clear_retry_flags(bio);
  BIO_set_retry_reason(bio, 0);
  long ret = SSL_do_handshake(ssl);
  switch (SSL_get_error(ssl, static_cast<int>(ret))) {
    case SSL_ERROR_WANT_READ:
      BIO_set_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY);
      break;
    case SSL_ERROR_WANT_WRITE:
      BIO_set_flags(bio, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY);
      break;
    case SSL_ERROR_WANT_CONNECT:
      BIO_set_flags(bio, BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY);
      BIO_set_retry_reason(bio, BIO_get_retry_reason(BIO_next(bio)));
      break;
    case SSL_ERROR_WANT_X509_LOOKUP:
      BIO_set_retry_special(bio);
      BIO_set_retry_reason(bio, BIO_RR_SSL_X509_LOOKUP);
      break;
    default:
      break;
  }
  return ret;
}

long FilterCtrl(BIO* bio, int cmd, long num, void* ptr) {
  SslFilter* filter = FilterOf(bio);
  BIO* next = BIO_next(bio);
  SSL* ssl = filter->ssl;
  if (ssl == nullptr && cmd != BIO_C_SET_SSL) return 0;
  long ret = 1;
  switch (cmd) {
    case BIO_CTRL_RESET: {
      // OpenSSL asks which handshake function the SSL has; the role says the same.
      const bool server = SSL_is_server(ssl) != 0;
      SSL_shutdown(ssl);
      if (server) {
        SSL_set_accept_state(ssl);
      } else {
        SSL_set_connect_state(ssl);
      }
      if (!SSL_clear(ssl)) return 0;
      if (next != nullptr) return BIO_ctrl(next, cmd, num, ptr);
      if (SSL_get_rbio(ssl) != nullptr) return BIO_ctrl(SSL_get_rbio(ssl), cmd, num, ptr);
      return 1;
    }
    case BIO_CTRL_INFO:
      return 0;
    case BIO_C_SSL_MODE:
      if (num != 0) {
        SSL_set_connect_state(ssl);
      } else {
        SSL_set_accept_state(ssl);
      }
      return 1;
    case BIO_C_SET_SSL_RENEGOTIATE_TIMEOUT:
      ret = static_cast<long>(filter->renegotiate_timeout);
      if (num < 60) num = 5;
      filter->renegotiate_timeout = static_cast<unsigned long>(num);
      filter->last_time = static_cast<unsigned long>(time(nullptr));
      return ret;
    case BIO_C_SET_SSL_RENEGOTIATE_BYTES:
      ret = static_cast<long>(filter->renegotiate_count);
      if (num >= 512) filter->renegotiate_count = static_cast<unsigned long>(num);
      return ret;
    case BIO_C_GET_SSL_NUM_RENEGOTIATES:
      return filter->num_renegotiates;
    case BIO_C_SET_SSL: {
      if (ssl != nullptr) {
        FilterFree(bio);
        if (!FilterNew(bio)) return 0;
        filter = FilterOf(bio);
      }
      BIO_set_shutdown(bio, static_cast<int>(num));
      filter->ssl = static_cast<SSL*>(ptr);
      BIO* rbio = SSL_get_rbio(filter->ssl);
      if (rbio != nullptr) {
        if (next != nullptr) BIO_push(rbio, next);
        BIO_set_next(bio, rbio);
        BIO_up_ref(rbio);
      }
      BIO_set_init(bio, 1);
      return 1;
    }
    case BIO_C_GET_SSL:
      if (ptr == nullptr) return 0;
      *static_cast<SSL**>(ptr) = ssl;
      return 1;
    case BIO_CTRL_GET_CLOSE:
      return BIO_get_shutdown(bio);
    case BIO_CTRL_SET_CLOSE:
      BIO_set_shutdown(bio, static_cast<int>(num));
      return 1;
    case BIO_CTRL_WPENDING:
      return BIO_ctrl(SSL_get_wbio(ssl), cmd, num, ptr);
    case BIO_CTRL_PENDING:
      ret = SSL_pending(ssl);
      return ret != 0 ? ret : BIO_pending(SSL_get_rbio(ssl));
    case BIO_CTRL_FLUSH:
      BIO_clear_retry_flags(bio);
      ret = BIO_ctrl(SSL_get_wbio(ssl), cmd, num, ptr);
      BIO_copy_next_retry(bio);
      return ret;
    case BIO_CTRL_PUSH:
      if (next != nullptr && next != SSL_get_rbio(ssl)) {
        // The SSL takes a reference to the BIO pushed after this one.
        BIO_up_ref(next);
        SSL_set_bio(ssl, next, next);
      }
      return 1;
    case BIO_CTRL_POP:
      if (bio == ptr) SSL_set_bio(ssl, nullptr, nullptr);  // only when this BIO is popped
      return 1;
    case BIO_C_DO_STATE_MACHINE:
      return DoHandshake(bio, ssl);
    case BIO_CTRL_DUP: {
      SslFilter* copy = FilterOf(static_cast<BIO*>(ptr));
      SSL_free(copy->ssl);
      copy->ssl = SSL_dup(ssl);
      copy->num_renegotiates = filter->num_renegotiates;
      copy->renegotiate_count = filter->renegotiate_count;
      copy->byte_count = filter->byte_count;
      copy->renegotiate_timeout = filter->renegotiate_timeout;
      copy->last_time = filter->last_time;
      return copy->ssl != nullptr;
    }
    case BIO_C_GET_FD:
      return BIO_ctrl(SSL_get_rbio(ssl), cmd, num, ptr);
    case BIO_CTRL_SET_CALLBACK:
      return 0;  // callback_ctrl's
    default:
      return BIO_ctrl(SSL_get_rbio(ssl), cmd, num, ptr);
  }
}

long FilterCallbackCtrl(BIO* bio, int cmd, BIO_info_cb* fp) {
  SslFilter* filter = FilterOf(bio);
  if (cmd != BIO_CTRL_SET_CALLBACK || filter->ssl == nullptr) return 0;
  return BIO_callback_ctrl(SSL_get_rbio(filter->ssl), cmd, fp);
}

BIO_METHOD* MakeFilterMethod() {
  UniquePtr<BIO_METHOD> method(BIO_meth_new(BIO_TYPE_SSL, "ssl"));
  BIO_METHOD* m = method.get();
  if (m == nullptr || !BIO_meth_set_write_ex(m, FilterWrite) ||
      !BIO_meth_set_read_ex(m, FilterRead) || !BIO_meth_set_puts(m, FilterPuts) ||
      !BIO_meth_set_ctrl(m, FilterCtrl) || !BIO_meth_set_create(m, FilterNew) ||
      !BIO_meth_set_destroy(m, FilterFree) || !BIO_meth_set_callback_ctrl(m, FilterCallbackCtrl)) {
    return nullptr;
  }
  return method.release();
}

}  // namespace
}  // namespace sslshim

// One method for the process, as OpenSSL's is static.
SSLSHIM_FUNCTION_ENTRY(BIO_f_ssl) {
  static const BIO_METHOD* const method = sslshim::MakeFilterMethod();
  return method;
}

SSLSHIM_FUNCTION_ENTRY(BIO_new_ssl, ctx, client) {
  sslshim::UniquePtr<BIO> bio(BIO_new(BIO_f_ssl()));
  if (bio == nullptr) return nullptr;
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return nullptr;
  if (client) {
    SSL_set_connect_state(ssl);
  } else {
    SSL_set_accept_state(ssl);
  }
  BIO_set_ssl(bio.get(), ssl, BIO_CLOSE);  // the filter owns the connection from here
  return bio.release();
}

SSLSHIM_FUNCTION_ENTRY(BIO_new_ssl_connect, ctx) {
  sslshim::UniquePtr<BIO> connect(BIO_new(BIO_s_connect()));
  if (connect == nullptr) return nullptr;
  sslshim::UniquePtr<BIO> ssl(BIO_new_ssl(ctx, 1));
  if (ssl == nullptr) return nullptr;
  BIO_push(ssl.get(), connect.release());  // the chain owns the connect BIO
  return ssl.release();
}

SSLSHIM_FUNCTION_ENTRY(BIO_new_buffer_ssl_connect, ctx) {
  sslshim::UniquePtr<BIO> buffer(BIO_new(BIO_f_buffer()));
  if (buffer == nullptr) return nullptr;
  sslshim::UniquePtr<BIO> ssl(BIO_new_ssl_connect(ctx));
  if (ssl == nullptr) return nullptr;
  BIO_push(buffer.get(), ssl.release());  // the chain owns the SSL BIO and what follows it
  return buffer.release();
}

SSLSHIM_FUNCTION_ENTRY(BIO_ssl_shutdown, ssl_bio) {
  for (BIO* bio = ssl_bio; bio != nullptr; bio = BIO_next(bio)) {
    if (BIO_method_type(bio) != BIO_TYPE_SSL) continue;
    auto* filter = static_cast<sslshim::SslFilter*>(BIO_get_data(bio));
    if (filter != nullptr && filter->ssl != nullptr) SSL_shutdown(filter->ssl);
  }
}

// OpenSSL's: the SSL of the first SSL BIO in each chain, then SSL_copy_session_id; 0 when either
// chain has none (or its SSL BIO no SSL yet).
SSLSHIM_FUNCTION_ENTRY(BIO_ssl_copy_session_id, to, from) {
  BIO* to_bio = BIO_find_type(to, BIO_TYPE_SSL);
  BIO* from_bio = BIO_find_type(from, BIO_TYPE_SSL);
  if (to_bio == nullptr || from_bio == nullptr) return 0;
  auto* to_filter = static_cast<sslshim::SslFilter*>(BIO_get_data(to_bio));
  auto* from_filter = static_cast<sslshim::SslFilter*>(BIO_get_data(from_bio));
  if (to_filter == nullptr || from_filter == nullptr || to_filter->ssl == nullptr ||
      from_filter->ssl == nullptr) {
    return 0;
  }
  return SSL_copy_session_id(to_filter->ssl, from_filter->ssl) == 1 ? 1 : 0;
}
