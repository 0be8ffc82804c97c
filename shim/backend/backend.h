// The narrow interface between the shim's core (compiled against OpenSSL 3's headers) and a TLS
// backend (BoringSSL, compiled against BoringSSL's headers; or the real libssl.so.3 reached with
// dlvsym). It names neither library's types: objects of the program's libcrypto cross it as
// opaque pointers with a table of functions the core provides (ProgramBio), certificates and keys
// cross it as DER, and every number that crosses it is in OpenSSL 3's numbering (SSL_ERROR_*,
// ERR_LIB_* / SSL_R_*, SSL_VERIFY_*, SSL_CB_*, X509_V_ERR_*, protocol versions as on the wire).
//
// The backends only move bytes and report what happened; the SSL_write contract (argument checks,
// retry rules, partial writes, error mapping) lives above them, in shim/core, once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sslshim {

// One entry for the program's OpenSSL error queue, already in OpenSSL's numbering.
struct ErrorRecord {
  int lib = 0;           // ERR_LIB_* (OpenSSL 3)
  int reason = 0;        // reason code in OpenSSL 3's numbering for that library
  std::string function;  // where it came from, for ERR_error_string's "func" field
  std::string data;      // optional text (e.g. the backend's own reason name when unmapped)
};

// The result of a TLS operation: the return value the OpenSSL API gives, and what OpenSSL's
// SSL_get_error would say about it (0-8 only: backend-only codes never leave a backend).
struct IoResult {
  int ret = 0;
  int ssl_error = 0;  // SSL_ERROR_*
  int sys_errno = 0;  // errno observed with SSL_ERROR_SYSCALL, else 0
};

// The program's BIO, as the core hands it to a backend. The BoringSSL backend drives it through
// these functions (which call the program's own BIO_read/BIO_write/BIO_ctrl); the OpenSSL backend
// hands `bio` to the real libssl as it is.
struct ProgramBioOps {
  int (*read)(void* bio, char* out, int len);
  int (*write)(void* bio, const char* in, int len);
  long (*ctrl)(void* bio, int cmd, long larg, void* parg);  // OpenSSL BIO_CTRL_* numbers
  // After a read or write returned <= 0: BIO_should_retry / BIO_should_read / BIO_should_write.
  int (*retry_flags)(void* bio);                            // kBioRetry* bits below
  void (*free_all)(void* bio);                              // BIO_free_all
  int (*up_ref)(void* bio);                                 // BIO_up_ref
};
inline constexpr int kBioRetry = 1;
inline constexpr int kBioRetryRead = 2;
inline constexpr int kBioRetryWrite = 4;

// Which side a method or connection is for.
enum class Endpoint { kEither, kClient, kServer };

// What SSL_CTX_new was given: the endpoint and the protocol versions the method allows.
struct MethodSpec {
  Endpoint endpoint = Endpoint::kEither;
  int min_version = 0;  // 0: no bound; else TLS1_VERSION, TLS1_2_VERSION, ...
  int max_version = 0;
};

// The peer's certificate chain, leaf first, as DER, and the result the core's verification gave.
struct VerifyOutcome {
  bool accept = false;     // continue the handshake?
  long verify_result = 0;  // X509_V_OK or X509_V_ERR_* (what SSL_get_verify_result reports)
};

class BackendConn;

// Events a connection reports to the core, which turns them into the program's callbacks with the
// program's handles.
class ConnObserver {
 public:
  virtual ~ConnObserver() = default;
  // SSL_CB_* (same numbers in both libraries) for the info callback.
  virtual void OnInfo(int where, int ret) = 0;
  // Peer verification with the program's X509_STORE and verify callback.
  virtual VerifyOutcome VerifyPeer(const std::vector<std::vector<uint8_t>>& chain_der) = 0;
};

class BackendConn {
 public:
  virtual ~BackendConn() = default;

  virtual void SetConnectState() = 0;
  virtual void SetAcceptState() = 0;
  virtual bool IsServer() const = 0;

