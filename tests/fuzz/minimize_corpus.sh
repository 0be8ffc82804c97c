#!/bin/sh
# Regenerates the committed seed corpora (tests/fuzz/corpus/TARGET) from what ./sslshim fuzz has
# found (build/fuzz-corpus/TARGET) and the seeds already committed: libFuzzer's merge keeps the
# fewest inputs that reach every coverage edge either holds (edges only, not hit counts, so the
# committed set stays a few hundred small files). Needs the fuzz build (./sslshim fuzz 1 TARGET).
# Usage: tests/fuzz/minimize_corpus.sh [TARGET...]   (default: both targets)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
for target in ${*:-api_sequence peer_flight}; do
  fuzzer="$root/build/fuzz/tests/${target}_fuzzer"
  seeds="$root/tests/fuzz/corpus/$target"
  found="$root/build/fuzz-corpus/$target"
  [ -x "$fuzzer" ] || { echo "minimize_corpus: no $fuzzer (run ./sslshim fuzz 1 $target)" >&2; exit 1; }
  mkdir -p "$found" "$seeds"
  merged=$(mktemp -d)
  trap 'rm -rf "$merged"' EXIT
  (cd "$merged" && "$fuzzer" -merge=1 -use_counters=0 -max_len=4096 "$merged" "$seeds" "$found" \
    >"$merged/merge.log" 2>&1) || { cat "$merged/merge.log" >&2; exit 1; }
  rm -f "$merged/merge.log"
  rm -rf "$seeds" && mkdir -p "$seeds" && cp "$merged"/* "$seeds"/
  rm -rf "$merged"
  echo "minimize_corpus: $target: $(ls "$seeds" | wc -l) inputs, $(cat "$seeds"/* | wc -c) bytes"
done
