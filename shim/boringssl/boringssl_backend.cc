// The BoringSSL backend's entry point: sslshim::MakeBoringSslBackend.
#include <openssl/ssl.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "boringssl/ctx.h"
#include "boringssl/error_translation.h"
#include "boringssl/session.h"

namespace sslshim {
namespace {

class BoringSslBackend final : public Backend {
 public:
  const char* name() const override { return "boringssl"; }

  std::unique_ptr<BackendCtx> NewCtx(const MethodSpec& method,
                                     const ProgramBioOps* bio_ops) override {
    return boringssl::BoringSslCtx::Create(method, bio_ops, &errors_);
  }

  std::unique_ptr<BackendSession> ParseSession(const uint8_t* der, size_t len) override {
    const SSL_CTX* ctx = SessionCtx();
    if (ctx == nullptr) return nullptr;
    return boringssl::ParseBoringSslSession(der, len, ctx, &errors_);
  }

  std::unique_ptr<BackendSession> NewSession() override {
    const SSL_CTX* ctx = SessionCtx();
    if (ctx == nullptr) return nullptr;
    bssl::UniquePtr<SSL_SESSION> session(SSL_SESSION_new(ctx));
    if (!session) {
      boringssl::DrainBoringSslErrors(&errors_);
      return nullptr;
    }
    return std::make_unique<boringssl::BoringSslSession>(std::move(session), std::string());
  }

  void TakeErrors(std::vector<ErrorRecord>* out) override {
    boringssl::DrainBoringSslErrors(&errors_);
    for (ErrorRecord& record : errors_) out->push_back(std::move(record));
    errors_.clear();
  }

 private:
  // SSL_SESSION_from_bytes and SSL_SESSION_new need a context for its X.509 method; every context
  // of this backend has the same one, so one private context serves all sessions.
  const SSL_CTX* SessionCtx() {
    std::call_once(parse_ctx_once_, [this] { parse_ctx_.reset(SSL_CTX_new(TLS_method())); });
    if (!parse_ctx_) boringssl::DrainBoringSslErrors(&errors_);
    return parse_ctx_.get();
  }

  std::vector<ErrorRecord> errors_;
  std::once_flag parse_ctx_once_;
  bssl::UniquePtr<SSL_CTX> parse_ctx_;
};

}  // namespace

std::unique_ptr<Backend> MakeBoringSslBackend(std::string* /*why*/) {
  // BoringSSL is linked into the shim statically, under its own symbol prefix, and needs no
  // initialisation: it is always available, so `why` is never needed.
  return std::make_unique<BoringSslBackend>();
}

}  // namespace sslshim
