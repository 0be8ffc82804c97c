#!/bin/sh
# emit-entry-points.sh NAMES DISPATCH
# The exported entry points of a generated trampoline file (abi/gen-guards.sh,
# abi/lazy/gen-lazy-trampolines.sh): one per name in NAMES (a name a line), each loading its entry
# .Lentry_N into %r11 and jumping to DISPATCH, then each name as the string .Lname_N. The caller
# writes the entries (.Lentry_N, whose first field points at .Lname_N) after it.
# Intel CET: the program's PLT reaches an entry point by an indirect jump, so each starts with
# ENDBR64; <cet.h> adds the property note when the compiler is asked for CET.
set -eu
names=$1
dispatch=$2
echo "#include <cet.h>"
echo "	.text"
awk -v dispatch="$dispatch" '{
  printf "\t.globl\t%s\n\t.type\t%s, @function\n%s:\n\t_CET_ENDBR\n", $1, $1, $1
  printf "\tleaq\t.Lentry_%d(%%rip), %%r11\n\tjmp\t%s\n", NR, dispatch
  printf "\t.size\t%s, .-%s\n", $1, $1 }' "$names"
echo "	.section .rodata.str1.1,\"aMS\",@progbits,1"
awk '{ printf ".Lname_%d:\n\t.string\t\"%s\"\n", NR, $1 }' "$names"
