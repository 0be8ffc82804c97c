// The negotiated facts of a backend connection, read through the calls the core makes, for the
// backend tests: the cipher (as SSL_get_current_cipher reads it) and the verify result the
// session keeps (as SSL_SESSION_get_verify_result reads it).
#pragma once

#include <memory>

#include "backend/backend.h"
#include "gtest/gtest.h"

namespace sslshim {

inline CipherInfo NegotiatedCipher(const BackendConn& conn) {
  CipherInfo info;
  EXPECT_TRUE(conn.CurrentCipher(&info)) << "no cipher negotiated";
  return info;
}

// -1 when the connection has no session.
inline long SessionVerifyResult(const BackendConn& conn) {
  std::unique_ptr<BackendSession> session = conn.Get1Session();
  return session ? session->Describe().verify_result : -1;
}

}  // namespace sslshim
