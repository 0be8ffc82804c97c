#!/bin/sh
# Regenerates the committed seed corpora (tests/fuzz/corpus/TARGET) from what ./sslshim fuzz has
# found (build/fuzz-corpus/TARGET) and the seeds already committed: libFuzzer's merge keeps the
# fewest inputs that reach every coverage edge either holds (edges only, not hit counts, so the
# committed set stays a few hundred small files). Needs the fuzz build (./sslshim fuzz 1 TARGET).
# Usage: tests/fuzz/minimize_corpus.sh [TARGET...]   (default: both targets)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in ${*:-api_sequence peer_flight}; do
  fuzzer="$root/build/fuzz/tests/${target}_fuzzer"
  seeds="$root/tests/fuzz/corpus/$target"
  found="$root/build/fuzz-corpus/$target"
  if [ ! -x "$fuzzer" ]; then
    echo "minimize_corpus: no $fuzzer (run ./sslshim fuzz 1 $target)" >&2
    exit 1
  fi
  mkdir -p "$found" "$seeds"
  # The merge's first directory is its output and must start empty: anything in it counts as
  # already covering its edges, and nothing else is kept for them.
  rm -rf "$work/merged" "$work/merge.log" && mkdir "$work/merged"
  if ! (cd "$work" && "$fuzzer" -merge=1 -use_counters=0 -max_len=4096 "$work/merged" "$seeds" \
    "$found" >"$work/merge.log" 2>&1); then
    cat "$work/merge.log" >&2
    exit 1
  fi
  # The committed seeds are replaced only by a merge that kept something.
  if [ -z "$(ls -A "$work/merged")" ]; then
    echo "minimize_corpus: $target: the merge kept no input; $seeds left as it was" >&2
    exit 1
  fi
  rm -rf "$seeds.new" && cp -r "$work/merged" "$seeds.new"
  rm -rf "$seeds" && mv "$seeds.new" "$seeds"
  echo "minimize_corpus: $target: $(ls "$seeds" | wc -l) inputs, $(cat "$seeds"/* | wc -c) bytes"
done
