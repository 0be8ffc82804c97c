// The handshake states SSL_get_state reports, numbered as OpenSSL 3's OSSL_HANDSHAKE_STATE (in
// <openssl/ssl.h>, compiled by the exports, which check every number against it). Backends compiled
// against other headers name them through this list.
#pragma once

namespace sslshim {

// X(name, OpenSSL's name, OpenSSL's number)
#define SSLSHIM_HANDSHAKE_STATES(X)                                 \
  X(kBefore, TLS_ST_BEFORE, 0)                                      \
  X(kOk, TLS_ST_OK, 1)                                              \
  X(kDtlsCrHelloVerifyRequest, DTLS_ST_CR_HELLO_VERIFY_REQUEST, 2)  \
  X(kCrSrvrHello, TLS_ST_CR_SRVR_HELLO, 3)                          \
  X(kCrCert, TLS_ST_CR_CERT, 4)                                     \
  X(kCrCertStatus, TLS_ST_CR_CERT_STATUS, 5)                        \
  X(kCrKeyExch, TLS_ST_CR_KEY_EXCH, 6)                              \
  X(kCrCertReq, TLS_ST_CR_CERT_REQ, 7)                              \
  X(kCrSrvrDone, TLS_ST_CR_SRVR_DONE, 8)                            \
  X(kCrSessionTicket, TLS_ST_CR_SESSION_TICKET, 9)                  \
  X(kCrChange, TLS_ST_CR_CHANGE, 10)                                \
  X(kCrFinished, TLS_ST_CR_FINISHED, 11)                            \
  X(kCwClntHello, TLS_ST_CW_CLNT_HELLO, 12)                         \
  X(kCwCert, TLS_ST_CW_CERT, 13)                                    \
  X(kCwKeyExch, TLS_ST_CW_KEY_EXCH, 14)                             \
  X(kCwCertVrfy, TLS_ST_CW_CERT_VRFY, 15)                           \
  X(kCwChange, TLS_ST_CW_CHANGE, 16)                                \
  X(kCwNextProto, TLS_ST_CW_NEXT_PROTO, 17)                         \
  X(kCwFinished, TLS_ST_CW_FINISHED, 18)                            \
  X(kSwHelloReq, TLS_ST_SW_HELLO_REQ, 19)                           \
  X(kSrClntHello, TLS_ST_SR_CLNT_HELLO, 20)                         \
  X(kDtlsSwHelloVerifyRequest, DTLS_ST_SW_HELLO_VERIFY_REQUEST, 21) \
  X(kSwSrvrHello, TLS_ST_SW_SRVR_HELLO, 22)                         \
  X(kSwCert, TLS_ST_SW_CERT, 23)                                    \
  X(kSwKeyExch, TLS_ST_SW_KEY_EXCH, 24)                             \
  X(kSwCertReq, TLS_ST_SW_CERT_REQ, 25)                             \
  X(kSwSrvrDone, TLS_ST_SW_SRVR_DONE, 26)                           \
  X(kSrCert, TLS_ST_SR_CERT, 27)                                    \
  X(kSrKeyExch, TLS_ST_SR_KEY_EXCH, 28)                             \
  X(kSrCertVrfy, TLS_ST_SR_CERT_VRFY, 29)                           \
  X(kSrNextProto, TLS_ST_SR_NEXT_PROTO, 30)                         \
  X(kSrChange, TLS_ST_SR_CHANGE, 31)                                \
  X(kSrFinished, TLS_ST_SR_FINISHED, 32)                            \
  X(kSwSessionTicket, TLS_ST_SW_SESSION_TICKET, 33)                 \
  X(kSwCertStatus, TLS_ST_SW_CERT_STATUS, 34)                       \
  X(kSwChange, TLS_ST_SW_CHANGE, 35)                                \
  X(kSwFinished, TLS_ST_SW_FINISHED, 36)                            \
  X(kSwEncryptedExtensions, TLS_ST_SW_ENCRYPTED_EXTENSIONS, 37)     \
  X(kCrEncryptedExtensions, TLS_ST_CR_ENCRYPTED_EXTENSIONS, 38)     \
  X(kCrCertVrfy, TLS_ST_CR_CERT_VRFY, 39)                           \
  X(kSwCertVrfy, TLS_ST_SW_CERT_VRFY, 40)                           \
  X(kCrHelloReq, TLS_ST_CR_HELLO_REQ, 41)                           \
  X(kSwKeyUpdate, TLS_ST_SW_KEY_UPDATE, 42)                         \
  X(kCwKeyUpdate, TLS_ST_CW_KEY_UPDATE, 43)                         \
  X(kSrKeyUpdate, TLS_ST_SR_KEY_UPDATE, 44)                         \
  X(kCrKeyUpdate, TLS_ST_CR_KEY_UPDATE, 45)                         \
  X(kEarlyData, TLS_ST_EARLY_DATA, 46)                              \
  X(kPendingEarlyDataEnd, TLS_ST_PENDING_EARLY_DATA_END, 47)        \
  X(kCwEndOfEarlyData, TLS_ST_CW_END_OF_EARLY_DATA, 48)             \
  X(kSrEndOfEarlyData, TLS_ST_SR_END_OF_EARLY_DATA, 49)

enum class HandshakeState : int {
#define SSLSHIM_HANDSHAKE_STATE_ENUMERATOR(name, openssl_name, number) name = number,
  SSLSHIM_HANDSHAKE_STATES(SSLSHIM_HANDSHAKE_STATE_ENUMERATOR)
#undef SSLSHIM_HANDSHAKE_STATE_ENUMERATOR
};

}  // namespace sslshim
