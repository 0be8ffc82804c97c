// The OpenSSL backend's entry: the factory sslshim::MakeOpenSslBackend. The backend is the real
// libssl.so.3 of the process, reached through RealLibssl (preload mode only).
#include <memory>
#include <string>

#include "backend/backend.h"
#include "openssl_ctx.h"
#include "openssl_session.h"
#include "real_libssl.h"

namespace sslshim {
namespace openssl_backend {
namespace {

class OpenSslBackend final : public Backend {
 public:
  explicit OpenSslBackend(const RealLibssl& real) : real_(real) {}

  const char* name() const override { return "openssl"; }

  // The program's BIOs go to the real libssl as they are, so `bio_ops` is not needed here.
  std::unique_ptr<BackendCtx> NewCtx(const MethodSpec& method,
                                     const ProgramBioOps* /*bio_ops*/) override {
    return OpenSslCtx::Create(real_, method);
  }

  bool HasProviders() const override { return true; }
  std::unique_ptr<BackendCtx> NewCtxWithPropertyQuery(const MethodSpec& method,
                                                      const ProgramBioOps* /*bio_ops*/,
                                                      const char* propq) override {
    return OpenSslCtx::Create(real_, method, propq);
  }

  // The real libssl pushes its errors onto the program's error queue itself (same libcrypto), in
  // OpenSSL's numbering already: there is nothing to move, and the queue is left as it is.
  void TakeErrors(std::vector<ErrorRecord>* /*out*/) override {}

  // d2i_SSL_SESSION: OpenSSL's own encoding, which BackendSession::Serialize writes.
  std::unique_ptr<BackendSession> ParseSession(const uint8_t* der, size_t len) override {
    return OpenSslSession::Parse(real_, der, len);
  }

  std::unique_ptr<BackendSession> NewSession() override {
    return OpenSslSession::Adopt(real_, real_.SSL_SESSION_new());
  }

 private:
  const RealLibssl& real_;
};

}  // namespace
}  // namespace openssl_backend

std::unique_ptr<Backend> MakeOpenSslBackend(std::string* why) {
  std::string reason;
  const openssl_backend::RealLibssl* real = openssl_backend::ProcessRealLibssl(&reason);
  if (real == nullptr) {
    if (why != nullptr) *why = reason;
    return nullptr;
  }
  return std::make_unique<openssl_backend::OpenSslBackend>(*real);
}

}  // namespace sslshim
