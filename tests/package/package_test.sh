#!/bin/bash
# The Debian package, as a user gets it: cpack builds the .deb from this build; lintian reports no
# error and no warning (its informational tags are explained in README.md); dpkg installs it into a
# fresh root (dpkg --root, with an empty package database) and lists exactly what the package
# holds; from the installed paths, the curl and nginx scenarios pass preloaded and standing in
# (their relay proves BoringSSL built the TLS), and the installed sslshim command finds its own
# library and data; dpkg removes it again, leaving no file behind.
# Usage: package_test.sh BUILD_DIR LIBDIR VERSION PROGRAMS_DIR
set -u
build=$1 libdir=$2 version=$3 programs=$4
. "$(dirname "${BASH_SOURCE[0]}")/../abi/checks.sh"
unset SSLSHIM_LOG SSLSHIM_LOG_FILE SSLSHIM_BACKEND LD_PRELOAD LD_LIBRARY_PATH

deb=$dir/out/sslshim_${version}_amd64.deb
if ! cpack --config "$build/CPackConfig.cmake" -B "$dir/out" >"$dir/cpack.log" 2>&1 || [ ! -f "$deb" ]; then
  fail "cpack did not make $deb: $(cat "$dir/cpack.log")"
  finish package
fi
rm -rf "$dir/out/_CPack_Packages"

# lintian: nothing above informational. (Its temporary files go into this test's directory, which is
# removed at exit: lintian leaves a /tmp/mldbm-elf-* file behind each run.)
mkdir -p "$dir/tmp"
TMPDIR=$dir/tmp lintian --tag-display-limit 0 "$deb" >"$dir/lintian.out" 2>&1
grep -E '^(E|W): ' "$dir/lintian.out" >"$dir/lintian.bad" &&
  fail "lintian: $(cat "$dir/lintian.bad")"

root=$dir/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
# --force-depends: the fresh root has none of the packages the shim depends on (this system has).
if ! dpkg --root="$root" --force-depends --force-script-chrootless -i "$deb" >"$dir/dpkg.log" 2>&1; then
  fail "dpkg -i into a fresh root: $(cat "$dir/dpkg.log")"
  finish package
fi
dpkg --root="$root" -s sslshim 2>/dev/null | grep -qx "Status: install ok installed" ||
  fail "dpkg does not record sslshim as installed"
shimdir=/usr/$libdir/sslshim
for f in "$shimdir/libsslshim.so" "$shimdir/libsslshim-lazy.so" "$shimdir/standin/libssl.so.3" "$shimdir/standin/libssl.so" \
  "$shimdir/sslshim-check" "$shimdir/sslshim-systemd" "$shimdir/pkgconfig/libssl.pc" \
  /usr/bin/sslshim /usr/share/man/man1/sslshim.1.gz /usr/share/doc/sslshim/copyright \
  /usr/share/doc/sslshim/changelog.gz "/usr/$libdir/cmake/sslshim/sslshimConfig.cmake"; do
  dpkg --root="$root" -L sslshim | grep -qxF "$f" || fail "the package does not hold $f"
  [ -e "$root$f" ] || fail "not installed: $f"
done
# Nothing the system's libssl is found by: only the private directory holds a libssl.
found=$(cd "$root" && find . -name 'libssl.so*' | sort | tr '\n' ' ')
[ "$found" = "./usr/$libdir/sslshim/standin/libssl.so ./usr/$libdir/sslshim/standin/libssl.so.3 " ] ||
  fail "libssl files outside the private directory: $found"
zcat "$root/usr/share/man/man1/sslshim.1.gz" | grep -q '^\.B sslshim enable' ||
  fail "the manual page does not describe enable"

# The installed command finds its own library, wherever the root is.
out=$("$root/usr/bin/sslshim" version) || fail "installed sslshim version: status $?"
grep -qxF "library: $root$shimdir/libsslshim.so" <<<"$out" || fail "installed version: $out"
# The installed check reads the installed data: socat imports only served functions.
out=$("$root/usr/bin/sslshim" check "$(command -v socat)" 2>&1) ||
  fail "installed sslshim check socat: status $?: $out"
grep -qx 'verdict: fully served' <<<"$out" || fail "installed check socat: $out"

# curl and nginx from the installed paths, preloaded and standing in; curl through the lazy
# preload library too.
for scenario in curl nginx; do
  modes=(preload standin)
  [ "$scenario" = curl ] && modes+=(lazy)
  for mode in "${modes[@]}"; do
    if ! PROGRAMS_SHIM=$root$shimdir/libsslshim.so PROGRAMS_STANDIN_DIR=$root$shimdir/standin \
      PROGRAMS_LAZY=$root$shimdir/libsslshim-lazy.so \
      timeout 300 bash "$programs/run_$scenario.sh" "$mode" >"$dir/$scenario-$mode.log" 2>&1; then
      fail "$scenario $mode from the package: $(tail -n 20 "$dir/$scenario-$mode.log")"
    fi
  done
done

if ! dpkg --root="$root" --force-script-chrootless -P sslshim >"$dir/purge.log" 2>&1; then
  fail "dpkg -P: $(cat "$dir/purge.log")"
fi
left=$(cd "$root" && find . -type f ! -path './var/lib/dpkg/*' ! -path './var/log/*' | head)
[ -z "$left" ] || fail "files left after purge: $left"

finish package
