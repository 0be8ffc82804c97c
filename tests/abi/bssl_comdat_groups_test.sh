#!/usr/bin/env bash
# bssl_comdat_groups_test.sh READELF NM PREFIX ARCHIVE...: in BoringSSL's prefixed archives, a
# constructor's or destructor's COMDAT group (keyed by its C5/D5 name, which no function bears)
# must be renamed with the functions in it. A group whose C1/C2 (D0/D1/D2) functions carry the
# prefix but whose key does not can be merged by the linker with the shim core's group of the same
# template over a type of the same name from OpenSSL's headers; BoringSSL's calls into it then
# land on address 0 of a discarded section (cmake/make-redefine-map.sh).
set -euo pipefail
readelf_tool=$1 nm_tool=$2 prefix=$3
shift 3
[ $# -gt 0 ] || { echo "FAIL: no archives given"; exit 1; }
for archive in "$@"; do
  [ -f "$archive" ] || { echo "FAIL: $archive is missing"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$readelf_tool" -g -W "$@" 2>/dev/null |
  sed -n "s/^COMDAT group section \[ *[0-9]*\] \`.group' \[\([^]]*\)\].*/\1/p" | sort -u >"$work/keys"
# The functions an unprefixed C5/D5 key stands for, as they would be named had they been prefixed
# (the last C5/D5 in the key is the constructor's or destructor's; names that exist nowhere are
# harmless here).
{ grep -E '^_Z.*[CD]5' "$work/keys" || true; } |
  sed -n -E -e 'h' -e 's/^(.*)C5/\1C1/p' -e 'g' -e 's/^(.*)C5/\1C2/p' -e 'g' -e 's/^(.*)D5/\1D0/p' \
    -e 'g' -e 's/^(.*)D5/\1D1/p' -e 'g' -e 's/^(.*)D5/\1D2/p' |
  sed "s/^/$prefix/" | sort -u >"$work/would_be"
"$nm_tool" --defined-only -g --format=posix "$@" 2>/dev/null |
  awk 'NF >= 2 && $1 !~ /:$/ { print $1 }' | sort -u >"$work/defined"
comm -12 "$work/would_be" "$work/defined" >"$work/split"
echo "$(wc -l <"$work/keys") COMDAT groups; $(grep -c -E '^_Z.*[CD]5' "$work/keys" || true)" \
  "constructor/destructor keys without the prefix; $(wc -l <"$work/split") of them keep" \
  "functions that have it"
[ -s "$work/keys" ] || { echo "FAIL: no COMDAT groups found: the check would prove nothing"; exit 1; }
if [ -s "$work/split" ]; then
  echo "FAIL: groups whose functions were renamed and whose key was not, e.g.:"
  head -5 "$work/split"
  exit 1
fi
