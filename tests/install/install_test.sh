#!/bin/bash
# `cmake --install` into a scratch prefix, then what a user does with it: build a program against
# the installed stand-in three ways (pkg-config, find_package, -L... -lssl), see with readelf and
# ldd that it records and loads the stand-in, and run a TLS call through it (traced, so served by
# the shim); the installed sslshim command's version, run and check; and a DESTDIR install whose
# files name the final prefix, not the staging directory.
# Usage: install_test.sh BUILD_DIR LIBDIR CC PROBE_SOURCE VERSION
set -u
build=$1 libdir=$2 cc=$3 probe_src=$4 version=$5
. "$(dirname "${BASH_SOURCE[0]}")/../abi/checks.sh"
unset SSLSHIM_LOG SSLSHIM_LOG_FILE SSLSHIM_BACKEND LD_PRELOAD LD_LIBRARY_PATH PKG_CONFIG_PATH

prefix=$dir/prefix
shimdir=$prefix/$libdir/sslshim
standin=$shimdir/standin/libssl.so.3
if ! cmake --install "$build" --prefix "$prefix" >"$dir/install.log" 2>&1; then
  fail "cmake --install failed: $(cat "$dir/install.log")"
  finish install
fi

for f in "$shimdir/libsslshim.so" "$shimdir/libsslshim-lazy.so" "$standin" "$shimdir/sslshim-check" "$shimdir/served.txt" \
  "$shimdir/refused-by-design.tsv" "$shimdir/pkgconfig/libssl.pc" "$shimdir/pkgconfig/libcrypto.pc" \
  "$prefix/$libdir/cmake/sslshim/sslshimConfig.cmake" \
  "$prefix/$libdir/cmake/sslshim/sslshimConfigVersion.cmake" "$prefix/bin/sslshim" \
  "$prefix/share/doc/sslshim/README.md" "$prefix/share/doc/sslshim/LICENSE.BoringSSL"; do
  [ -f "$f" ] || fail "not installed: ${f#"$prefix"/}"
done
[ "$(readlink "$shimdir/standin/libssl.so")" = libssl.so.3 ] ||
  fail "standin/libssl.so is not a link to libssl.so.3"
readelf -d "$standin" | grep -q 'SONAME.*\[libssl\.so\.3\]' || fail "the stand-in's soname is not libssl.so.3"

# linked_to_standin NAME BINARY [ENV...]: records libssl.so.3, loads the installed stand-in (ldd,
# with ENV), and its SSL_write is served by the shim.
linked_to_standin() {
  local name=$1 bin=$2
  shift 2
  readelf -d "$bin" | grep -q 'NEEDED.*\[libssl\.so\.3\]' || fail "$name: does not record libssl.so.3"
  local loaded
  loaded=$(env "$@" ldd "$bin" | awk '$1 == "libssl.so.3" { print $3 }')
  [ "$(readlink -f "$loaded")" = "$(readlink -f "$standin")" ] ||
    fail "$name: loads libssl.so.3 from '$loaded', not the installed stand-in"
  if ! env "$@" SSLSHIM_LOG=trace "$bin" >"$dir/$name.out" 2>"$dir/$name.err"; then
    fail "$name: the probe failed: $(cat "$dir/$name.out" "$dir/$name.err")"
  fi
  grep -q '^sslshim: trace SSL_write(.*) = -1$' "$dir/$name.err" ||
    fail "$name: SSL_write did not go through the shim: $(cat "$dir/$name.err")"
}

# 1. pkg-config, from the shim's own directory.
export PKG_CONFIG_PATH=$shimdir/pkgconfig
flags=$(pkg-config --cflags --libs libssl) || fail "pkg-config libssl failed"
pkg-config --exists libcrypto || fail "pkg-config libcrypto failed"
# shellcheck disable=SC2086 # the flags are words
"$cc" -o "$dir/probe-pkgconfig" "$probe_src" $flags || fail "pkg-config: the probe did not build"
linked_to_standin pkgconfig "$dir/probe-pkgconfig"
unset PKG_CONFIG_PATH

