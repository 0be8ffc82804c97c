#!/usr/bin/env bash
# install-deps.sh [build|test]: installs the Debian packages a task needs, only when one is
# missing, so a second run costs one dpkg query and no network.
#   build  building the library, its tests and the suite, and `sslshim check` (default)
#   test   everything `./sslshim test` runs as well: the fuzz and TSan builds, the real programs
#   bench  what `./sslshim bench --programs` drives: nginx and the wrk load generator
set -euo pipefail

what=${1:-build}
build_packages=(
  cmake g++ make pkg-config binutils dpkg-dev xz-utils
  libssl-dev openssl
  # configuring the default preset builds the test programs and benchmarks too
  libgtest-dev libgmock-dev libbenchmark-dev python3
  # the start-up test counts the files a preloaded process opens (tests/abi/late_libssl_test.sh)
  strace
)
test_packages=(
  clang-format
  # the fuzz targets (CMakePresets.json "fuzz"): clang with the libFuzzer and sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # the real programs the drop-in tests run (tests/programs)
  curl socat nginx-light postgresql postgresql-client libpython3.11-testsuite
  haproxy stunnel4
  # more real programs, each in both roles: ncat --ssl, redis-server/redis-cli (Debian's redis is
  # built with TLS), the mosquitto broker and its clients
  ncat redis-server redis-tools mosquitto mosquitto-clients
  # scripting languages' TLS (perl's Net::SSLeay, ruby's and php's openssl extensions, all linking
  # libssl.so.3) and lighttpd's mod_openssl (tests/programs/run_{perl,ruby,php,lighttpd}.sh)
  libio-socket-ssl-perl libnet-ssleay-perl ruby php-cli lighttpd lighttpd-mod-openssl
  # the package test (lintian) and the systemd drop-in check (systemd-analyze verify)
  lintian systemd
  # the real-program benchmark's short slice (tests/bench_programs)
  wrk
)
bench_packages=(nginx-light wrk openssl)
case "$what" in
  build) packages=("${build_packages[@]}") ;;
  test) packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  bench) packages=("${build_packages[@]}" "${bench_packages[@]}") ;;
  *)
    echo "install-deps: unknown set $what (build, test or bench)" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}) and not root: install them with apt-get" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
