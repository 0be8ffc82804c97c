#!/bin/sh
# make-redefine-map.sh NM PREFIX OUT ARCHIVE...
# Writes "<sym> <PREFIX><sym>" for every global symbol defined in the archives (objcopy's
# --redefine-syms format). Rewrites OUT only when the list changed, so relinks stay incremental.
set -eu
nm_tool=$1 prefix=$2 out=$3
shift 3
"$nm_tool" --defined-only -g --format=posix "$@" 2>/dev/null |
  awk -v p="$prefix" 'NF >= 2 && $1 !~ /:$/ && $2 ~ /^[A-Za-z]$/ { print $1 " " p $1 }' |
  sort -u >"$out.tmp"
if [ ! -s "$out.tmp" ]; then
  echo "make-redefine-map: no symbols found in $*" >&2
  exit 1
fi
if ! cmp -s "$out.tmp" "$out"; then mv "$out.tmp" "$out"; else rm -f "$out.tmp"; fi
