#!/bin/sh
# make-redefine-map.sh NM PREFIX OUT ARCHIVE...
# Writes "<sym> <PREFIX><sym>" for every global symbol defined in the archives (objcopy's
# --redefine-syms format). Rewrites OUT only when the list changed, so relinks stay incremental.
#
# The list also names the local symbols that key C++ COMDAT groups under a name no function has:
# a constructor's or destructor's group is keyed by its C5/D5 name, and the C1/C2 (D0/D1/D2)
# functions in it are global. Were the functions renamed and the key not, the linker would take
# BoringSSL's group and the shim core's (OpenSSL's headers, the same template over a type of the
# same name, such as std::unique_ptr<stack_st_SRTP_PROTECTION_PROFILE, ...>) for one, keep the
# core's, and resolve BoringSSL's calls to the renamed functions to address 0 of a discarded
# section: a wild jump at run time wherever the compiler did not inline them (the asan preset;
# tests/abi/bssl_comdat_groups_test.sh). The keys are derived from the functions' names, not read
# from BoringSSL's archives: the backend, prefixed with the same list, instantiates templates of
# BoringSSL's whose functions BoringSSL defines and whose key it may not.
set -eu
nm_tool=$1 prefix=$2 out=$3
shift 3
"$nm_tool" --defined-only -g --format=posix "$@" 2>/dev/null |
  awk 'NF >= 2 && $1 !~ /:$/ && $2 ~ /^[A-Za-z]$/ { print $1 }' | sort -u >"$out.names"
{
  cat "$out.names"
  # Each rule starts from the name itself (h/g), so a name that matches two yields two keys.
  sed -n -E -e 'h' -e 's/^(_Z.*)C[12]([EI].*)$/\1C5\2/p' -e 'g' -e 's/^(_Z.*)CI[12](.*)$/\1CI5\2/p' \
    -e 'g' -e 's/^(_Z.*)D[012](E.*)$/\1D5\2/p' "$out.names"
} | sort -u | awk -v p="$prefix" '{ print $1 " " p $1 }' >"$out.tmp"
rm -f "$out.names"
if [ ! -s "$out.tmp" ]; then
  echo "make-redefine-map: no symbols found in $*" >&2
  exit 1
fi
if ! cmp -s "$out.tmp" "$out"; then mv "$out.tmp" "$out"; else rm -f "$out.tmp"; fi
