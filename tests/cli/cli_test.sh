#!/bin/bash
# The sslshim command's own behaviour: help on stdout with status 0; one line on stderr and status 2
# for an unknown command or option; `version` reads the versions from the library; `run` loads the
# shim both ways; `check` and `run` use the build they are pointed at and never set up or build
# (without a build they say how to make one, at once); `enable`/`disable` write and remove a
# systemd drop-in.
# Usage: cli_test.sh SSLSHIM_SCRIPT BUILD_DIR PROBE BORINGSSL_DEBIAN_VERSION PROJECT_VERSION
set -u
cli=$1 build=$2 probe=$3 bssl_version=$4 version=$5
. "$(dirname "${BASH_SOURCE[0]}")/../abi/checks.sh"
export SSLSHIM_BUILD_DIR=$build
unset SSLSHIM_LOG SSLSHIM_LOG_FILE SSLSHIM_BACKEND

for help in --help -h help; do
  "$cli" "$help" >"$dir/help.out" 2>"$dir/help.err"
  rc=$?
  [ $rc -eq 0 ] || fail "$help: status $rc, not 0"
  grep -q '^usage: sslshim COMMAND' "$dir/help.out" || fail "$help: no usage on stdout"
  [ -s "$dir/help.err" ] && fail "$help: wrote to stderr: $(cat "$dir/help.err")"
done

# expect_usage_error WHAT ARGS...: status 2, nothing on stdout, exactly one line on stderr.
expect_usage_error() {
  local what=$1
  shift
  "$cli" "$@" >"$dir/err.out" 2>"$dir/err.err"
  local rc=$?
  [ $rc -eq 2 ] || fail "$what ($*): status $rc, not 2"
  [ -s "$dir/err.out" ] && fail "$what ($*): wrote to stdout"
  [ "$(wc -l <"$dir/err.err")" -eq 1 ] || fail "$what ($*): not one line on stderr: $(cat "$dir/err.err")"
  grep -q "^sslshim: " "$dir/err.err" || fail "$what ($*): the line does not say it is sslshim's"
}
expect_usage_error "unknown command" frobnicate
expect_usage_error "unknown option" --frobnicate
expect_usage_error "unknown run option" run --frobnicate -- true
expect_usage_error "run without a command" run --standin
expect_usage_error "unknown backend" run --backend gnutls -- true
expect_usage_error "openssl backend on the stand-in" run --standin --backend openssl -- true
expect_usage_error "version with arguments" version extra
expect_usage_error "build with arguments" build extra
expect_usage_error "package with arguments" package extra

# version: the library's own line, with BoringSSL's Debian version.
out=$("$cli" version) || fail "version: status $?"
grep -qxF "sslshim $version, TLS by BoringSSL $bssl_version (Debian source package android-platform-external-boringssl)" <<<"$out" ||
  fail "version: no version line for $version and BoringSSL $bssl_version in: $out"
grep -qxF "library: $build/libsslshim.so" <<<"$out" || fail "version: library path missing: $out"

# run: the probe's calls reach the shim (each is traced), preloaded, standing in, on either backend.
for mode in "" --standin "--backend openssl" "--backend boringssl"; do
  # shellcheck disable=SC2086 # $mode is zero or more words
  if ! SSLSHIM_LOG=trace "$cli" run $mode -- "$probe" >"$dir/run.out" 2>"$dir/run.err"; then
    fail "run $mode: the probe failed: $(cat "$dir/run.out" "$dir/run.err")"
  fi
  grep -q '^sslshim: trace SSL_write(' "$dir/run.err" || fail "run $mode: SSL_write not served by the shim"
done
# The probe's own environment is passed on, and the command's status comes back.
"$cli" run -- sh -c 'exit 7'
[ $? -eq 7 ] || fail "run: the command's exit status is not passed back"
out=$(LD_PRELOAD=/nonexistent-keep.so "$cli" run -- sh -c 'echo "$LD_PRELOAD"' 2>/dev/null)
[ "$out" = "$build/libsslshim.so:/nonexistent-keep.so" ] || fail "run: LD_PRELOAD not prepended: $out"

# check on a program that imports only served functions: the README's words.
"$cli" check "$probe" >"$dir/check.out" 2>&1 || fail "check: status $? for the probe"
grep -q '^verdict: fully served$' "$dir/check.out" || fail "check: no verdict: $(cat "$dir/check.out")"
grep -qE '^libssl functions imported: [0-9]+ \(served [0-9]+, refused 0 \(0 by design\), missing 0\)$' \
  "$dir/check.out" || fail "check: the summary does not say served/refused: $(cat "$dir/check.out")"
grep -qi forwarded "$dir/check.out" && fail "check: says 'forwarded' where the README says 'refused'"

