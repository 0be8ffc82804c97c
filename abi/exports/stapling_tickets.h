// The ctrl commands of OCSP stapling and session ticket keys (exports/stapling_tickets.cc), for
// the ctrl dispatchers, which call each with the commands their case labels name.
#pragma once

#include "core/objects.h"

namespace sslshim {

// SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB, SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB.
long StaplingTicketsCallbackCtrl(Ctx* ctx, int cmd, void (*fp)(void));
// SSL_CTRL_SET_TLSEXT_TICKET_KEYS, SSL_CTRL_GET_TLSEXT_TICKET_KEYS.
long TicketKeysCtrl(Ctx* ctx, int cmd, long larg, void* parg);
// SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG, _GET_TLSEXT_STATUS_REQ_CB(_ARG), _SET/GET_..._TYPE.
long StaplingCtxCtrl(Ctx* ctx, int cmd, long larg, void* parg);
// SSL_CTRL_SET/GET_TLSEXT_STATUS_REQ_TYPE, SSL_CTRL_SET/GET_TLSEXT_STATUS_REQ_OCSP_RESP.
long StaplingSslCtrl(Ssl* ssl, int cmd, long larg, void* parg);

}  // namespace sslshim
