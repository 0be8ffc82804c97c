#!/bin/bash
# SSLSHIM_LOG's levels, preloaded and standing in: by default (and at `refusals`) only the refused
# calls, one line each; `off` nothing at all; `info` also one line naming the shim's and
# BoringSSL's versions, the mode and the backend; `trace` also each call, ctrl commands by
# OpenSSL's names. SSLSHIM_LOG_FILE takes every line; an unknown level is said once.
# Usage: log_test.sh PROBE PRELOAD_LIB STANDIN_DIR VERSION BORINGSSL_DEBIAN_VERSION
set -u
probe=$1 preload=$2 standin_dir=$3 version=$4 bssl_version=$5
. "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

run() {  # run NAME ENV... : the probe's stdout/stderr into $dir/NAME.{out,err}
  local name=$1
  shift
  if ! env -u SSLSHIM_LOG -u SSLSHIM_LOG_FILE -u SSLSHIM_BACKEND "$@" timeout 20 "$probe" \
    >"$dir/$name.out" 2>"$dir/$name.err"; then
    fail "$name: the probe failed: $(cat "$dir/$name.out" "$dir/$name.err")"
  fi
}
has() {  # has NAME FILE PATTERN: FILE has a line matching the extended regex PATTERN
  grep -qE "$3" "$2" || fail "$1: no line matching $3 in: $(sed 's/^/    /' "$2")"
}
lacks() {
  grep -qE "$3" "$2" && fail "$1: a line matching $3 in: $(sed 's/^/    /' "$2")"
}

srp='^sslshim: SSL_CTX_set_srp_username: refused by design for sslshim.s objects: SRP: BoringSSL has no SRP$'
unserved_ctrl='^sslshim: SSL_CTX_callback_ctrl command SSL_CTRL_SET_TLS_EXT_SRP_USERNAME_CB \(75\): not supported by sslshim; the call returned 0$'
info_re() { echo "^sslshim: info sslshim $version, TLS by $1, mode $2, backend $3\$"; }
bssl="BoringSSL ${bssl_version//+/\\+}"

for mode in preload standin; do
  if [ "$mode" = preload ]; then
    load=(LD_PRELOAD="$preload")
  else
    load=(LD_LIBRARY_PATH="$standin_dir")
  fi

  # The default is `refusals`: exactly the two refusals, as before levels existed.
  for level in default refusals; do
    env=()
    [ $level = default ] || env=(SSLSHIM_LOG=$level)
    run "$mode-$level" "${load[@]}" "${env[@]}"
    has "$mode $level" "$dir/$mode-$level.err" "$srp"
    has "$mode $level" "$dir/$mode-$level.err" "$unserved_ctrl"
    [ "$(wc -l <"$dir/$mode-$level.err")" -eq 2 ] ||
      fail "$mode $level: not just the two refusals: $(cat "$dir/$mode-$level.err")"
  done
  grep -qx 'mode=[0-9]* srp_username_cb=0 srp=0' "$dir/$mode-default.out" ||
    fail "$mode: the probe's answers: $(cat "$dir/$mode-default.out")"

  run "$mode-off" "${load[@]}" SSLSHIM_LOG=off SSLSHIM_LOG_FILE="$dir/$mode-off.log"
  [ -s "$dir/$mode-off.err" ] && fail "$mode off: said something: $(cat "$dir/$mode-off.err")"
  [ -e "$dir/$mode-off.log" ] && fail "$mode off: made SSLSHIM_LOG_FILE"

  run "$mode-info" "${load[@]}" SSLSHIM_LOG=info
  has "$mode info" "$dir/$mode-info.err" "$(info_re "$bssl" "$mode" boringssl)"
  has "$mode info" "$dir/$mode-info.err" "$srp"
  [ "$(grep -c '^sslshim: info ' "$dir/$mode-info.err")" -eq 1 ] || fail "$mode info: not one info line"
  lacks "$mode info" "$dir/$mode-info.err" '^sslshim: trace '

  run "$mode-trace" "${load[@]}" SSLSHIM_LOG=trace
  has "$mode trace" "$dir/$mode-trace.err" "$(info_re "$bssl" "$mode" boringssl)"
  has "$mode trace" "$dir/$mode-trace.err" \
    '^sslshim: trace SSL_CTX_ctrl\(0x[0-9a-f]+, cmd=SSL_CTRL_MODE \(33\), larg=[0-9]+, parg=NULL\) = [0-9]+$'
  has "$mode trace" "$dir/$mode-trace.err" \
    '^sslshim: trace SSL_CTX_callback_ctrl\(0x[0-9a-f]+, cmd=SSL_CTRL_SET_TLS_EXT_SRP_USERNAME_CB \(75\), fp=0x[0-9a-f]+\) = 0$'
  has "$mode trace" "$dir/$mode-trace.err" "$unserved_ctrl"

  # Every line to the file, none on stderr, at the default level as at the others.
  for level in default info; do
    env=(SSLSHIM_LOG_FILE="$dir/$mode-$level.log")
    [ $level = default ] || env+=(SSLSHIM_LOG=$level)
    run "$mode-$level-file" "${load[@]}" "${env[@]}"
    [ -s "$dir/$mode-$level-file.err" ] && fail "$mode $level with a file: wrote to stderr"
    has "$mode $level file" "$dir/$mode-$level.log" "$srp"
  done
  has "$mode info file" "$dir/$mode-info.log" "$(info_re "$bssl" "$mode" boringssl)"

  run "$mode-unknown" "${load[@]}" SSLSHIM_LOG=verbose
  has "$mode unknown" "$dir/$mode-unknown.err" \
    '^sslshim: SSLSHIM_LOG=verbose is not a level \(off, refusals, info, trace\); logging refusals$'
  has "$mode unknown" "$dir/$mode-unknown.err" "$srp"
done

# The comparison backend says so: the TLS is then OpenSSL's.
run openssl-info LD_PRELOAD="$preload" SSLSHIM_BACKEND=openssl SSLSHIM_LOG=info
has "openssl info" "$dir/openssl-info.err" "$(info_re 'OpenSSL 3\.[0-9.]+' preload openssl)"

# The versions are in the file itself, for `strings | grep`.
for lib in "$preload" "$standin_dir/libssl.so.3"; do
  strings "$lib" | grep -qxF "sslshim $version, TLS by BoringSSL $bssl_version (Debian source package android-platform-external-boringssl)" ||
    fail "$lib: no version line for strings to find"
done

finish log
