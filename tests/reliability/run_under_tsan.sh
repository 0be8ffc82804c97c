#!/usr/bin/env bash
# run_under_tsan.sh STANDIN_DIR CHAOS_PROBE FORK_PROBE
# The concurrency tests against the ThreadSanitizer build of the stand-in (preset "tsan"): the
# chaos probe (4 threads, shared contexts, 4x10^4 operations, fixed seed) and the fork probe.
# Their programs are built with ThreadSanitizer too. Any report fails the run (exit 66), and so
# does any lost, duplicated or late byte.
set -euo pipefail
standin_dir=$1 chaos=$2 fork=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/key.pem" \
  -out "$dir/cert.pem" -subj /CN=localhost -days 1 2>/dev/null
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
export LD_LIBRARY_PATH="$standin_dir"
chaos_report=$("$chaos" "$dir/cert.pem" "$dir/key.pem" 4 40000 20261204)
echo "tsan chaos: $chaos_report"
for field in lost duplicated_or_corrupted sent_after_fatal stuck; do
  if ! grep -q "\"$field\":0[,}]" <<<"$chaos_report"; then
    echo "tsan chaos: $field is not 0" >&2
    exit 1
  fi
done
fork_report=$("$fork" "$dir/cert.pem" "$dir/key.pem" 30)
echo "tsan fork: $fork_report"
grep -q '"failed":0' <<<"$fork_report"