  // Takes ownership as SSL_set_bio does: one reference each, one when rbio == wbio.
  virtual void SetBio(void* rbio, void* wbio) = 0;
  virtual void* rbio() const = 0;
  virtual void* wbio() const = 0;

  virtual IoResult Handshake() = 0;
  // Writes exactly as OpenSSL's SSL_write would, given arguments the core has already checked.
  virtual IoResult Write(const void* buf, int num) = 0;
  virtual IoResult Read(void* buf, int num, bool peek) = 0;
  virtual IoResult Shutdown() = 0;
  virtual int Pending() const = 0;

  virtual bool IsInitFinished() const = 0;
  virtual int GetShutdown() const = 0;         // SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN
  virtual void SetShutdown(int mode) = 0;
  // Asks for a renegotiation (TLS <= 1.2) or a KeyUpdate (TLS 1.3; OpenSSL's
  // SSL_KEY_UPDATE_* type). Returns false, with errors recorded, where the backend cannot.
  virtual bool Renegotiate() = 0;
  virtual bool KeyUpdate(int type) = 0;

  // Mode bits in OpenSSL's numbering; the backend translates what it understands.
  virtual void SetMode(long openssl_mode) = 0;
  virtual bool SetHostName(const char* name) = 0;  // SNI
  virtual void SetVerify(int mode) = 0;            // SSL_VERIFY_* bits

  virtual const char* Version() const = 0;         // "TLSv1.3", as SSL_get_version
  virtual int VersionNumber() const = 0;           // as SSL_version
  virtual const char* CipherName() const = 0;      // OpenSSL's name, nullptr before the handshake
  virtual int CipherBits() const = 0;
  virtual size_t Finished(void* out, size_t len) const = 0;
  virtual size_t PeerFinished(void* out, size_t len) const = 0;
  virtual long VerifyResult() const = 0;
  virtual std::vector<uint8_t> PeerCertificateDer() const = 0;  // empty if none

  // Moves the errors the last operation left into `out` (in OpenSSL's numbering) and clears them.
  virtual void TakeErrors(std::vector<ErrorRecord>* out) = 0;
};

class BackendCtx {
 public:
  virtual ~BackendCtx() = default;
  virtual std::unique_ptr<BackendConn> NewConn(ConnObserver* observer) = 0;

  virtual bool SetMinVersion(int version) = 0;  // 0: lowest the backend has
  virtual bool SetMaxVersion(int version) = 0;  // 0: highest the backend has
  virtual int MinVersion() const = 0;
  virtual int MaxVersion() const = 0;
  virtual void SetOptions(uint64_t openssl_options) = 0;  // the whole set, OpenSSL's bits
  virtual bool SetCipherList(const char* list) = 0;       // TLS <= 1.2, OpenSSL's syntax
  virtual bool SetCiphersuites(const char* list) = 0;     // TLS 1.3
  virtual bool SetGroups(const char* list) = 0;           // "X25519:P-256", OpenSSL's names
  virtual bool UseCertificateChain(const std::vector<std::vector<uint8_t>>& chain_der) = 0;
  virtual bool UsePrivateKey(const std::vector<uint8_t>& pkcs8_der) = 0;
  virtual bool CheckPrivateKey() const = 0;
  virtual void SetVerify(int mode) = 0;
  virtual void SetSessionCacheMode(long mode) = 0;
  virtual bool SetAlpnProtos(const uint8_t* wire, size_t len) = 0;

  virtual void TakeErrors(std::vector<ErrorRecord>* out) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;  // "boringssl" or "openssl"
  // nullptr with errors (TakeErrors) when the backend cannot make a context.
  virtual std::unique_ptr<BackendCtx> NewCtx(const MethodSpec& method,
                                             const ProgramBioOps* bio_ops) = 0;
  virtual void TakeErrors(std::vector<ErrorRecord>* out) = 0;
};

// Each backend's factory; nullptr (with a reason in *why) when it cannot run in this process.
std::unique_ptr<Backend> MakeBoringSslBackend(std::string* why);
std::unique_ptr<Backend> MakeOpenSslBackend(std::string* why);

}  // namespace sslshim
