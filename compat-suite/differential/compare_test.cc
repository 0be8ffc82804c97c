// Unit tests of the differential engine's comparison: which differences it reports and how it
// names them (the kind the known-differences list matches).
#include "compare.h"

#include <gtest/gtest.h>

#include <string>

namespace compat {
namespace {

CallRecord Event(int index, const std::string& op) {
  CallRecord c;
  c.index = index;
  c.op = op;
  c.event = true;
  return c;
}

CallRecord Call(int index, const std::string& op, int ret, int err, const std::string& wants) {
  CallRecord c = Event(index, op);
  c.event = false;
  c.ret = ret;
  c.err = err;
  c.wants = wants;
  return c;
}

DiffRecord Ended(std::vector<CallRecord> calls) {
  DiffRecord r;
  r.bio_pair = true;
  r.sut_end.started = true;
  r.sut_end.exit_code = 0;
  r.ended = true;
  r.calls = std::move(calls);
  return r;
}

TEST(CompareRecords, RetriesBeforeTheAnswerDifferOnABioPair) {
  DiffRecord native = Ended({Call(0, "write:100", 100, 0, "R"), Event(1, "peer:close_notify"),
                             Call(2, "read", 0, 6, "R")});
  DiffRecord shim = Ended({Call(0, "write:100", 100, 0, "R"), Event(1, "peer:close_notify"),
                           Call(2, "read", 0, 6, "")});
  auto d = CompareRecords(native, shim, /*compare_wants=*/true);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "SSL_read: WANT_* before the answer: native 'R', shim ''");
  EXPECT_FALSE(CompareRecords(native, shim, /*compare_wants=*/false).has_value());
}

// Until a call has succeeded the handshake runs, and when the peer's flight arrives decides the
// retries: they are not compared there.
TEST(CompareRecords, RetriesInsideTheHandshakeAreNotCompared) {
  DiffRecord native = Ended({Call(0, "write:16384", 16384, 0, "R")});
  DiffRecord shim = Ended({Call(0, "write:16384", 16384, 0, "")});
  EXPECT_FALSE(CompareRecords(native, shim, true).has_value());
}

// A peer that ends the connection before any call succeeded races the handshake: the retries
// before an answer are not compared from there on, the answers still are.
TEST(CompareRecords, APeerThatEndsBeforeAnySuccessRacesTheRetries) {
  DiffRecord native = Ended({Event(0, "peer:rst"), Call(1, "write:100", -1, 3, "RW")});
  DiffRecord shim = Ended({Event(0, "peer:rst"), Call(1, "write:100", -1, 3, "W")});
  EXPECT_FALSE(CompareRecords(native, shim, true).has_value());

  shim.calls[1].err = 5;  // SSL_ERROR_SYSCALL
  auto d = CompareRecords(native, shim, true);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "SSL_write: native WANT_WRITE, shim SYSCALL");

  // After a success the end no longer races the handshake.
  native =
      Ended({Call(0, "write:1", 1, 0, ""), Event(1, "peer:fin"), Call(2, "read", -1, 3, "RW")});
  shim = Ended({Call(0, "write:1", 1, 0, ""), Event(1, "peer:fin"), Call(2, "read", -1, 3, "W")});
  EXPECT_TRUE(CompareRecords(native, shim, true).has_value());
}

}  // namespace
}  // namespace compat
