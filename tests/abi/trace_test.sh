#!/bin/bash
# SSLSHIM_LOG=trace: a program linked against the system's libssl, under the shim (preloaded, or
# the stand-in by library path), logs one line per served call with its arguments and its answer;
# SSLSHIM_LOG_FILE sends the lines to a file; without SSLSHIM_LOG nothing is logged.
# Usage: trace_test.sh PROBE PRELOAD_LIB STANDIN_DIR
set -u
probe=$1 preload=$2 standin_dir=$3
. "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

# expect_lines FILE: the probe's calls, as the trace must show them, in order.
expect_lines() {
  local file=$1 what=$2
  local patterns=(
    '^sslshim: trace SSL_CTX_new\(0x[0-9a-f]+\) = 0x[0-9a-f]+$'
    '^sslshim: trace SSL_new\(0x[0-9a-f]+\) = 0x[0-9a-f]+$'
    '^sslshim: trace SSL_set_fd\(0x[0-9a-f]+, fd=[0-9]+\) = 1$'
    '^sslshim: trace SSL_set_connect_state\(0x[0-9a-f]+\)$'
    '^sslshim: trace SSL_write\(0x[0-9a-f]+, buf=0x[0-9a-f]+, num=5\) = -1$'
    '^sslshim: trace SSL_get_error\(0x[0-9a-f]+, ret_code=-1\) = 2$'
    '^sslshim: trace SSL_free\(0x[0-9a-f]+\)$'
    '^sslshim: trace SSL_CTX_free\(0x[0-9a-f]+\)$'
  )
  local previous=0 line
  for pattern in "${patterns[@]}"; do
    line=$(grep -nE "$pattern" "$file" | head -1 | cut -d: -f1)
    if [ -z "$line" ]; then
      fail "$what: no line matching $pattern in:"
      sed 's/^/    /' "$file"
    elif [ "$line" -le "$previous" ]; then
      fail "$what: $pattern at line $line, before the call made ahead of it (line $previous)"
    else
      previous=$line
    fi
  done
}

run() {  # run NAME ENV... : runs the probe, stdout/stderr into $dir/NAME.{out,err}
  local name=$1
  shift
  if ! env -u SSLSHIM_LOG -u SSLSHIM_LOG_FILE "$@" timeout 20 "$probe" >"$dir/$name.out" \
    2>"$dir/$name.err"; then
    fail "$name: the probe failed: $(cat "$dir/$name.out" "$dir/$name.err")"
  fi
}

for mode in preload standin; do
  if [ "$mode" = preload ]; then
    load=(LD_PRELOAD="$preload")
  else
    load=(LD_LIBRARY_PATH="$standin_dir")
  fi

  run "$mode-file" "${load[@]}" SSLSHIM_LOG=trace SSLSHIM_LOG_FILE="$dir/$mode.trace"
  expect_lines "$dir/$mode.trace" "$mode, SSLSHIM_LOG_FILE"
  grep -q 'sslshim: trace' "$dir/$mode-file.err" && fail "$mode: traced to stderr with a file set"

  run "$mode-stderr" "${load[@]}" SSLSHIM_LOG=trace
  expect_lines "$dir/$mode-stderr.err" "$mode, stderr"

  run "$mode-off" "${load[@]}" SSLSHIM_LOG_FILE="$dir/$mode-off.trace"
  grep -q 'sslshim: trace' "$dir/$mode-off.err" && fail "$mode: traced without SSLSHIM_LOG"
  # Opened at the first line: the probe is refused nothing, so there is none.
  [ -e "$dir/$mode-off.trace" ] && fail "$mode: made SSLSHIM_LOG_FILE with nothing to log"

  # A file that cannot be opened: one line saying so, and the trace on stderr.
  run "$mode-unwritable" "${load[@]}" SSLSHIM_LOG=trace SSLSHIM_LOG_FILE="$dir/missing/dir/t"
  grep -q "SSLSHIM_LOG_FILE $dir/missing/dir/t: .*; logging to stderr" "$dir/$mode-unwritable.err" ||
    fail "$mode: no message about the unwritable SSLSHIM_LOG_FILE"
  expect_lines "$dir/$mode-unwritable.err" "$mode, unwritable file"
done

# The probe natively: proves it asks what the trace shows, and that no trace comes from OpenSSL.
run native SSLSHIM_LOG=trace
grep -q 'sslshim: trace' "$dir/native.err" && fail "native: a trace line without the shim"

finish trace
