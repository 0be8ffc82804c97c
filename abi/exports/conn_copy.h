// What SSL_dup takes from the connection it copies, done as the setters of each setting do it.
#pragma once

#include "core/objects.h"

namespace sslshim {

// SSL_dup's copy of `from`'s settings into `to`, newly made from the same context; false with
// the reason queued.
bool CopyConnectionSettings(Ssl* to, Ssl* from, const char* func);
// SSL_set_session with `from`'s session (none: none) on `to` (exports/session.cc).
int UseSessionOf(Ssl* to, Ssl* from, const char* func);
// The rest of SSL_copy_session_id: `from`'s certificate, key and chain, and its session ID
// context (exports/session.cc).
int CopyCertificateAndIdContext(Ssl* to, Ssl* from, const char* func);
// The connection's own client CA list (exports/client_ca.cc) and CA list (exports/ca_list.cc)
// to its backend, as their setters pass them.
int InstallClientCaNames(Ssl* ssl, const char* func);
void InstallOwnCaList(Ssl* ssl, const char* func);

}  // namespace sslshim