# 2. find_package(sslshim).
mkdir -p "$dir/cmake-src"
cp "$probe_src" "$dir/cmake-src/probe.c"
cat >"$dir/cmake-src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(sslshim_install_probe C)
find_package(sslshim 0.1 REQUIRED)
add_executable(probe probe.c)
target_link_libraries(probe PRIVATE sslshim::ssl)
CMAKE
if cmake -S "$dir/cmake-src" -B "$dir/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$cc" >"$dir/cmake.log" 2>&1 &&
  cmake --build "$dir/cmake-build" >>"$dir/cmake.log" 2>&1; then
  linked_to_standin find_package "$dir/cmake-build/probe"
else
  fail "find_package: the probe did not build: $(cat "$dir/cmake.log")"
fi

# 3. -L<dir> -lssl, loaded through the installed `sslshim run --standin`.
"$cc" -o "$dir/probe-l" "$probe_src" -L"$shimdir/standin" -lssl -lcrypto ||
  fail "-lssl: the probe did not build"
linked_to_standin l-flag "$dir/probe-l" LD_LIBRARY_PATH="$shimdir/standin"
if ! SSLSHIM_LOG=trace "$prefix/bin/sslshim" run --standin -- "$dir/probe-l" >/dev/null 2>"$dir/run-standin.err" ||
  ! grep -q '^sslshim: trace SSL_write(' "$dir/run-standin.err"; then
  fail "installed sslshim run --standin: $(cat "$dir/run-standin.err")"
fi

# The installed command: version, run (preload, either backend), check with the installed data.
out=$("$prefix/bin/sslshim" version) || fail "installed sslshim version: status $?"
grep -q "^sslshim $version, TLS by BoringSSL " <<<"$out" || fail "installed version: $out"
grep -qxF "library: $shimdir/libsslshim.so" <<<"$out" || fail "installed version names $out"
"$cc" -o "$dir/probe-native" "$probe_src" -lssl -lcrypto || fail "the native probe did not build"
for backend in boringssl openssl; do
  if ! SSLSHIM_LOG=trace "$prefix/bin/sslshim" run --backend $backend -- "$dir/probe-native" \
    >/dev/null 2>"$dir/run-$backend.err" || ! grep -q '^sslshim: trace SSL_write(' "$dir/run-$backend.err"; then
    fail "installed sslshim run --backend $backend: $(cat "$dir/run-$backend.err")"
  fi
done
"$prefix/bin/sslshim" check "$dir/probe-native" >"$dir/check.out" 2>&1 ||
  fail "installed check of the probe: $(cat "$dir/check.out")"
grep -q '^verdict: fully served$' "$dir/check.out" || fail "installed check: $(cat "$dir/check.out")"
# A refusal by design is named with its reason from the installed list.
printf '#include <openssl/ssl.h>\nint main(void) { return SSL_CTX_set_srp_username(0, 0); }\n' \
  >"$dir/srp.c"
"$cc" -o "$dir/srp" "$dir/srp.c" -lssl -lcrypto -Wno-deprecated-declarations || fail "srp probe"
"$prefix/bin/sslshim" check "$dir/srp" >"$dir/srp.out" 2>&1
[ $? -eq 1 ] || fail "installed check of an SRP user: not status 1"
grep -qE '^  refused +SSL_CTX_set_srp_username .*\[by design: SRP: BoringSSL has no SRP\]$' \
  "$dir/srp.out" || fail "installed check does not name the refusal and its reason: $(cat "$dir/srp.out")"
"$prefix/bin/sslshim" build >/dev/null 2>"$dir/build.err"
[ $? -eq 2 ] && grep -q "source tree only" "$dir/build.err" ||
  fail "installed sslshim build: not refused as a source-tree command: $(cat "$dir/build.err")"

# DESTDIR: files under the staging directory, naming the final prefix.
if DESTDIR=$dir/stage cmake --install "$build" --prefix /opt/sslshim-test >"$dir/destdir.log" 2>&1; then
  pc=$dir/stage/opt/sslshim-test/$libdir/sslshim/pkgconfig/libssl.pc
  grep -qxF "libdir=/opt/sslshim-test/$libdir/sslshim/standin" "$pc" ||
    fail "DESTDIR: libssl.pc does not name the final prefix: $(cat "$pc")"
  [ -x "$dir/stage/opt/sslshim-test/bin/sslshim" ] || fail "DESTDIR: no bin/sslshim"
else
  fail "DESTDIR install failed: $(cat "$dir/destdir.log")"
fi

finish install
