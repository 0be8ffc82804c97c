#!/bin/sh
# gen-ctrl-names.sh OUT HEADER...
# Generates CtrlCommandName (core/ctrl_names.h) from OpenSSL's own headers: the SSL_CTRL_*/DTLS_CTRL_*
# names for each command number, so a trace line reads "cmd=SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB (72)"
# in OpenSSL's terms without a hand-kept table. A define that names another (SSL_CTRL_SET_CURVES ->
# SSL_CTRL_SET_GROUPS) takes its number; numbers with several names list them all, "A|B", as the
# ctrl and callback_ctrl namespaces share some (tools/usage/usage.py reads them the same way).
set -eu
out=$1
shift
{
  echo "// Generated from OpenSSL's $(for h in "$@"; do basename "$h"; done | paste -sd, -) by shim/core/gen-ctrl-names.sh. Do not edit."
  echo '#include "core/ctrl_names.h"'
  echo ""
  echo "namespace sslshim {"
  echo ""
  echo "const char* CtrlCommandName(long cmd) {"
  echo "  switch (cmd) {"
  cat "$@" | awk '
    { sub(/^[ \t]*#[ \t]*define[ \t]+/, "#define ") }
    $1 == "#define" && $2 ~ /^(SSL|DTLS)_CTRL_[A-Z0-9_]+$/ && NF >= 3 { def[$2] = $3 }
    END {
      for (name in def) {
        v = def[name]
        for (depth = 0; depth < 10 && (v in def); depth++) v = def[v]
        if (v ~ /^[0-9]+$/) print v "\t" name
      }
    }' | sort -k1,1n -k2,2 | awk -F '\t' '
    $1 != number { if (number != "") print "    case " number ": return \"" names "\";"; number = $1; names = $2; next }
    { names = names "|" $2 }
    END { if (number != "") print "    case " number ": return \"" names "\";" }'
  echo "    default:"
  echo "      return nullptr;"
  echo "  }"
  echo "}"
  echo ""
  echo "}  // namespace sslshim"
} >"$out.tmp"
mv "$out.tmp" "$out"
