// The invariants of a connection's I/O state (core/io_state.h).
#include "core/io_state.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace sslshim {
namespace {

TEST(PendingWrite, ARetryGivesTheSameBufferAndAtLeastAsManyBytes) {
  PendingWrite pending;
  const char a[8] = {}, b[8] = {};
  EXPECT_TRUE(pending.AcceptsRetry(a, 0, false)) << "nothing pending: any write";
  pending.Start(a, 5, SSL_ERROR_WANT_WRITE);
  EXPECT_TRUE(pending.active());
  EXPECT_EQ(pending.ssl_error(), SSL_ERROR_WANT_WRITE);
  EXPECT_TRUE(pending.AcceptsRetry(a, 5, false));
  EXPECT_TRUE(pending.AcceptsRetry(a, 8, false)) << "more bytes";
  EXPECT_FALSE(pending.AcceptsRetry(a, 4, false)) << "fewer bytes";
  EXPECT_FALSE(pending.AcceptsRetry(b, 5, false)) << "moved without the mode";
  EXPECT_TRUE(pending.AcceptsRetry(b, 5, true)) << "moved with SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER";
  EXPECT_FALSE(pending.AcceptsRetry(b, 4, true)) << "moved, fewer bytes";
  pending.Clear();
  EXPECT_FALSE(pending.active());
  EXPECT_TRUE(pending.AcceptsRetry(b, 1, false));
}

TEST(ConnectionFailure, AReasonAndThePeersAlertBelongToAProtocolFailure) {
  ConnectionFailure failure;
  failure.NoteReason({ERR_LIB_SSL, SSL_R_BAD_RECORD_TYPE});
  failure.NoteByPeerAlert();
  EXPECT_FALSE(failure.ended());
  EXPECT_EQ(failure.reason().lib, 0) << "no failure, no reason";
  EXPECT_FALSE(failure.by_peer_alert());

  failure.EndByTransport();
  EXPECT_TRUE(failure.ended());
  EXPECT_FALSE(failure.protocol());
  failure.NoteReason({ERR_LIB_SSL, SSL_R_BAD_RECORD_TYPE});
  EXPECT_EQ(failure.reason().lib, 0) << "a transport failure keeps no reason";

  failure.EndByProtocol({ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING});
  EXPECT_TRUE(failure.protocol());
  EXPECT_EQ(failure.reason().reason, SSL_R_UNEXPECTED_EOF_WHILE_READING);
  failure.EndByProtocol();
  EXPECT_EQ(failure.reason().reason, SSL_R_UNEXPECTED_EOF_WHILE_READING) << "kept";
  failure.NoteByPeerAlert();
  EXPECT_TRUE(failure.by_peer_alert());
}

// SSL_clear serves a new connection: nothing of how the last one ended stays, the peer's alert
// included (a read after it would otherwise answer as after the peer's close).
TEST(ConnectionFailure, ClearForgetsEverything) {
  ConnectionFailure failure;
  failure.EndByProtocol({ERR_LIB_SSL, SSL_AD_REASON_OFFSET + SSL_AD_BAD_RECORD_MAC});
  failure.NoteByPeerAlert();
  failure.Clear();
  EXPECT_FALSE(failure.ended());
  EXPECT_FALSE(failure.protocol());
  EXPECT_EQ(failure.reason().lib, 0);
  EXPECT_FALSE(failure.by_peer_alert());
}

}  // namespace
}  // namespace sslshim