# enable/disable: a drop-in systemd itself parses without a complaint (systemd-analyze verify,
# which reads units offline), preloading this build's shim, or the stand-in, with --log a file;
# disable removes only it; bad names and paths are refused before anything is written.
export SSLSHIM_SYSTEMD_DIR=$dir/units
mkdir -p "$SSLSHIM_SYSTEMD_DIR/demo.service.d"
printf '[Service]\nExecStart=/bin/true\n' >"$SSLSHIM_SYSTEMD_DIR/demo.service"
printf '[Service]\nNice=1\n' >"$SSLSHIM_SYSTEMD_DIR/demo.service.d/local.conf"  # the unit's own
dropin=$SSLSHIM_SYSTEMD_DIR/demo.service.d/sslshim.conf
verify_dropin() {  # verify_dropin WHAT: systemd-analyze accepts the unit with the drop-in
  if ! SYSTEMD_UNIT_PATH=$SSLSHIM_SYSTEMD_DIR: systemd-analyze verify \
    "$SSLSHIM_SYSTEMD_DIR/demo.service" >"$dir/verify.out" 2>&1 || [ -s "$dir/verify.out" ]; then
    fail "$1: systemd-analyze verify: $(cat "$dir/verify.out")"
  fi
}
"$cli" enable demo >"$dir/en.out" 2>&1 || fail "enable: status $?: $(cat "$dir/en.out")"
grep -qxF "Environment=LD_PRELOAD=$build/libsslshim.so" "$dropin" || fail "enable: $(cat "$dropin")"
grep -q SSLSHIM_LOG "$dropin" && fail "enable without --log: logging set: $(cat "$dropin")"
verify_dropin "enable"
"$cli" enable --standin --log "$dir/shim.log" demo.service >"$dir/en.out" 2>&1 ||
  fail "enable --standin: status $?: $(cat "$dir/en.out")"
grep -qxF "Environment=LD_LIBRARY_PATH=$build/standin" "$dropin" || fail "--standin: $(cat "$dropin")"
grep -q LD_PRELOAD "$dropin" && fail "--standin: still preloads: $(cat "$dropin")"
grep -qxF "Environment=SSLSHIM_LOG=info SSLSHIM_LOG_FILE=$dir/shim.log" "$dropin" ||
  fail "--log: $(cat "$dropin")"
verify_dropin "enable --standin --log"
# What the drop-in sets takes effect: the probe, with its environment, logs the info line there.
env LD_LIBRARY_PATH="$build/standin" SSLSHIM_LOG=info SSLSHIM_LOG_FILE="$dir/shim.log" "$probe" \
  >/dev/null 2>&1 || fail "the probe with the drop-in's environment failed"
grep -q "^sslshim: info sslshim $version, TLS by BoringSSL" "$dir/shim.log" ||
  fail "the drop-in's environment: no info line in the log file"
"$cli" disable demo >"$dir/dis.out" 2>&1 || fail "disable: status $?"
[ -e "$dropin" ] && fail "disable: the drop-in is still there"
[ -e "$SSLSHIM_SYSTEMD_DIR/demo.service.d/local.conf" ] || fail "disable removed the unit's own drop-in"
"$cli" disable demo >"$dir/dis.out" 2>&1 || fail "disable twice: status $?"
grep -q "nothing to do" "$dir/dis.out" || fail "disable twice: $(cat "$dir/dis.out")"
expect_usage_error "enable without a unit" enable
expect_usage_error "enable a socket unit" enable demo.socket
expect_usage_error "enable a bad unit name" enable "../demo"
expect_usage_error "enable a relative log file" enable --log shim.log demo
expect_usage_error "enable a log path systemd would split" enable --log "$dir/a b.log" demo
expect_usage_error "disable two units" disable demo other
[ -e "$dropin" ] && fail "a refused enable wrote a drop-in"
unset SSLSHIM_SYSTEMD_DIR

# Without a build: one line saying how to make one, at once: no set-up, no cmake, no apt (stubs
# first on PATH record any call).
mkdir "$dir/stubs"
for tool in cmake ctest apt-get dpkg-query dpkg-source; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 1\n' "$tool" "$dir/called" >"$dir/stubs/$tool"
  chmod +x "$dir/stubs/$tool"
done
for args in "check $probe" "run -- true" "version"; do
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  SSLSHIM_BUILD_DIR=$dir/no-build PATH=$dir/stubs:$PATH "$cli" $args >"$dir/nb.out" 2>"$dir/nb.err"
  rc=$?
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  [ $rc -eq 2 ] || fail "$args without a build: status $rc, not 2"
  grep -q "no build at $dir/no-build (run ./sslshim build first)" "$dir/nb.err" ||
    fail "$args without a build: does not say how to build: $(cat "$dir/nb.err")"
  [ "$elapsed_ms" -lt 2000 ] || fail "$args without a build took $elapsed_ms ms"
done
[ -e "$dir/called" ] && fail "without a build, check/run/version ran set-up or a build: $(cat "$dir/called")"

finish cli
