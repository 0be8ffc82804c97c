#!/usr/bin/env bash
# One clang-format style everywhere (.clang-format at the top): every C and C++ source of the
# repository is already in it. Names each file that is not, with the first place that differs.
set -euo pipefail
root=$1
cd "$root"
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.cc' '*.h')
else
  mapfile -t files < <(find . -path ./build -prune -o \( -name '*.c' -o -name '*.cc' -o -name '*.h' \) -print)
fi
[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no sources found under $root"; exit 1; }
bad=0
for f in "${files[@]}"; do
  if ! out=$(clang-format --dry-run --Werror "$f" 2>&1); then
    echo "not in the project's style: $f"
    echo "$out" | head -3
    bad=$((bad + 1))
  fi
done
echo "${#files[@]} sources checked, $bad not in style"
[ "$bad" -eq 0 ]
