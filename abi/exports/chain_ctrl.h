// The certificate-chain ctrl commands, for a context (SSL_CTX_ctrl) and for a connection
// (SSL_ctrl): the certificate's own chain (SSL_CTX_set0_chain, add0_chain_cert,
// get0_chain_certs, build_cert_chain), a context's extra chain certificates, the verify and chain
// stores, and the choice of the current certificate. Kept as OpenSSL keeps them (core/objects.h,
// Ctx::cert_chain), and the chain sent handed to the backend whenever it changes.
#pragma once

#include <optional>

namespace sslshim {

class Ctx;
class Ssl;

// The answer to `cmd` when it is one of these commands; nullopt when it is not.
std::optional<long> CtxChainCtrl(Ctx* ctx, int cmd, long larg, void* parg, const char* func);
std::optional<long> SslChainCtrl(Ssl* ssl, int cmd, long larg, void* parg, const char* func);

}  // namespace sslshim
