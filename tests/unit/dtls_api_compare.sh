#!/usr/bin/env bash
# dtls_api_compare.sh PROBE SHIM STANDIN_DIR: runs dtls_api_probe natively (the system's OpenSSL
# 3), then through the shim on each backend and as the stand-in libssl.so.3, and fails unless each
# run prints exactly the native lines (DTLS methods, versions, timer, MTU calls, the 16384-byte
# record limit and what follows it). Exit 77 when the shim is not built.
set -euo pipefail
probe=$1 shim=$2 standin_dir=$3
[ -f "$shim" ] && [ -f "$standin_dir/libssl.so.3" ] || exit 77
clean=(env -u LD_PRELOAD -u LD_LIBRARY_PATH -u SSLSHIM_BACKEND)
native=$("${clean[@]}" timeout 30 "$probe")
printf '%s\n' "-- native OpenSSL 3:" "$native"
# The native run is the oracle: it must show what the comparison is about (a lost flight resent
# by the next SSL_do_handshake after the timer), or the comparison would prove nothing.
grep -q "before_timer=0 after_timer=1" <<<"$native" ||
  { echo "FAIL: native OpenSSL did not resend on the next call after the timer"; exit 1; }
failures=0
check() {  # check LABEL ENV...
  local label=$1 out
  shift
  out=$("${clean[@]}" "$@" timeout 30 "$probe" 2>/dev/null) || true
  if [ "$out" = "$native" ]; then
    echo "ok: $label prints the same"
  else
    echo "FAIL: $label differs from native OpenSSL:"
    diff <(printf '%s\n' "$native") <(printf '%s\n' "$out") || true
    failures=$((failures + 1))
  fi
}
check "preload, BoringSSL backend" LD_PRELOAD="$shim" SSLSHIM_BACKEND=boringssl
check "preload, OpenSSL backend" LD_PRELOAD="$shim" SSLSHIM_BACKEND=openssl
check "stand-in, BoringSSL backend" LD_LIBRARY_PATH="$standin_dir" SSLSHIM_BACKEND=boringssl
[ "$failures" -eq 0 ]
