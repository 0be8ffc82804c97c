// Compares a shim column's record of a scenario with native OpenSSL's and names the first
// difference by its "kind": a short sentence that leaves out what varies between scenarios
// showing the same behaviour (lengths other than 0, step positions, the bytes themselves), e.g.
// "SSL_write after SYSCALL/EPIPE: native SYSCALL/EPIPE, shim SSL/protocol is shutdown".
#ifndef COMPAT_SUITE_DIFFERENTIAL_COMPARE_H_
#define COMPAT_SUITE_DIFFERENTIAL_COMPARE_H_

#include <optional>
#include <string>

#include "diff_run.h"

namespace compat {

struct Difference {
  std::string kind;
  std::string detail;  // the step and both answers in full
  bool crash_or_hang = false;
};

// nullopt when the records agree on every compared observable. compare_wants: also the WANT_*
// kinds answered before each final answer (only where they do not depend on scheduling: BIO
// pairs; on a socket, whether the peer's reply is already there when libssl first reads is luck).
std::optional<Difference> CompareRecords(const DiffRecord& native, const DiffRecord& shim,
                                         bool compare_wants);
// A call's answer in a few words: "ok", "WANT_READ", "SYSCALL/EPIPE", "SSL/bad length".
std::string AnswerClass(const CallRecord& c);
// Whether the native run itself was usable as the reference (no crash, no hang, ended).
bool NativeUsable(const DiffRecord& native, std::string* why);

}  // namespace compat

#endif  // COMPAT_SUITE_DIFFERENTIAL_COMPARE_H_
