#!/bin/bash
# What the preloaded shim costs processes that do not use libssl, and what it must still do for
# one that loads libssl late. Usage: late_libssl_test.sh PROBE MODULE PRELOAD_LIB STRACE
#  - a process that never calls libssl never looks for libssl.so.3 (under strace: no open of it;
#    a failed search opens the file the loader's cache names, and the shim used to search once
#    per guarded name at load);
#  - late_libssl_probe: guarded calls before any libssl is loaded search once in all, and after a
#    module opened RTLD_LOCAL brings libssl.so.3 in, calls on its objects are still forwarded
#    (from a forked child and from racing threads).
# With PRELOAD_LIB the lazy preload library (libsslshim-lazy.so), also: a process that never calls
# libssl loads none of the shim's libraries (the shim, libcrypto, libstdc++), and the probe's
# calls, which load the shim, reach the real libssl and not the lazy library's entry points again;
# without the shim beside it, the first libssl call stops the process with the reason.
set -u
probe=$1 module=$2 preload=$3 strace=$4
. "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

# loaded_objects NAME COMMAND...: runs COMMAND preloaded; sets `loaded` to the file names of the
# objects the dynamic loader loaded for it (LD_DEBUG=files), one per line.
loaded_objects() {
  local name=$1
  shift
  if ! LD_DEBUG=files LD_DEBUG_OUTPUT="$dir/$name.ld" LD_PRELOAD="$preload" timeout 60 "$@" \
    >"$dir/$name.out" 2>&1; then
    fail "$name failed: $(cat "$dir/$name.out")"
  fi
  loaded=$(sed -n 's/.*file=\([^ ]*\) .*/\1/p' "$dir/$name".ld.* | sort -u)
}

# heavy_objects: the lines of $loaded naming the shim or a library it links.
heavy_objects() {
  echo "$loaded" | grep -E '^(libsslshim\.so|libcrypto\.so|libstdc\+\+\.so)|/libsslshim\.so$' || true
}

if [ "$(basename "$preload")" = libsslshim-lazy.so ]; then
  n=0
  for program in /bin/true "/usr/bin/python3 -c pass"; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # the command's words
    loaded_objects "lazy$n" $program
    heavy=$(heavy_objects)
    [ -z "$heavy" ] || fail "'$program' under the lazy preload loaded: $(echo $heavy)"
  done
  # The control, through the same extraction and pattern: with the shim itself preloaded they
  # are found (so the check above can fail).
  lazy=$preload
  preload="$(dirname "$lazy")/libsslshim.so"
  loaded_objects control /bin/true
  [ -n "$(heavy_objects)" ] ||
    fail "the control (libsslshim.so preloaded) found none of the shim's libraries loaded"
  preload=$lazy

  # Without the shim next to it, the first libssl call stops the process with the reason: it
  # never runs on with no TLS library behind the call.
  mkdir "$dir/alone"
  cp "$lazy" "$dir/alone/"
  LD_PRELOAD="$dir/alone/libsslshim-lazy.so" /usr/bin/python3 -c \
    'import ssl; ssl.create_default_context(); print("went on")' >"$dir/alone.out" 2>&1
  status=$?
  [ "$status" -eq 134 ] && grep -q 'libsslshim-lazy.so: cannot load the shim' "$dir/alone.out" ||
    fail "the lazy library without the shim: status $status, $(cat "$dir/alone.out")"
fi

# count_libssl_opens NAME COMMAND...: runs COMMAND preloaded under strace; sets `opens` to how
# many times it tried to open a file named libssl.so.3.
count_libssl_opens() {
  local name=$1
  shift
  if ! LD_PRELOAD="$preload" timeout 60 "$strace" -f -qq -e trace=openat -o "$dir/$name.trace" \
    "$@" >"$dir/$name.out" 2>&1; then
    fail "$name failed under strace: $(cat "$dir/$name.out")"
  fi
  opens=$(grep -c '/libssl\.so\.3"' "$dir/$name.trace")
}

for program in /bin/true "/usr/bin/python3 -c pass"; do
  # shellcheck disable=SC2086 # the command's words
  count_libssl_opens plain $program
  [ "$opens" -eq 0 ] ||
    fail "'$program' preloaded tried to open libssl.so.3 $opens times (expected 0)"
done

if ! LD_PRELOAD="$preload" timeout 60 "$probe" "$module" >"$dir/probe.out" 2>&1; then
  fail "late_libssl_probe: $(cat "$dir/probe.out")"
fi

# Six guarded calls before libssl is loaded: one failed search (one open), then the module's own
# load of libssl.so.3 (one open). Nothing after: the loaded library is found by its soname.
count_libssl_opens probe "$probe" "$module"
[ "$opens" -le 2 ] ||
  fail "late_libssl_probe tried to open libssl.so.3 $opens times (expected at most 2)"

finish late_libssl
