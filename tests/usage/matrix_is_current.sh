#!/usr/bin/env bash
# matrix_is_current.sh: regenerate docs/MATRIX.md into the build tree and fail, showing the diff and
# the command that regenerates it, when the committed docs/MATRIX.md differs (CTest test
# usage.matrix_is_current; tests/usage/usage_tests.cmake).
# usage: matrix_is_current.sh PYTHON3 SOURCE_DIR SERVED_TXT OPENSSL_INCLUDE_DIR OUTPUT
set -euo pipefail

python3=$1 src=$2 served=$3 include=$4 out=$5
if [ ! -s "$served" ]; then
  echo "matrix_is_current: $served is missing or empty (build the sslshim target first)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
"$python3" "$src/tools/usage/gen-matrix.py" --served "$served" --openssl-include "$include" \
  --output "$out"
if ! diff -u "$src/docs/MATRIX.md" "$out"; then
  echo >&2
  echo "docs/MATRIX.md is stale. Regenerate it with:" >&2
  echo "  tools/usage/gen-matrix.py --served $served --openssl-include $include" >&2
  exit 1
fi
echo "docs/MATRIX.md is current"
