// The BoringSSL backend's entry point: sslshim::MakeBoringSslBackend.
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "boringssl/ctx.h"
#include "boringssl/error_translation.h"

namespace sslshim {
namespace {

class BoringSslBackend final : public Backend {
 public:
  const char* name() const override { return "boringssl"; }

  std::unique_ptr<BackendCtx> NewCtx(const MethodSpec& method,
                                     const ProgramBioOps* bio_ops) override {
    return boringssl::BoringSslCtx::Create(method, bio_ops, &errors_);
  }

  void TakeErrors(std::vector<ErrorRecord>* out) override {
    boringssl::DrainBoringSslErrors(&errors_);
    for (ErrorRecord& record : errors_) out->push_back(std::move(record));
    errors_.clear();
  }

 private:
  std::vector<ErrorRecord> errors_;
};

}  // namespace

std::unique_ptr<Backend> MakeBoringSslBackend(std::string* /*why*/) {
  // BoringSSL is linked into the shim statically, under its own symbol prefix, and needs no
  // initialisation: it is always available, so `why` is never needed.
  return std::make_unique<BoringSslBackend>();
}

}  // namespace sslshim
