#!/bin/sh
# gen-ssl-reason-strings.sh SSLERR_H OUT
# Generates OpenSSL's ERR_LIB_SSL reason strings from OpenSSL's own sslerr.h, for the stand-in:
# there, no real libssl loads them, yet ERR_error_string_n must read as it does with OpenSSL
# (W28). OpenSSL's strings are the reason names in lower case with spaces, which is what this
# derives ("SSL_R_BAD_WRITE_RETRY 127" -> "bad write retry").
set -eu
in=$1 out=$2
{
  echo "// Generated from $in by abi/gen-ssl-reason-strings.sh. Do not edit."
  echo "#include <openssl/err.h>"
  echo "namespace sslshim {"
  echo "extern ERR_STRING_DATA kSslReasonStrings[];"
  echo "ERR_STRING_DATA kSslReasonStrings[] = {"
  awk '$1 == "#" && $2 == "define" { $1 = ""; $2 = "#define" } 
       { sub(/^ *# *define/, "#define") }
       $1 == "#define" && $2 ~ /^SSL_R_/ && $3 ~ /^[0-9]+$/ {
         name = substr($2, 7); text = tolower(name); gsub(/_/, " ", text);
         printf "    {ERR_PACK(ERR_LIB_SSL, 0, %s), \"%s\"},\n", $3, text }' "$in"
  echo "    {0, nullptr}};"
  echo "}  // namespace sslshim"
} >"$out.tmp"
mv "$out.tmp" "$out"
