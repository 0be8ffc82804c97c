#include "generator.h"

#include <openssl/ssl.h>

namespace compat {
namespace {

// splitmix64: small, good enough, and the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

constexpr int kLengths[] = {0, 1, 100, 16384, 16385, 70000};
constexpr long kModes[] = {SSL_MODE_ENABLE_PARTIAL_WRITE, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER,
                           SSL_MODE_AUTO_RETRY};

// What the steps so far have done, as far as the rules care.
struct Walk {
  bool io_started = false;
  bool peer_closed = false;  // close or reset
  bool peer_ended = false;   // close_notify, FIN, close or reset: a read returns at once
  bool after_peer_data = false;
  int shutdowns = 0;
};

bool Allowed(const DiffScenario& s, const Walk& w, const DiffStep& step) {
  const bool blocking = s.transport == DIFF_SOCK;
  switch (step.kind) {
    case DIFF_KEY_UPDATE:
      return s.tls13 != 0;
    case DIFF_READ:
    case DIFF_PEEK:
      return !blocking || w.after_peer_data || w.peer_ended;
    case DIFF_SHUTDOWN:
      return !blocking || w.shutdowns == 0 || w.peer_ended;
    case DIFF_PEER:
      switch (step.event) {
        case DIFF_PEER_DATA:
        case DIFF_PEER_CLOSE_NOTIFY:
          return w.io_started && !w.peer_closed;
        case DIFF_PEER_CLOSE:
        case DIFF_PEER_RST:
          return !w.peer_closed;
        case DIFF_PEER_STOP_READING:
          return !blocking;
        default:
          return true;
      }
    default:
      return true;
  }
}

void Advance(Walk& w, const DiffStep& step) {
  w.after_peer_data = step.kind == DIFF_PEER && step.event == DIFF_PEER_DATA;
  if (step.kind == DIFF_WRITE || step.kind == DIFF_WRITE_EX || step.kind == DIFF_READ ||
      step.kind == DIFF_PEEK) {
    w.io_started = true;
  }
  if (step.kind == DIFF_SHUTDOWN) w.shutdowns++;
  if (step.kind != DIFF_PEER) return;
  if (step.event == DIFF_PEER_CLOSE || step.event == DIFF_PEER_RST) w.peer_closed = true;
  if (step.event == DIFF_PEER_CLOSE_NOTIFY || step.event == DIFF_PEER_FIN || w.peer_closed) {
    w.peer_ended = true;
  }
}

DiffStep RandomStep(Rng& rng) {
  DiffStep step{};
  int roll = rng.Below(100);
  if (roll < 25) {
    step.kind = DIFF_WRITE;
  } else if (roll < 40) {
    step.kind = DIFF_WRITE_EX;
  } else if (roll < 50) {
    step.kind = DIFF_READ;
  } else if (roll < 55) {
    step.kind = DIFF_PEEK;
  } else if (roll < 62) {
    step.kind = DIFF_SHUTDOWN;
  } else if (roll < 67) {
    step.kind = DIFF_KEY_UPDATE;
  } else if (roll < 77) {
    step.kind = rng.Below(2) != 0 ? DIFF_MODE_SET : DIFF_MODE_CLEAR;
    step.mode = kModes[rng.Below(3)];
  } else {
    step.kind = DIFF_PEER;
    static constexpr int kEventWeights[DIFF_PEER_EVENT_COUNT] = {30, 15, 12, 12, 8, 13, 10};
    int e = rng.Below(100);
    step.event = 0;
    while (e >= kEventWeights[step.event]) e -= kEventWeights[step.event++];
  }
  if (step.kind == DIFF_WRITE || step.kind == DIFF_WRITE_EX) {
    step.len = kLengths[rng.Below(6)];
    int r = rng.Below(10);
    step.retry = r < 6 ? DIFF_RETRY_SAME : r < 8 ? DIFF_RETRY_SHORTER : DIFF_RETRY_MOVED;
  }
  return step;
}

}  // namespace

DiffScenario GenerateScenario(uint64_t seed, uint64_t index) {
  Rng rng(seed * 0x2545F4914F6CDD1Dull + index * 0x9E3779B97F4A7C15ull + 1);
  DiffScenario s{};
  s.is_server = rng.Below(2);
  s.tls13 = rng.Below(2);
  s.transport = rng.Below(DIFF_TRANSPORT_COUNT);
  int steps = 3 + rng.Below(8);
  Walk walk;
  for (int i = 0; i < steps; i++) {
    DiffStep step = RandomStep(rng);
    for (int tries = 0; tries < 20 && !Allowed(s, walk, step); tries++) step = RandomStep(rng);
    if (!Allowed(s, walk, step)) {
      step = DiffStep{};
      step.kind = DIFF_WRITE;
      step.len = 100;
    }
    s.steps[s.count++] = step;
    Advance(walk, step);
  }
  return s;
}

bool ScenarioValid(const DiffScenario& s) {
  if (s.count < 1 || s.count > DIFF_MAX_STEPS) return false;
  Walk walk;
  for (int i = 0; i < s.count; i++) {
    if (!Allowed(s, walk, s.steps[i])) return false;
    Advance(walk, s.steps[i]);
  }
  return true;
}

std::string FormatScenario(const DiffScenario& s) {
  char buf[2048];
  diff_format(&s, buf, sizeof buf);
  return buf;
}

}  // namespace compat
