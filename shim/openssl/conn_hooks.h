// The optional hooks (backend.h's HookBits): the real libssl's key log, message, new session, ALPN
// selection, server name and certificate callbacks, each a trampoline to the ConnObserver of the
// connection the SSL belongs to.
//
// OpenSSL 3.0 has per-connection setters only for the message and certificate callbacks: those
// two are set on the SSL exactly while their bit is enabled. The other four exist only on the
// SSL_CTX and are read from it during the handshake (from the context the connection has then,
// which a server name callback may have switched), so they are installed once on every context
// the backend makes, and each asks its connection's bits first: a connection without the bit gets
// the answer OpenSSL gives when no callback is set (no key log line; NOACK for ALPN and server
// name, which libssl treats exactly as "no callback"; new sessions left to libssl). Setting them
// later, when a connection enables its bit, would write the context while other connections of
// it may be in a handshake on other threads.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>

#include "backend/backend.h"
#include "real_libssl.h"

namespace sslshim::openssl_backend {

// The four context-only hooks, on a new context.
void InstallContextHooks(const RealLibssl& real, SSL_CTX* ctx);

// NPN's two context-only callbacks, set exactly while the program has set its own on the
// context: unlike the four above, their mere presence changes the handshake (a client with a
// select callback offers NPN in every ClientHello; and fails it when the callback refuses).
void InstallNextProtoHooks(const RealLibssl& real, SSL_CTX* ctx, bool advertise, bool select);

// Sets or clears the message and certificate callbacks of `ssl` for `hook_bits`. To be applied
// again after SSL_set_SSL_CTX, which replaces the SSL's certificate settings (and callback) with a
// copy of the new context's.
void ApplyConnectionHooks(const RealLibssl& real, SSL* ssl, uint32_t hook_bits);

// The program's session ticket key callback of `kind` on a context (kNone clears it): libssl
// then calls it with contexts of the program's libcrypto, which the trampoline hands to the
// connection's observer (ConnObserver::OnTicketKey) as they are.
void InstallTicketKeyHook(const RealLibssl& real, SSL_CTX* ctx, TicketKeyCallback kind);

}  // namespace sslshim::openssl_backend
