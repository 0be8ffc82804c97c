// The shim's own SSL_CTX and SSL objects: what OpenSSL keeps per context and per connection that
// the program can observe (mode and option words in OpenSSL's numbering, callbacks, ex_data, the
// X509_STORE), around the backend's objects that do the TLS.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/handle_table.h"

namespace sslshim {

// OpenSSL 3's defaults for a new SSL_CTX (ssl/ssl_lib.c, SSL_CTX_new_ex).
inline constexpr long kDefaultMode = SSL_MODE_AUTO_RETRY;
inline constexpr uint64_t kDefaultOptions = SSL_OP_NO_COMPRESSION | SSL_OP_ENABLE_MIDDLEBOX_COMPAT;

struct Method {
  MethodSpec spec;
  void* handle = nullptr;
};

struct Ctx {
  void* handle = nullptr;
  std::atomic<int> refs{1};
  const Method* method = nullptr;
  std::unique_ptr<BackendCtx> backend;

  long mode = kDefaultMode;
  uint64_t options = kDefaultOptions;
  int verify_mode = SSL_VERIFY_NONE;
  int verify_depth = -1;
  SSL_verify_cb verify_callback = nullptr;
  int (*app_verify_callback)(X509_STORE_CTX*, void*) = nullptr;
  void* app_verify_arg = nullptr;
  void (*info_callback)(const SSL*, int, int) = nullptr;
  pem_password_cb* passwd_callback = nullptr;
  void* passwd_userdata = nullptr;
  long session_cache_mode = SSL_SESS_CACHE_SERVER;
  long session_cache_size = SSL_SESSION_CACHE_MAX_SIZE_DEFAULT;
  long read_ahead = 0;
  long min_version = 0;  // as the program set them (0: no bound), what SSL_CTX_get_*_proto_version say
  long max_version = 0;

  X509_STORE* store = nullptr;          // the program's libcrypto object, owned
  X509_VERIFY_PARAM* param = nullptr;   // owned
  X509* certificate = nullptr;          // the leaf last set, owned (SSL_CTX_get0_certificate)
  EVP_PKEY* private_key = nullptr;      // owned (SSL_CTX_get0_privatekey)
  std::vector<X509*> extra_chain;       // owned
  CRYPTO_EX_DATA ex_data{};

  SSL_CTX* api() const { return static_cast<SSL_CTX*>(handle); }
};

// The state of an SSL_write that returned WANT_READ/WANT_WRITE: the retry must match it (W17).
struct PendingWrite {
  bool active = false;
  const void* buf = nullptr;
  int num = 0;
};

class Ssl final : public ConnObserver {
 public:
  void* handle = nullptr;
  Ctx* ctx = nullptr;  // holds a reference
  std::unique_ptr<BackendConn> conn;

  long mode = kDefaultMode;
  uint64_t options = kDefaultOptions;
  int verify_mode = SSL_VERIFY_NONE;
  int verify_depth = -1;
  SSL_verify_cb verify_callback = nullptr;
  void (*info_callback)(const SSL*, int, int) = nullptr;
  long read_ahead = 0;
  X509_VERIFY_PARAM* param = nullptr;  // owned
  CRYPTO_EX_DATA ex_data{};

  enum class Role { kUnset, kClient, kServer };
  Role role = Role::kUnset;
  long verify_result = X509_V_OK;
  int last_error = SSL_ERROR_NONE;  // what SSL_get_error reports for the last call's return
  PendingWrite pending_write;
  bool failed = false;  // a backend call failed fatally: no more data calls (docs/contract.md)

  SSL* api() const { return static_cast<SSL*>(handle); }

  // ConnObserver
  void OnInfo(int where, int ret) override;
  VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>& chain_der) override;

  // Moves the backend's errors to the program's queue, and records SSL_get_error's answer.
  int Finish(const IoResult& result);
};

// The backend this process uses (chosen once, from SSLSHIM_BACKEND); nullptr with a reason.
Backend* ActiveBackend(const char** why);

// The program's BIO, driven through OpenSSL's libcrypto, for backends that need callbacks.
const ProgramBioOps* ProgramBioFunctions();

// Moves a context call's backend errors to the program's queue; when the call failed without
// saying why, adds `silent_reason` (an SSL_R_*). Returns 1 for ok, else 0.
int FinishCtxCall(Ctx* ctx, bool ok, int silent_reason, const char* func);

// Lifetime helpers.
Ctx* NewCtx(const Method* method);
void CtxUpRef(Ctx* ctx);
void CtxRelease(Ctx* ctx);
Ssl* NewSsl(Ctx* ctx);
void FreeSsl(Ssl* ssl);

// The static methods (TLS_method, ...) and the lookup from a handle.
const Method* MethodFor(const char* name);

}  // namespace sslshim
